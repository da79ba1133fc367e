import { addProblem, card, column, expect, openBoard, signIn, test } from './fixtures';

test.describe('a county user works the problem list of their county', () => {
	test.beforeEach(async ({ page }) => {
		await signIn(page, 'zhangxin');
		await openBoard(page, 'haigang');
	});

	test('lists problems and moves them between tiers by drag and drop', async ({ page }) => {
		await addProblem(page, '外卖骑手流动性大，建会入会率低');
		await addProblem(page, '工人文化宫场地老化，维修经费不足');
		await expect(column(page, '待分类')).toContainText('外卖骑手流动性大');

		await card(page, '外卖骑手流动性大').dragTo(column(page, '党委政府协调').locator('.cards'));
		await expect(column(page, '党委政府协调')).toContainText('外卖骑手流动性大');
		await expect(column(page, '待分类')).not.toContainText('外卖骑手流动性大');

		await card(page, '工人文化宫场地老化').dragTo(column(page, '工会系统解决').locator('.cards'));
		await expect(column(page, '工会系统解决')).toContainText('工人文化宫场地老化');

		// Still there after a reload: saved locally and on the server.
		await page.reload();
		await expect(column(page, '党委政府协调')).toContainText('外卖骑手流动性大');
		await expect(column(page, '工会系统解决')).toContainText('工人文化宫场地老化');
	});

	test('moves and reorders a card with the keyboard alone', async ({ page }) => {
		await addProblem(page, '键盘甲：职工书屋藏书陈旧', '县级工会自身解决');
		await addProblem(page, '键盘乙：女职工休息室不足', '县级工会自身解决');
		const selfColumn = column(page, '县级工会自身解决');
		const titles = () => selfColumn.getByTestId('problem-card').allInnerTexts();

		await card(page, '键盘乙').focus();
		await page.keyboard.press('Alt+ArrowUp');
		await expect(card(page, '键盘乙')).toBeFocused();
		await expect
			.poll(async () => (await titles()).findIndex((t) => t.includes('键盘乙')))
			.toBeLessThan((await titles()).findIndex((t) => t.includes('键盘甲')));

		// Between two tiers a move is an escalation: it asks why, and happens once answered.
		await page.keyboard.press('Alt+ArrowLeft');
		const escalation = page.getByTestId('escalation-dialog');
		await expect(escalation).toContainText('从 县级工会自身解决 调整到 工会系统解决');
		await escalation.getByLabel('调整原因').fill('需要市总工会下拨经费');
		await escalation.getByRole('button', { name: '确认调整' }).click();
		await expect(column(page, '工会系统解决')).toContainText('键盘乙');
		await expect(card(page, '键盘乙')).toBeFocused();
		await expect(page.getByRole('status').first()).toContainText('工会系统解决');

		await page.keyboard.press('Enter');
		await expect(page.getByTestId('problem-detail')).toBeVisible();
		await page.keyboard.press('Escape');
		await expect(page.getByTestId('problem-detail')).toBeHidden();
	});

	test('edits a problem in the detail panel', async ({ page }) => {
		await addProblem(page, '详情：职工服务中心人手不足');
		await card(page, '详情：职工服务中心人手不足').click();
		const detail = page.getByTestId('problem-detail');
		await expect(detail).toBeVisible();

		await detail.getByTestId('detail-title').fill('详情：职工服务中心专职人员不足');
		await detail.getByTestId('detail-title').press('Enter');
		await detail.getByTestId('description').fill('现有专职工作人员 2 名，服务职工 3 万余人。');
		await detail.getByRole('button', { name: '开始推进' }).click();
		await detail.getByTestId('detail-tier').selectOption('union-system');
		await detail.getByTestId('detail-owner').fill('市总工会组织部');
		await detail.getByTestId('detail-assignee').fill('武威');
		await detail.getByTestId('detail-due').fill('2022-12-31');
		await detail.getByPlaceholder('添加一条举措，回车确认').fill('争取公益性岗位 2 个');
		await detail.getByPlaceholder('添加一条举措，回车确认').press('Enter');
		await detail.getByPlaceholder('添加一条举措，回车确认').fill('招聘社会化工会工作者');
		await detail.getByPlaceholder('添加一条举措，回车确认').press('Enter');
		await detail.getByRole('checkbox', { name: '争取公益性岗位 2 个' }).check();
		await detail.getByPlaceholder('记录一条进展，回车保存').fill('已与区人社局对接');
		await detail.getByPlaceholder('记录一条进展，回车保存').press('Enter');

		const history = detail.getByTestId('history');
		await expect(history).toContainText('张鑫：已与区人社局对接');
		await expect(history).toContainText('张鑫 将层级从 待分类 改为 工会系统解决');
		await expect(history).toContainText('张鑫 将状态从 待办 改为 推进中');

		await detail.getByRole('button', { name: '关闭' }).click();
		const edited = card(page, '详情：职工服务中心专职人员不足');
		await expect(column(page, '工会系统解决')).toContainText('详情：职工服务中心专职人员不足');
		await expect(edited).toContainText('推进中');
		await expect(edited).toContainText('武威');
		await expect(edited).toContainText('1/2');

		await page.reload();
		await card(page, '详情：职工服务中心专职人员不足').click();
		await expect(page.getByTestId('description')).toHaveValue(
			'现有专职工作人员 2 名，服务职工 3 万余人。'
		);
		await expect(page.getByTestId('detail-due')).toHaveValue('2022-12-31');
	});

	test('deletes a problem after confirmation, into the bin', async ({ page }) => {
		await addProblem(page, '删除：临时问题');
		await card(page, '删除：临时问题').click();
		await page.getByTestId('detail-delete').click();
		const dialog = page.getByRole('dialog');
		await expect(dialog).toContainText('删除“删除：临时问题”？');
		await dialog.getByRole('button', { name: '取消' }).click();
		await expect(card(page, '删除：临时问题')).toBeVisible();

		await card(page, '删除：临时问题').focus();
		await page.keyboard.press('Delete');
		await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
		await expect(card(page, '删除：临时问题')).toHaveCount(0);
		// Taking it back out is the city's: the county is told where it went, with no undo.
		const toast = page.getByTestId('toast');
		await expect(toast).toContainText('已将“删除：临时问题”移入回收站，市总工会可以恢复');
		await expect(toast.getByRole('button', { name: '撤销' })).toHaveCount(0);
	});

	test('undoes and redoes its own last move with Ctrl+Z and Ctrl+Shift+Z', async ({ page }) => {
		await addProblem(page, '撤销：职工之家阵地闲置');
		await page.getByRole('button', { name: '取消' }).click();
		await card(page, '撤销：职工之家阵地闲置').dragTo(
			column(page, '工会系统解决').locator('.cards')
		);
		await expect(column(page, '工会系统解决')).toContainText('撤销：职工之家阵地闲置');

		await page.keyboard.press('Control+z');
		await expect(column(page, '待分类')).toContainText('撤销：职工之家阵地闲置');
		await expect(column(page, '工会系统解决')).not.toContainText('撤销：职工之家阵地闲置');

		await page.keyboard.press('Control+Shift+z');
		await expect(column(page, '工会系统解决')).toContainText('撤销：职工之家阵地闲置');

		await page.getByTestId('undo').click();
		await expect(column(page, '待分类')).toContainText('撤销：职工之家阵地闲置');
		// The server took every step (undo never takes back history): after a reload it is there.
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
		await page.reload();
		await expect(column(page, '待分类')).toContainText('撤销：职工之家阵地闲置');
	});

	test('undoing the creation of a problem moves it to the bin; the deletion cannot be undone by the county', async ({
		page
	}) => {
		await addProblem(page, '撤销：新建后又撤销的问题');
		await page.getByRole('button', { name: '取消' }).click();
		await page.keyboard.press('Control+z');
		await expect(card(page, '撤销：新建后又撤销的问题')).toHaveCount(0);
		await page.keyboard.press('b');
		await expect(
			page
				.getByTestId('bin')
				.getByTestId('bin-entry')
				.filter({ hasText: '撤销：新建后又撤销的问题' })
		).toContainText('张鑫');
		await page.getByTestId('bin').getByRole('button', { name: '关闭' }).click();
		await page.keyboard.press('Control+z');
		await expect(page.getByTestId('toast')).toContainText(
			'这一步不能撤销：它改动的问题已移入回收站，只有市总工会可以恢复。'
		);
		await expect(card(page, '撤销：新建后又撤销的问题')).toHaveCount(0);
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	});

	test('shows the campaign overview with counts per tier and status', async ({ page }) => {
		await addProblem(page, '概览：劳动公园管护缺位', '县级工会自身解决');
		await page.getByRole('link', { name: '返回概览' }).click();
		const tile = page.getByTestId('county-tile').filter({ hasText: '海港区' });
		await expect(tile.locator('[data-tier="county-self"] dd')).not.toHaveText('0');
		await tile.click();
		await expect(page.getByTestId('board-title')).toHaveText('海港区 · 问题清单');
	});
});
