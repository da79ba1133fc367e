import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addProblem, expect, openBoard, personContext, test } from './fixtures';

/** No serious or critical WCAG 2.1 A/AA violations on the page as it is now, in both themes. */
async function expectAccessible(page: Page) {
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		const { violations } = await new AxeBuilder({ page })
			.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
			.analyze();
		const serious = violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => `${colorScheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
		expect.soft(serious).toEqual([]);
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

/** A campaign page, once the campaign doc is synced with the server. */
async function openCampaignPage(page: Page, path: string) {
	await page.goto(`/c/2022/${path}`);
	await expect(page.getByTestId('campaign-nav')).toBeVisible();
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
}

/** A date `days` from today in Shanghai, `YYYY-MM-DD`. */
function shanghaiDate(days: number): string {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
	const d = new Date(`${today}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

test('a city user keeps a county’s pairing and brand current; a viewer reads them', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openCampaignPage(city.page, 'pairing');
	const haigang = city.page.locator('[data-testid="pairing-county"][data-county="haigang"]');
	await expect(haigang.getByTestId('pairing-leader')).toHaveValue('孙宝旗');
	await haigang.getByTestId('pairing-brand').fill('港城工匠·职工之家');
	await haigang.getByTestId('pairing-brand').press('Enter');
	await haigang.getByTestId('pairing-countyPhone').fill('3550578');
	await haigang.getByTestId('pairing-countyPhone').press('Enter');
	// The leadership group of attachment 1 is there, 陈勇琿 among the deputies.
	await expect(city.page.getByTestId('members')).toContainText('孙宝旗');
	await expect(city.page.getByTestId('members')).toContainText('陈勇琿');

	const viewer = await personContext(browser, 'zhaowenjing');
	await openCampaignPage(viewer.page, 'pairing');
	await expect(viewer.page.getByTestId('read-only')).toBeVisible();
	const seen = viewer.page.locator('[data-testid="pairing-county"][data-county="haigang"]');
	await expect(seen.getByTestId('pairing-brand')).toHaveText('港城工匠·职工之家');
	await expect(seen.getByTestId('pairing-countyPhone')).toHaveText('3550578');
	await expect(seen.locator('input, select')).toHaveCount(0);
	await expectAccessible(viewer.page);
	await expect(viewer.page.getByTestId('add-member')).toHaveCount(0);

	for (const ctx of [city, viewer]) await ctx.context.close();
});

test('a city user enters indicator values and sees who is on track', async ({ browser }) => {
	const city = await personContext(browser, 'wuwei');
	await openCampaignPage(city.page, 'goals');
	await expect(city.page.getByTestId('goals-hint')).toContainText('市总工会或管理员');

	// The plan's own indicator: 2 pilot typicals in 海港区 meet the target.
	const cell = city.page.locator('tr[data-county="haigang"] td[data-indicator="pilot-typicals"]');
	await cell.getByRole('button', { name: '填报' }).click();
	const dialog = city.page.getByTestId('actual-dialog');
	await dialog.getByTestId('actual-input').fill('2');
	await dialog.getByTestId('evidence-input').fill('秦皇岛港股份公司、耀华玻璃');
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(cell.getByTestId('progress')).toHaveText(/已达标/);
	await expect(cell).toContainText('武威');

	// An indicator of their own, a year to go: 95 of 100 keeps pace, 10 of 100 does not.
	const settings = city.page.getByTestId('add-indicator');
	await settings.getByLabel('指标名称').fill('职工书屋建设覆盖率');
	await settings.getByLabel('目标值').fill('100');
	await settings.getByLabel('单位').fill('%');
	await settings.getByLabel('时限').fill(shanghaiDate(365));
	await settings.getByRole('button', { name: '添加指标' }).click();
	const column = city.page.locator('thead th', { hasText: '职工书屋建设覆盖率' });
	await expect(column).toBeVisible();
	const indicatorId = await column.getAttribute('data-indicator');

	for (const [county, value] of [
		['qinglong', '95'],
		['lulong', '10']
	] as const) {
		await city.page
			.locator(`tr[data-county="${county}"] td[data-indicator="${indicatorId}"]`)
			.getByRole('button', { name: '填报' })
			.click();
		await dialog.getByTestId('actual-input').fill(value);
		await dialog.getByRole('button', { name: '保存' }).click();
		await expect(dialog).toBeHidden();
	}
	const row = (county: string) =>
		city.page.locator(`tr[data-county="${county}"] td[data-indicator="${indicatorId}"]`);
	await expect(row('qinglong').getByTestId('progress')).toHaveText(/进度正常/);
	await expect(row('lulong').getByTestId('progress')).toHaveText(/进度滞后/);
	await expect(row('haigang').getByTestId('progress')).toHaveText(/未填报/);
	await expectAccessible(city.page);

	await city.context.close();
});

