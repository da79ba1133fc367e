import AxeBuilder from '@axe-core/playwright';
import { addProblem, card, column, expect, openBoard, personContext, test } from './fixtures';
import { ADMIN_PASSWORD } from './people';

const TIERS = ['待分类', '党委政府协调', '工会系统解决', '县级工会自身解决'];

/** The column a card is in now, by its heading. */
async function columnOf(page: import('@playwright/test').Page, title: string): Promise<string> {
	for (const name of TIERS) {
		if (
			(await column(page, name).getByTestId('problem-card').filter({ hasText: title }).count()) > 0
		)
			return name;
	}
	throw new Error(`${title} is on no column`);
}

test('after reconnecting, a summary lists what others changed and how a concurrent move resolved', async ({
	browser
}) => {
	// Several browser contexts and a machine shared with other work: more than the default minute.
	test.setTimeout(120_000);
	const suffix = Date.now().toString(36);
	const shared = `同时移动：职工书屋缺书-${suffix}`;
	const remoteMoved = `对方移动：食堂排队-${suffix}`;
	const remoteNew = `对方新增：夜班通勤-${suffix}`;
	const ourNew = `离线新增：山区建会-${suffix}`;

	const city = await personContext(browser, 'wuwei');
	const county = await personContext(browser, 'wanghongliang');
	await openBoard(city.page, 'lulong');
	await openBoard(county.page, 'lulong');
	await addProblem(county.page, shared);
	await addProblem(county.page, remoteMoved);
	await expect(card(city.page, remoteMoved)).toBeVisible();

	await city.context.setOffline(true);
	await expect(city.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await card(city.page, shared).dragTo(column(city.page, '党委政府协调').locator('.cards'));
	await expect(column(city.page, '党委政府协调')).toContainText(shared);
	await addProblem(city.page, ourNew);

	// Meanwhile 王宏亮, online, moves the same card elsewhere, moves another and adds one.
	await card(county.page, shared).dragTo(column(county.page, '县级工会自身解决').locator('.cards'));
	await expect(column(county.page, '县级工会自身解决')).toContainText(shared);
	await card(county.page, remoteMoved).dragTo(
		column(county.page, '工会系统解决').locator('.cards')
	);
	await expect(column(county.page, '工会系统解决')).toContainText(remoteMoved);
	await addProblem(county.page, remoteNew);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await expect(city.page.getByTestId('away-summary')).toHaveCount(0);

	await city.context.setOffline(false);
	await expect(city.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});
	const summary = city.page.getByTestId('away-summary');
	await expect(summary).toBeVisible();
	await expect(summary.getByTestId('away-lead')).toContainText(
		'离线期间：王宏亮 新增 1 项、移动了 2 项；你的 2 处修改已同步；1 处与他人同时修改'
	);

	// The conflict says where the card ended, which is where both boards show it.
	const final = await columnOf(city.page, shared);
	expect(await columnOf(county.page, shared)).toBe(final);
	const conflict = summary.getByTestId('away-conflicts').getByRole('link');
	await expect(conflict).toHaveCount(1);
	await expect(conflict).toContainText(
		`「${shared}」：你移到了“党委政府协调”，王宏亮 移到了“县级工会自身解决”`
	);
	await expect(conflict).toContainText(
		final === '党委政府协调' ? '保留了你的移动' : '保留了 王宏亮 的移动'
	);
	await expect(conflict).toContainText(`现在在“${final}”`);

	await summary.getByText('他人的修改（3）').click();
	const others = summary.getByTestId('away-others');
	await expect(others).toBeVisible();
	// The panel is for everyone: no serious WCAG problems in it, with the list open.
	const { violations } = await new AxeBuilder({ page: city.page })
		.include('[data-testid="away-summary"]')
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
	await expect(others).toContainText(`${remoteNew} 新增 · 王宏亮`);
	await expect(others).toContainText(`${remoteMoved} 移动 · 王宏亮`);
	await expect(others).not.toContainText(ourNew);

	// The link opens the card.
	await conflict.click();
	await expect(city.page.getByTestId('problem-detail')).toBeVisible();
	await expect(city.page.getByTestId('problem-detail').getByRole('textbox').first()).toHaveValue(
		shared
	);
	await city.page.getByRole('button', { name: '关闭' }).click();

	// Hidden, it stays reachable from the sync indicator until dismissed.
	await summary.getByRole('button', { name: '收起' }).click();
	await expect(summary).toHaveCount(0);
	await city.page.getByTestId('away-link').click();
	await expect(summary).toBeVisible();
	await summary.getByRole('button', { name: '知道了' }).click();
	await expect(summary).toHaveCount(0);
	await expect(city.page.getByTestId('away-link')).toHaveCount(0);
	await expect(city.page.getByTestId('away-reopen')).toHaveCount(0);

	// 王宏亮 never went away: nothing to summarize there.
	await expect(county.page.getByTestId('away-summary')).toHaveCount(0);
	await city.context.close();
	await county.context.close();
});

