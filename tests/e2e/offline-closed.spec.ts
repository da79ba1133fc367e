import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';

test('offline edits meet a problem the city closed meanwhile: everything else syncs, the person is told what was left out', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const suffix = Date.now().toString(36);
	const closing = `离线销号：乡镇工会缺专职人员-${suffix}`;
	const other = `离线另一项：职工书屋缺书-${suffix}`;

	const county = await personContext(browser, 'zhangxin');
	const city = await personContext(browser, 'wuwei');
	await openBoard(county.page, 'haigang');
	await addProblem(county.page, closing, '县级工会自身解决');
	await addProblem(county.page, other, '县级工会自身解决');

	// The county marks the first resolved while online.
	await card(county.page, closing).click();
	const detail = county.page.getByTestId('problem-detail');
	await detail.getByRole('button', { name: '开始推进' }).click();
	await detail.getByTestId('action-resolve').click();
	const resolve = county.page.getByTestId('resolve-dialog');
	await resolve.getByLabel('解决结果').fill('已配备两名专职工作人员');
	await resolve.getByRole('button', { name: '标记已解决' }).click();
	await expect(detail.getByTestId('resolution')).toContainText('已配备两名专职工作人员');
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await detail.getByRole('button', { name: '关闭' }).click();

	// The county's device loses its connection.
	await county.context.setOffline(true);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');

	// Offline: a progress note on the resolved problem, and a new responsible person elsewhere.
	await card(county.page, closing).click();
	await detail.getByPlaceholder('记录一条进展，回车保存').fill('离线时补充的回访记录');
	await detail.getByPlaceholder('记录一条进展，回车保存').press('Enter');
	await detail.getByRole('button', { name: '关闭' }).click();
	await card(county.page, other).click();
	await detail.getByTestId('detail-assignee').fill('刘越');
	await detail.getByTestId('detail-assignee').press('Enter');
	await detail.getByRole('button', { name: '关闭' }).click();

	// Meanwhile the city verifies and closes the first.
	await openBoard(city.page, 'haigang');
	await card(city.page, closing).click();
	const cityDetail = city.page.getByTestId('problem-detail');
	await cityDetail.getByTestId('action-close').click();
	const close = city.page.getByTestId('close-dialog');
	await close.getByLabel('满意', { exact: true }).check();
	await close.getByLabel('回访情况').fill('电话回访，职工满意');
	await close.getByRole('button', { name: '核验销号' }).click();
	await expect(cityDetail.getByTestId('closure')).toContainText('满意');
	await expect(city.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	// The county comes back online: the server refuses the note on the closed problem; the device
	// rebuilds its copy, keeps the other change, and says what was left out.
	await county.context.setOffline(false);
	await expect(county.page.getByTestId('toast')).toContainText(
		`1 个问题已由市总工会销号，对它们的修改未保存：「${closing}」`,
		{ timeout: 30_000 }
	);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await expect(card(county.page, closing)).toContainText('已销号');
	await expect(card(county.page, other)).toContainText('刘越');

	// The city sees the change that was allowed, and the closed record as it closed it.
	await expect(card(city.page, other)).toContainText('刘越');
	// (Its detail panel is still open.)
	await expect(cityDetail.getByTestId('history')).toContainText('核验销号');
	await expect(cityDetail.getByTestId('history')).not.toContainText('离线时补充的回访记录');
	await county.context.close();
	await city.context.close();
});