test('a good practice is written up from a county’s problem and marked replicable', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'funing');
	await addProblem(city.page, '经验：乡镇工会专职工作者缺乏');

	await openCampaignPage(city.page, 'practices');
	const form = city.page.getByTestId('add-practice');
	await form.getByLabel('标题').fill('抚宁：公益性岗位充实乡镇工会力量');
	await form.getByTestId('new-practice-county').selectOption('funing');
	await form.getByLabel('工作目标').selectOption('组织功能强');
	await form.getByRole('button', { name: '新增好做法' }).click();

	const practice = city.page
		.getByTestId('practice')
		.filter({ has: city.page.getByTestId('practice-title') });
	await expect(practice.getByTestId('practice-title')).toHaveValue(
		'抚宁：公益性岗位充实乡镇工会力量'
	);
	await practice.getByRole('checkbox', { name: '经验：乡镇工会专职工作者缺乏' }).check();
	await practice.getByTestId('practice-replicable').check();
	await practice.getByTestId('practice-edit').click();

	const card = city.page
		.getByTestId('practice')
		.filter({ hasText: '抚宁：公益性岗位充实乡镇工会力量' });
	await expect(card.getByTestId('replicable-badge')).toBeVisible();
	await expect(card.getByTestId('linked-problems')).toContainText('经验：乡镇工会专职工作者缺乏');
	await expectAccessible(city.page);

	// Another person sees it, read only.
	const viewer = await personContext(browser, 'zhaowenjing');
	await openCampaignPage(viewer.page, 'practices');
	await expect(viewer.page.getByTestId('add-practice')).toHaveCount(0);
	const seen = viewer.page
		.getByTestId('practice')
		.filter({ hasText: '抚宁：公益性岗位充实乡镇工会力量' });
	await expect(seen.getByTestId('replicable-badge')).toBeVisible();
	await expect(seen.getByTestId('linked-problems')).toContainText('经验：乡镇工会专职工作者缺乏');
	await expect(seen.getByTestId('practice-replicable')).toHaveCount(0);
	// Filtered by goal, as the dashboard's county × goal cells link here.
	const goalFilter = viewer.page.getByTestId('practice-goal-filter');
	await goalFilter.selectOption('服务阵地强');
	await expect(viewer.page).toHaveURL(/goal=service/);
	await expect(seen).toHaveCount(0);
	await goalFilter.selectOption('组织功能强');
	await expect(seen).toHaveCount(1);

	for (const ctx of [city, viewer]) await ctx.context.close();
});

test('a policy recommendation is drafted, linked to problems and submitted', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'lulong');
	await addProblem(city.page, '建议：县级工会经费留成比例偏低');

	await openCampaignPage(city.page, 'recommendations');
	const form = city.page.getByTestId('add-recommendation');
	await form.getByLabel('标题').fill('关于提高县级工会经费留成比例的建议');
	await form.getByRole('button', { name: '起草对策建议' }).click();

	const rec = city.page
		.getByTestId('recommendation')
		.filter({ has: city.page.getByRole('button', { name: '完成' }) });
	await expect(rec.getByTestId('rec-status-badge')).toHaveText(/起草中/);
	await rec.getByRole('checkbox', { name: '卢龙县' }).check();
	await rec.getByRole('checkbox', { name: '建议：县级工会经费留成比例偏低' }).check();
	await rec.getByTestId('rec-edit').click();

	const card = city.page
		.getByTestId('recommendation')
		.filter({ hasText: '关于提高县级工会经费留成比例的建议' });
	await expect(card.getByTestId('linked-problems')).toContainText('建议：县级工会经费留成比例偏低');
	await card.getByTestId('rec-status').selectOption('submitted');
	await card.getByTestId('rec-submitted-to').fill('市委');
	await card.getByTestId('rec-submitted-to').press('Enter');
	await expect(card.getByTestId('rec-status-badge')).toHaveText(/已报送/);
	await expectAccessible(city.page);

	const viewer = await personContext(browser, 'zhaowenjing');
	await openCampaignPage(viewer.page, 'recommendations');
	await expect(viewer.page.getByTestId('read-only')).toBeVisible();
	const seen = viewer.page
		.getByTestId('recommendation')
		.filter({ hasText: '关于提高县级工会经费留成比例的建议' });
	await expect(seen.getByTestId('rec-status-badge')).toHaveText(/已报送/);
	await expect(seen).toContainText('报送：市委');
	await expect(seen.getByTestId('rec-status')).toHaveCount(0);

	for (const ctx of [city, viewer]) await ctx.context.close();
});

