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
import { contextOn, serverWithPeople } from './own-server';

test('the ledger stops re-reading the card index once every board is read and synced, and follows the boards live', async ({
	browser
}) => {
	const tag = `li${Date.now().toString(36).slice(-5)}`;
	const { context, page } = await personContext(browser, 'wuwei');
	// Fill this browser's card index first, so that it has something to serve.
	await openBoard(page, 'haigang');
	await addProblem(page, `台账索引 ${tag}`);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	await page.goto('/c/2022/ledger');
	const ledger = page.locator('[data-card-index]');
	// Every county board is opened by the ledger; once each is read and confirmed by the server,
	// its rows come from the doc and the index is no longer followed.
	await expect(ledger).toHaveAttribute('data-card-index', 'settled', { timeout: 30_000 });
	await expect(page.getByTestId('ledger-row').filter({ hasText: `台账索引 ${tag}` })).toHaveCount(
		1
	);

	// Still live from the docs: another person's new problem appears without a reload.
	const other = await personContext(browser, 'wuwei');
	await openBoard(other.page, 'haigang');
	await addProblem(other.page, `台账另一条 ${tag}`);
	await expect(card(other.page, `台账另一条 ${tag}`)).toBeVisible();
	await expect(page.getByTestId('ledger-row').filter({ hasText: `台账另一条 ${tag}` })).toHaveCount(
		1
	);
	await other.context.close();
	await context.close();
});

test('offline, with boards this browser has no copy of, the ledger keeps serving them from the index', async ({
	browser
}) => {
	const tag = `lo${Date.now().toString(36).slice(-5)}`;
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, 'haigang');
	await addProblem(page, `离线台账 ${tag}`);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await page.goto('/c/2022/ledger');
	await expect(page.locator('[data-card-index]')).toHaveAttribute('data-card-index', 'settled', {
		timeout: 30_000
	});
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
	// The index must hold the problem before the copy goes (it is written a moment after a change).
	await expect.poll(() => indexedTitles(page)).toContain(`haigang:离线台账 ${tag}`);
	// Drop the local copy of one board, then reload offline: that board comes up empty and
	// unconfirmed, so the index keeps being followed for it.
	await deleteLocalCopy(page, 'county.2022.haigang');
	await context.setOffline(true);
	await page.goto('/c/2022/ledger');
	await expect(page.locator('[data-card-index]')).toHaveAttribute('data-card-index', 'following');
	await expect(page.getByTestId('ledger-row').filter({ hasText: `离线台账 ${tag}` })).toHaveCount(
		1
	);
	await context.close();
});

/** Rewrites one indexed card's title in place, as if the index were behind the doc. */
function tamperIndexedTitle(page: Page, from: string, to: string): Promise<boolean> {
	return page.evaluate(
		({ from, to }) =>
			new Promise<boolean>((resolve, reject) => {
				const open = indexedDB.open('qingdan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const store = open.result.transaction('cards', 'readwrite').objectStore('cards');
					const all = store.getAll();
					all.onsuccess = () => {
						const entry = (all.result as { problem: { title: string } }[]).find(
							(c) => c.problem.title === from
						);
						if (entry) {
							entry.problem.title = to;
							store.put(entry);
						}
						store.transaction.oncomplete = () => {
							open.result.close();
							resolve(entry !== undefined);
						};
					};
				};
			}),
		{ from, to }
	);
}

test('reopening a board the index already holds does not index it again; one it cannot vouch for is', async ({
	browser
}) => {
	// A server of its own: on the shared one other specs change 海港区 meanwhile, and a change
	// that arrives as this page is left may miss the index, which rightly re-indexes then.
	const server = await serverWithPeople();
	try {
		const tag = `ri${Date.now().toString(36).slice(-5)}`;
		const { context, page } = await contextOn(browser, server, 'zhangxin');
		await openBoard(page, 'haigang');
		await addProblem(page, `重开索引 ${tag}`);
		await expect.poll(() => indexedTitles(page)).toContain(`haigang:重开索引 ${tag}`);

		// The index entry is made to differ from the doc; an unchanged board leaves it alone…
		expect(await tamperIndexedTitle(page, `重开索引 ${tag}`, `旧索引 ${tag}`)).toBe(true);
		await openBoard(page, 'haigang');
		await expect(card(page, `重开索引 ${tag}`)).toBeVisible();
		// A change made after the board opened is indexed after the opening's decision (the
		// index writes in order); once it is there, a full re-index would have happened too.
		await addProblem(page, `开后新增 ${tag}`);
		await expect.poll(() => indexedTitles(page)).toContain(`haigang:开后新增 ${tag}`);
		expect(await indexedTitles(page)).toContain(`haigang:旧索引 ${tag}`);

		// …but when the index cannot vouch for the doc's state (a write was lost when the page
		// closed, or failed), opening the board indexes every card again.
		await page.goto('/favicon.svg');
		await page.evaluate(
			() =>
				new Promise((resolve, reject) => {
					const open = indexedDB.open('qingdan');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const store = open.result
							.transaction('indexedDocs', 'readwrite')
							.objectStore('indexedDocs');
						store.delete('county.2022.haigang');
						store.transaction.oncomplete = () => {
							open.result.close();
							resolve(true);
						};
					};
				})
		);
		await openBoard(page, 'haigang');
		await expect.poll(() => indexedTitles(page)).toContain(`haigang:重开索引 ${tag}`);
		expect(await indexedTitles(page)).not.toContain(`haigang:旧索引 ${tag}`);
		await context.close();
	} finally {
		await server.stop();
	}
});
