import {
	addProblem,
	card,
	deleteLocalCopy,
	expect,
	openBoard,
	personContext,
	test
} from './fixtures';

test('changes lost with a deleted local copy are said plainly and no longer keep the board syncing', async ({
	browser
}) => {
	const tag = Date.now().toString(36).slice(-5);
	const { context, page } = await personContext(browser, 'zhangxin');
	await openBoard(page, 'haigang');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
	await context.setOffline(true);
	await addProblem(page, `丢失：离线记下的第一个问题 ${tag}`);
	await addProblem(page, `丢失：离线记下的第二个问题 ${tag}`);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');

	await deleteLocalCopy(page, 'county.2022.haigang');
	await context.setOffline(false);
	await page.goto('/c/2022/haigang');
	await expect(page.getByTestId('board')).toBeVisible();
	const notice = page.getByTestId('toast').filter({ hasText: '无法找回' });
	await expect(notice).toContainText('海港区');
	await expect(notice).toContainText('2 项');
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await expect(card(page, `丢失：离线记下的第一个问题 ${tag}`)).toHaveCount(0);

	// The markers are gone from the device too: the next start is saved without a notice.
	await page.reload();
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await expect(page.getByTestId('toast').filter({ hasText: '无法找回' })).toHaveCount(0);
	await context.close();
});

test('offline edits kept in the local copy stay pending across a restart and sync once online', async ({
	browser
}) => {
	const tag = Date.now().toString(36).slice(-5);
	const title = `保留：离线记下并重启后的问题 ${tag}`;
	const { context, page } = await personContext(browser, 'zhangxin');
	await openBoard(page, 'haigang');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
	await context.setOffline(true);
	await addProblem(page, title);

	await page.reload();
	await expect(card(page, title)).toBeVisible();
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await expect(page.getByTestId('toast').filter({ hasText: '无法找回' })).toHaveCount(0);
	await context.setOffline(false);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await context.close();

	const other = await personContext(browser, 'zhaowenjing');
	await openBoard(other.page, 'haigang');
	await expect(card(other.page, title)).toBeVisible();
	await other.context.close();
});