test('a milestone due within seven days shows in the reminder; viewers cannot edit goals or the calendar', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openCampaignPage(city.page, 'calendar');
	// The plan's calendar is there: the county reports due 10月14日.
	await expect(city.page.getByTestId('milestone').filter({ hasText: '组织部' })).toBeVisible();

	const form = city.page.getByTestId('add-milestone');
	await form.getByLabel('事项').fill('提醒：第四次双月调度会');
	await form.getByLabel('日期').fill(shanghaiDate(3));
	await form.getByLabel('类型').selectOption('review');
	await form.getByRole('button', { name: '添加', exact: true }).click();
	await form.getByLabel('事项').fill('提醒：卢龙县现场推进会');
	await form.getByLabel('日期').fill(shanghaiDate(2));
	await form.getByLabel('县区').selectOption('lulong');
	await form.getByRole('button', { name: '添加', exact: true }).click();
	const reminder = city.page.getByTestId('milestone-reminder');
	await expect(reminder).toContainText('提醒：第四次双月调度会');
	await expect(reminder).toContainText('3 天后');
	await expectAccessible(city.page);

	// A meeting moved further out leaves the reminder.
	await form.getByLabel('事项').fill('提醒：推迟的专题研讨会');
	await form.getByLabel('日期').fill(shanghaiDate(5));
	await form.getByLabel('县区').selectOption('');
	await form.getByRole('button', { name: '添加', exact: true }).click();
	await expect(reminder).toContainText('提醒：推迟的专题研讨会');
	await city.page.getByRole('button', { name: '修改 提醒：推迟的专题研讨会' }).click();
	await city.page.getByTestId('milestone-date').fill(shanghaiDate(20));
	await city.page.getByRole('button', { name: '完成修改 提醒：推迟的专题研讨会' }).click();
	await expect(reminder).not.toContainText('提醒：推迟的专题研讨会');
	await expect(
		city.page.getByTestId('milestone').filter({ hasText: '提醒：推迟的专题研讨会' })
	).toContainText('20 天后');

	// A county user sees what concerns everyone and their county, not another county's.
	const county = await personContext(browser, 'zhangxin');
	await openCampaignPage(county.page, 'calendar');
	const countyReminder = county.page.getByTestId('milestone-reminder');
	await expect(countyReminder).toContainText('提醒：第四次双月调度会');
	await expect(countyReminder).not.toContainText('提醒：卢龙县现场推进会');
	await expect(county.page.getByTestId('add-milestone')).toHaveCount(0);

	const viewer = await personContext(browser, 'zhaowenjing');
	await openCampaignPage(viewer.page, 'calendar');
	await expect(viewer.page.getByTestId('milestone-reminder')).toContainText(
		'提醒：卢龙县现场推进会'
	);
	await expect(viewer.page.getByTestId('add-milestone')).toHaveCount(0);
	await openCampaignPage(viewer.page, 'goals');
	await expect(viewer.page.getByTestId('indicator-table')).toBeVisible();
	await expect(viewer.page.getByRole('button', { name: '填报' })).toHaveCount(0);
	await expect(viewer.page.getByTestId('indicator-settings')).toHaveCount(0);

	for (const ctx of [city, county, viewer]) await ctx.context.close();
});