test('three people apart and together: a reload offline keeps the summary, a clash on one field says whose value stayed', async ({
	browser
}) => {
	// Several browser contexts and a machine shared with other work: more than the default minute.
	test.setTimeout(120_000);
	const suffix = Date.now().toString(36);
	const clash = `三方：会员实名制-${suffix}`;
	const movedByAdmin = `三方：困难职工帮扶-${suffix}`;

	const county = await personContext(browser, 'wanghongliang');
	const city = await personContext(browser, 'wuwei');
	const admin = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const adminPage = await admin.newPage();
	await adminPage.goto('/login');
	await adminPage.getByLabel('用户名').fill('admin');
	await adminPage.getByLabel('密码').fill(ADMIN_PASSWORD);
	await adminPage.getByRole('button', { name: '登录' }).click();
	await expect(adminPage.getByTestId('current-user')).toBeVisible();
	for (const page of [county.page, city.page, adminPage]) await openBoard(page, 'lulong');
	await addProblem(county.page, clash);
	await addProblem(county.page, movedByAdmin);
	await expect(card(adminPage, movedByAdmin)).toBeVisible();
	await expect(card(city.page, clash)).toBeVisible();
	// The app shell must be cached before the network goes away.
	await county.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

	await county.context.setOffline(true);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await setAssignee(county.page, clash, '王宏亮');
	// Closing the tab and coming back offline does not lose what the summary compares against.
	await county.page.reload();
	await expect(card(county.page, clash)).toContainText('王宏亮');

	await setAssignee(city.page, clash, '武威');
	await card(adminPage, movedByAdmin).dragTo(column(adminPage, '工会系统解决').locator('.cards'));
	await expect(column(adminPage, '工会系统解决')).toContainText(movedByAdmin);
	await expect(card(adminPage, clash)).toContainText('武威');

	await county.context.setOffline(false);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});
	const summary = county.page.getByTestId('away-summary');
	await expect(summary.getByTestId('away-lead')).toContainText('管理员 移动了 1 项');
	await expect(summary.getByTestId('away-lead')).toContainText('你的 1 处修改已同步');
	// A plain field carries no history line; 武威 is named because his device is online (presence).
	await expect(summary.getByTestId('away-lead')).toContainText('武威 修改了 1 项');
	const kept = (await card(county.page, clash).textContent())?.includes('王宏亮')
		? '王宏亮'
		: '武威';
	for (const page of [city.page, adminPage]) await expect(card(page, clash)).toContainText(kept);
	const conflict = summary.getByTestId('away-conflicts');
	await expect(conflict).toContainText(`「${clash}」的责任人：你改为“王宏亮”，`);
	// Their value is named unless the server had already replaced it with ours when it answered.
	await expect(conflict).toContainText(
		kept === '王宏亮'
			? /武威 (改为“武威”|同时也改了它)；保留了你的“王宏亮”/
			: '武威 改为“武威”；保留了 武威 的“武威”'
	);

	for (const context of [county.context, city.context, admin]) await context.close();
});

async function setAssignee(page: import('@playwright/test').Page, title: string, name: string) {
	await card(page, title).click();
	await page.getByTestId('detail-assignee').fill(name);
	await page.getByTestId('detail-assignee').press('Enter');
	await page.getByRole('button', { name: '关闭' }).click();
	await expect(card(page, title)).toContainText(name);
}
