import { addProblem, card, column, expect, openBoard, personContext, test } from './fixtures';

test('a county user edits offline for as long as needed, reloads offline, and everything merges on return', async ({
	browser
}) => {
	const county = await personContext(browser, 'jinlongfei');
	const city = await personContext(browser, 'wuwei');
	await openBoard(county.page, 'qinglong');
	await openBoard(city.page, 'qinglong');
	await addProblem(city.page, '离线：乡镇工会专职人员缺乏');
	await expect(card(county.page, '离线：乡镇工会专职人员缺乏')).toBeVisible();
	// The app shell must be cached before the network goes away.
	await county.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

	await county.context.setOffline(true);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');

	await addProblem(county.page, '离线：山区企业建会难');
	await card(county.page, '离线：乡镇工会专职人员缺乏').dragTo(
		column(county.page, '县级工会自身解决').locator('.cards')
	);
	await expect(county.page.getByTestId('sync-status')).toContainText(/离线 · \d+ 项更改未上传/);

	// Meanwhile the city side edits the same card.
	await card(city.page, '离线：乡镇工会专职人员缺乏').click();
	await city.page.getByTestId('detail-due').fill('2023-03-31');
	await city.page.getByTestId('detail-assignee').fill('金龙飞');
	await city.page.getByTestId('detail-assignee').press('Enter');
	await city.page.getByRole('button', { name: '关闭' }).click();

	// Close and reopen while still offline: the work is still there, from IndexedDB.
	await county.page.reload();
	await expect(card(county.page, '离线：山区企业建会难')).toBeVisible();
	await expect(column(county.page, '县级工会自身解决')).toContainText('离线：乡镇工会专职人员缺乏');
	await expect(county.page.getByTestId('sync-status')).toContainText(/离线 · \d+ 项更改未上传/);

	await county.context.setOffline(false);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});

	// Both sides end with both sets of edits, nobody asked anything.
	for (const page of [county.page, city.page]) {
		await expect(card(page, '离线：山区企业建会难')).toBeVisible();
		const moved = column(page, '县级工会自身解决').getByTestId('problem-card').filter({
			hasText: '离线：乡镇工会专职人员缺乏'
		});
		await expect(moved).toContainText('金龙飞');
		await expect(moved).toContainText('2023');
	}

	await county.context.close();
	await city.context.close();
});
