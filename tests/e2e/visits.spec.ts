import { expect, personContext, test } from './fixtures';

test('a visit is edited and deleted with its history kept, and the problem it found keeps a readable source', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await page.goto('/c/2022/visits');
	const row = page.getByTestId('compliance').locator('tr[data-county="shanhaiguan"]');
	const doneCell = row.locator('td').nth(1);
	await expect(doneCell).toHaveText(/\d+ \/ 2/);
	const before = Number((await doneCell.innerText()).split('/')[0]);

	// Recorded on site on 8 November, with a problem found on it.
	await page.getByTestId('record-visit').click();
	const dialog = page.getByTestId('visit-dialog');
	await dialog.getByLabel('县区').selectOption({ label: '山海关区' });
	await expect(dialog.getByLabel('联系领导')).toHaveValue('张安华');
	await dialog.getByLabel('日期').fill('2022-11-08');
	await dialog.getByLabel('参加人员').fill('张安华、赵勇（编辑删除）');
	await dialog.getByRole('button', { name: '保存走访' }).click();
	const visit = page.getByTestId('visit').filter({ hasText: '张安华、赵勇（编辑删除）' });
	await expect(visit).toContainText('实地走访');
	await expect(doneCell).toHaveText(`${before + 1} / 2`);
	await visit.getByPlaceholder('从本次走访添加问题，回车确认').fill('走访：职工书屋藏书陈旧');
	await visit.getByPlaceholder('从本次走访添加问题，回车确认').press('Enter');
	await expect(visit.getByTestId('visit-problems')).toContainText('发现的问题（1）');

	// It was in fact a video call on the 10th.
	await visit.getByRole('button', { name: '编辑' }).click();
	await expect(dialog.getByRole('heading', { name: '编辑走访' })).toBeVisible();
	await expect(dialog.getByLabel('日期')).toHaveValue('2022-11-08');
	// The county stays: the problems it found are on that county's board.
	await expect(dialog.getByLabel('县区')).toBeDisabled();
	await dialog.getByLabel('日期').fill('2022-11-10');
	await dialog.getByLabel('方式').selectOption({ label: '视频会议' });
	await dialog.getByRole('button', { name: '保存修改' }).click();
	await expect(dialog).toBeHidden();
	await expect(visit).toContainText('2022年11月10日');
	await expect(visit).toContainText('视频会议');

	await visit.getByRole('button', { name: '历史' }).click();
	const history = visit.getByTestId('visit-history');
	await expect(history.getByRole('listitem').first()).toContainText('武威 修改了走访');
	await expect(history).toContainText('日期：2022年11月8日 → 2022年11月10日');
	await expect(history).toContainText('方式：实地走访 → 视频会议');
	await expect(history.getByRole('listitem').last()).toContainText('武威 记录了走访');

	// The problem names its visit as edited.
	await visit.getByRole('link', { name: '走访：职工书屋藏书陈旧' }).click();
	const source = page.getByTestId('source-visit');
	await expect(source).toContainText('来源走访：2022年11月10日 视频会议 · 张安华');

	// Back to the visit through that link; delete it after being told what happens to its problem.
	await source.getByRole('link').click();
	await expect(page).toHaveURL(/\/visits\?county=shanhaiguan#visit-/);
	await visit.getByRole('button', { name: '删除', exact: true }).click();
	const confirm = page.getByRole('dialog');
	await expect(confirm).toContainText('从本次走访记录的 1 个问题仍留在问题清单上');
	await confirm.getByRole('button', { name: '删除走访' }).click();
	await expect(visit).toHaveCount(0);
	// A deleted visit no longer counts.
	await expect(doneCell).toHaveText(`${before} / 2`);

	// Its problem stays on the board and says its source visit was deleted.
	await page.getByRole('button', { name: /已删除的走访/ }).click();
	const deleted = page.getByTestId('deleted-visit').filter({ hasText: '张安华、赵勇（编辑删除）' });
	await expect(deleted).toContainText('视频会议');
	await deleted.getByRole('link', { name: '走访：职工书屋藏书陈旧' }).click();
	await expect(source).toHaveText('来源走访已删除（2022年11月10日）');

	// From there to the deleted visit, and restored.
	await source.getByRole('link').click();
	await expect(page).toHaveURL(/deleted=1/);
	await deleted.getByRole('button', { name: '恢复' }).click();
	await expect(deleted).toHaveCount(0);
	await expect(visit).toBeVisible();
	await expect(doneCell).toHaveText(`${before + 1} / 2`);
	await visit.getByRole('button', { name: '历史' }).click();
	await expect(history.getByRole('listitem').first()).toContainText('武威 恢复了走访');
	await expect(history).toContainText('武威 删除了走访');

	// A county union's user reads visits but neither edits nor deletes them.
	const county = await personContext(browser, 'zhangxin');
	await county.page.goto('/c/2022/visits?county=shanhaiguan');
	const seen = county.page.getByTestId('visit').filter({ hasText: '张安华、赵勇（编辑删除）' });
	await expect(seen).toContainText('视频会议');
	await expect(seen.getByRole('button', { name: '历史' })).toBeVisible();
	await expect(seen.getByRole('button', { name: '编辑' })).toHaveCount(0);
	await expect(seen.getByRole('button', { name: '删除', exact: true })).toHaveCount(0);
	await county.context.close();
	await context.close();
});
