import type { Page } from '@playwright/test';
import {
	addProblem,
	card,
	deleteLocalCopy,
	expect,
	indexedTitles,
	openBoard,
	personContext,
	test
} from './fixtures';

async function search(page: Page, words: string) {
	await page.getByTestId('ledger-search').fill(words);
	await expect(page).toHaveURL(
		new RegExp(`q=${encodeURIComponent(words).replace(/%20/g, '(\\+|%20)')}`)
	);
}

const tagOf = () => `q${Date.now().toString(36).slice(-5)}`;

test('a county user’s problems are found from another county’s ledger, offline after a reload too', async ({
	browser
}) => {
	const tag = tagOf();
	const station = `索引：新就业形态驿站选址难 ${tag}`;
	const payroll = `索引：Payroll audit backlog ${tag}`;
	const zhang = await personContext(browser, 'zhangxin');
	await openBoard(zhang.page, 'haigang');
	await addProblem(zhang.page, station);
	await addProblem(zhang.page, payroll);
	await expect(zhang.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	const jin = await personContext(browser, 'jinlongfei');
	await jin.page.goto('/c/2022/ledger');
	await search(jin.page, `驿站选址 ${tag}`);
	await expect(jin.page.getByTestId('ledger-row')).toHaveCount(1);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(station);
	// The reader's own browser has indexed the other county's problems.
	await expect.poll(() => indexedTitles(jin.page)).toContain(`haigang:${payroll}`);

	await jin.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
	await jin.context.setOffline(true);
	await search(jin.page, `audit ${tag}`);
	await jin.page.reload();
	await expect(jin.page.getByTestId('ledger-row')).toHaveCount(1);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(payroll);
	// A Chinese substring from the middle of a title, and an English word inside a word.
	await search(jin.page, `形态驿站 ${tag}`);
	await expect(jin.page.getByTestId('ledger-row')).toHaveCount(1);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(station);
	await search(jin.page, `udit ${tag}`);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(payroll);
	await search(jin.page, `驿站 audit ${tag}`);
	await expect(jin.page.getByTestId('ledger-empty')).toBeVisible();
	await jin.context.close();
	await zhang.context.close();
});

test('an edit in another browser shows up in the ledger’s search and index', async ({
	browser
}) => {
	const tag = tagOf();
	const zhang = await personContext(browser, 'zhangxin');
	await openBoard(zhang.page, 'haigang');
	const jin = await personContext(browser, 'jinlongfei');
	await jin.page.goto('/c/2022/ledger');
	await search(jin.page, `食堂 ${tag}`);
	await expect(jin.page.getByTestId('ledger-empty')).toBeVisible();

	const canteen = `索引：企业食堂卫生投诉 ${tag}`;
	await addProblem(zhang.page, canteen);
	await expect(jin.page.getByTestId('ledger-row')).toHaveCount(1);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(canteen);
	await expect.poll(() => indexedTitles(jin.page)).toContain(`haigang:${canteen}`);

	// Renamed over there: the old words no longer find it, the new ones do.
	const renamed = `索引：Canteen hygiene complaints ${tag}`;
	await card(zhang.page, canteen).click();
	await zhang.page.getByTestId('detail-title').fill(renamed);
	await zhang.page.getByTestId('detail-title').press('Enter');
	await zhang.page.getByRole('button', { name: '关闭' }).click();
	await expect(jin.page.getByTestId('ledger-empty')).toBeVisible();
	await search(jin.page, `hygiene ${tag}`);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(renamed);
	await expect.poll(() => indexedTitles(jin.page)).toContain(`haigang:${renamed}`);

	// Deleted over there: gone from the search and from the index.
	await card(zhang.page, renamed).focus();
	await zhang.page.keyboard.press('Delete');
	await zhang.page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
	await expect(jin.page.getByTestId('ledger-empty')).toBeVisible();
	await expect.poll(() => indexedTitles(jin.page)).not.toContain(`haigang:${renamed}`);
	await jin.context.close();
	await zhang.context.close();
});

test('offline, the ledger shows and searches a board this browser has no copy of, from the card index', async ({
	browser
}) => {
	const tag = tagOf();
	const title = `索引：乡镇职工服务站缺人手 ${tag}`;
	const zhang = await personContext(browser, 'zhangxin');
	await openBoard(zhang.page, 'haigang');
	await addProblem(zhang.page, title);
	await expect(zhang.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	const jin = await personContext(browser, 'jinlongfei');
	await jin.page.goto('/c/2022/ledger');
	await search(jin.page, `服务站 ${tag}`);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(title);
	await expect.poll(() => indexedTitles(jin.page)).toContain(`haigang:${title}`);
	await jin.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

	// Drop this browser's copy of the 海港区 board from a page of the site that holds no doc open.
	await deleteLocalCopy(jin.page, 'county.2022.haigang', '/api/me');
	await jin.context.setOffline(true);
	await jin.page.goto(`/c/2022/ledger?q=${encodeURIComponent(`服务站 ${tag}`)}`);
	await expect(jin.page.getByTestId('ledger-row')).toHaveCount(1);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(title);
	await search(jin.page, `职工服务 ${tag}`);
	await expect(jin.page.getByTestId('ledger-row')).toContainText(title);
	await search(jin.page, `服务站 nothing ${tag}`);
	await expect(jin.page.getByTestId('ledger-empty')).toBeVisible();
	await jin.context.close();
	await zhang.context.close();
});

test('entries of problems the server does not have leave the card index once the board has synced', async ({
	browser
}) => {
	const tag = tagOf();
	const title = `索引：只在本机的问题 ${tag}`;
	const { context, page } = await personContext(browser, 'zhangxin');
	await openBoard(page, 'haigang');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
	await context.setOffline(true);
	await addProblem(page, title);
	await expect.poll(() => indexedTitles(page)).toContain(`haigang:${title}`);

	// This device loses its copy of the board before the problem ever reached the server, from a
	// page of the site (a cached file) that holds no doc open.
	await deleteLocalCopy(page, 'county.2022.haigang');
	expect(await indexedTitles(page)).toContain(`haigang:${title}`);

	await context.setOffline(false);
	await page.goto('/c/2022/haigang');
	await expect(page.getByTestId('board')).toBeVisible();
	// The lost problem's change marker went with the copy, so the board reaches "saved".
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await expect.poll(() => indexedTitles(page)).not.toContain(`haigang:${title}`);
	await expect(card(page, title)).toHaveCount(0);
	await context.close();
});
