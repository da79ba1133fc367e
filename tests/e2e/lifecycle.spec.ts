import { addProblem, card, column, expect, openBoard, personContext, test } from './fixtures';

// A 1×1 PNG: the photo of the repaired hall.
const PHOTO = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

test('a problem goes from listed to verified closure (销号), and is reopened when it comes back', async ({
	browser
}) => {
	const county = await personContext(browser, 'zhangxin');
	const city = await personContext(browser, 'wuwei');
	await openBoard(county.page, 'haigang');
	await openBoard(city.page, 'haigang');

	const title = '销号：职工之家屋面漏水';
	await addProblem(county.page, title, '工会系统解决');
	await card(county.page, title).click();
	const detail = county.page.getByTestId('problem-detail');

	// What the union system pushed down is recorded with the tier.
	await detail.getByTestId('funds').fill('300000');
	await detail.getByTestId('funds').press('Enter');

	await detail.getByRole('button', { name: '开始推进' }).click();
	await expect(detail.getByTestId('status-box')).toHaveAttribute('data-status', 'in-progress');

	// The county marks it resolved, with a result and a photo as evidence.
	await detail.getByTestId('action-resolve').click();
	const resolve = county.page.getByTestId('resolve-dialog');
	await resolve.getByRole('button', { name: '标记已解决' }).click();
	await expect(resolve.getByRole('alert')).toHaveText('请写明解决结果。');
	await resolve.getByLabel('解决结果').fill('屋面防水已重做，验收合格');
	await resolve.getByLabel('佐证材料').setInputFiles({
		name: '维修后.png',
		mimeType: 'image/png',
		buffer: PHOTO
	});
	await expect(resolve).toContainText('维修后.png');
	await resolve.getByRole('button', { name: '标记已解决' }).click();
	await expect(detail.getByTestId('resolution')).toContainText('屋面防水已重做');
	await expect(detail.getByRole('link', { name: /维修后\.png/ })).toBeVisible();

	// A county user cannot close it: only the city union verifies.
	await expect(detail.getByTestId('action-close')).toHaveCount(0);
	await expect(detail).toContainText('等待市总工会核验销号。');

	// The city side verifies with a follow-up call and closes it.
	await card(city.page, title).click();
	const cityDetail = city.page.getByTestId('problem-detail');
	await expect(cityDetail.getByTestId('resolution')).toContainText('屋面防水已重做');
	const evidence = await city.page.request.get(
		(await cityDetail.getByRole('link', { name: /维修后\.png/ }).getAttribute('href'))!
	);
	expect(evidence.status()).toBe(200);
	await cityDetail.getByTestId('action-close').click();
	const close = city.page.getByTestId('close-dialog');
	await expect(close.getByLabel('核验人')).toHaveValue('武威');
	// Nothing is preselected: without a satisfaction choice and the follow-up text, no closure.
	await expect(close.getByLabel('满意', { exact: true })).not.toBeChecked();
	await close.getByRole('button', { name: '核验销号' }).click();
	await expect(close.getByRole('alert')).toHaveText('请选择回访满意度，并填写回访情况。');
	await close.getByLabel('基本满意').check();
	await close.getByRole('button', { name: '核验销号' }).click();
	await expect(close.getByRole('alert')).toHaveText('请选择回访满意度，并填写回访情况。');
	await expect(cityDetail.getByTestId('status-box')).toHaveAttribute('data-status', 'resolved');
	await close.getByLabel('回访情况').fill('电话回访 5 名职工，均表示满意');
	await close.getByRole('button', { name: '核验销号' }).click();
	await expect(cityDetail.getByTestId('closure')).toContainText('武威 于');
	await expect(cityDetail.getByTestId('closure')).toContainText('基本满意');
	await expect(card(county.page, title)).toContainText('已销号');

	// Closed, it is the city's record: the county finds no way to edit or delete it.
	await expect(detail.getByTestId('closed-read-only')).toBeVisible();
	await expect(detail.getByRole('textbox', { name: '问题', exact: true })).toBeDisabled();
	await expect(detail.getByLabel('责任人', { exact: true })).toBeDisabled();
	await expect(detail.getByRole('button', { name: '删除问题' })).toHaveCount(0);
	await expect(detail.getByRole('button', { name: '记录' })).toHaveCount(0);

	// It comes back (回潮): reopened with a reason, counted, never silently edited.
	await cityDetail.getByTestId('action-reopen').click();
	const reason = city.page.getByTestId('reason-dialog');
	await reason.getByLabel('原因').fill('雨季再次漏水');
	await reason.getByRole('button', { name: '回潮重开' }).click();
	await expect(cityDetail.getByTestId('status-box')).toContainText('回潮 1 次');
	const history = cityDetail.getByTestId('history');
	await expect(history).toContainText('武威 重新打开（回潮）');
	await expect(history).toContainText('雨季再次漏水');
	await expect(history).toContainText('武威 核验销号');
	await expect(history).toContainText('张鑫 标记为已解决');
	await expect(
		column(county.page, '工会系统解决').getByTestId('problem-card').filter({ hasText: title })
	).toContainText('推进中');

	await county.context.close();
	await city.context.close();
});

test('escalating between tiers asks for a reason and records it for the ledger', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'haigang');
	const title = '升级：新就业形态劳动者维权难';
	await addProblem(city.page, title, '县级工会自身解决');
	await card(city.page, title).dragTo(column(city.page, '党委政府协调').locator('.cards'));
	const dialog = city.page.getByTestId('escalation-dialog');
	await expect(dialog).toContainText('升级解决层级');
	// Cancelling leaves the problem where it was.
	await dialog.getByRole('button', { name: '取消' }).click();
	await expect(column(city.page, '县级工会自身解决')).toContainText(title);

	await card(city.page, title).dragTo(column(city.page, '党委政府协调').locator('.cards'));
	await dialog.getByLabel('调整原因').fill('涉及多部门，需区委统筹');
	await dialog.getByRole('button', { name: '确认调整' }).click();
	await expect(column(city.page, '党委政府协调')).toContainText(title);

	await card(city.page, title).click();
	const detail = city.page.getByTestId('problem-detail');
	await expect(detail.getByTestId('history')).toContainText(
		'武威 将层级从 县级工会自身解决 调整为 党委政府协调'
	);
	await expect(detail.getByTestId('history')).toContainText('涉及多部门，需区委统筹');
	// The Party-committee tier asks to whom and when it was reported, and whether it is on the agenda.
	await detail.getByTestId('reported-to').fill('海港区委');
	await detail.getByTestId('reported-to').press('Enter');
	await detail.getByTestId('on-agenda').check();
	await city.page.reload();
	await card(city.page, title).click();
	await expect(city.page.getByTestId('reported-to')).toHaveValue('海港区委');
	await expect(city.page.getByTestId('on-agenda')).toBeChecked();
	await city.context.close();
});
