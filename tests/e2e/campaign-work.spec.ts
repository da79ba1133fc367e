import { recordVisit } from '../../src/lib/domain/visits';
import { card, expect, nodeClient, openBoard, personContext, test } from './fixtures';

test('a leader records a visit, lists the problems it found, and each problem shows its visit', async ({
	browser,
	baseURL
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await page.goto('/c/2022/visits');
	await expect(page.getByRole('heading', { name: '调查研究 · 走访记录' })).toBeVisible();
	const funingRow = page.getByTestId('compliance').locator('tr[data-county="funing"]');
	const before = Number((await funingRow.locator('td').nth(1).innerText()).split('/')[0]);

	await page.getByTestId('record-visit').click();
	const dialog = page.getByTestId('visit-dialog');
	await dialog.getByLabel('县区').selectOption({ label: '抚宁区' });
	await expect(dialog.getByLabel('联系领导')).toHaveValue('李光');
	await dialog.getByLabel('日期').fill('2022-10-25');
	await dialog.getByLabel('方式').selectOption({ label: '视频会议' });
	await dialog.getByLabel('参加人员').fill('李光、孔铁军、陈会莹');
	await dialog.getByLabel('健全完善工会组织体系').check();
	await dialog.getByLabel('走访情况').fill('视频连线抚宁区总工会，了解乡镇工会建设情况。');

	// Someone else records a visit meanwhile: what this person typed stays in the form.
	const other = await nodeClient(baseURL!, 'campaign.2022');
	recordVisit(
		other.doc,
		{
			county: 'qinglong',
			date: '2022-10-24',
			mode: 'phone',
			leader: '王军',
			participants: '王军（另一位）',
			topics: []
		},
		'王军'
	);
	await expect(page.getByTestId('visit').filter({ hasText: '王军（另一位）' })).toHaveCount(1);
	other.provider.destroy();
	await expect(dialog.getByLabel('参加人员')).toHaveValue('李光、孔铁军、陈会莹');
	await dialog.getByRole('button', { name: '保存走访' }).click();

	const visit = page.getByTestId('visit').filter({ hasText: '李光、孔铁军、陈会莹' });
	await expect(visit).toContainText('视频会议');
	await expect(visit).toContainText('健全完善工会组织体系');
	await expect(funingRow.locator('td').nth(1)).toHaveText(`${before + 1} / 2`);
	// The video call counts, and is shown apart from on-site visits.
	await expect(funingRow.locator('td').nth(2)).toContainText(/视频\/电话 [1-9]/);

	await visit.getByPlaceholder('从本次走访添加问题，回车确认').fill('走访：乡镇工会专职人员流失');
	await visit.getByPlaceholder('从本次走访添加问题，回车确认').press('Enter');
	await expect(visit.getByTestId('visit-problems')).toContainText('发现的问题（1）');
	await visit.getByRole('link', { name: '走访：乡镇工会专职人员流失' }).click();

	// The link opens the county board with the problem, which names its visit.
	await expect(page.getByTestId('problem-detail')).toBeVisible();
	await expect(page.getByTestId('source-visit')).toContainText('视频会议 · 李光');
	// Its 联系领导 is the visit's leader, so the ledger's filters and export find it.
	await expect(page.getByTestId('problem-detail').getByLabel('联系领导')).toHaveValue('李光');
	await expect(card(page, '走访：乡镇工会专职人员流失')).toBeVisible();
	await context.close();
});

test('the ledger filters and sorts across counties, and its search finds Chinese words offline', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, 'changli');
	await page.getByRole('button', { name: '添加问题' }).first().click();
	const input = page.getByPlaceholder('问题标题，回车添加');
	await input.fill('台账：葡萄酒产业工人技能认定渠道少');
	await input.press('Enter');
	await input.fill('台账：县工人文化宫被挪作他用');
	await input.press('Enter');
	await card(page, '台账：县工人文化宫被挪作他用').click();
	await page.getByTestId('description').fill('场馆被县文旅部门长期占用，职工活动无处开展');
	await page.getByTestId('detail-due').fill('2023-03-15');
	await page.getByRole('button', { name: '关闭' }).click();

	await page.goto('/c/2022/ledger');
	await expect(page.getByTestId('ledger-row').first()).toBeVisible();
	await page.getByTestId('ledger-filters').getByLabel('县区').selectOption({ label: '昌黎县' });
	await expect(page.getByTestId('ledger-table')).toContainText(
		'台账：葡萄酒产业工人技能认定渠道少'
	);
	await expect(page).toHaveURL(/county=changli/);

	// Offline, the search still finds a word inside a description.
	await context.setOffline(true);
	await page.getByTestId('ledger-search').fill('文旅');
	await expect(page.getByTestId('ledger-row')).toHaveCount(1);
	await expect(page.getByTestId('ledger-row')).toContainText('台账：县工人文化宫被挪作他用');
	await page.getByTestId('ledger-search').fill('没有这个词');
	await expect(page.getByTestId('ledger-empty')).toBeVisible();
	await context.setOffline(false);

	// The deadline calendar puts it on its day.
	await page.goto('/c/2022/ledger?county=changli&view=calendar&month=2023-03');
	await expect(
		page.getByTestId('deadline-calendar').locator('td[data-date="2023-03-15"]')
	).toContainText('台账：县工人文化宫被挪作他用');
	await page.getByRole('button', { name: '下个月' }).click();
	await expect(page).toHaveURL(/month=2023-04/);

	// For a meeting, one county at a time, large, then by tier (meeting.spec.ts has the rest).
	await page.goto('/c/2022/ledger?county=changli');
	await page.getByRole('button', { name: '会议模式' }).click();
	const meeting = page.getByRole('dialog', { name: '会议模式' });
	await expect(meeting.getByRole('heading', { level: 2 })).toHaveText('海港区');
	await page.keyboard.press('ArrowRight');
	await expect(meeting.getByRole('heading', { level: 2 })).toHaveText('山海关区');
	await meeting.getByRole('button', { name: '按层级' }).click();
	await expect(meeting.getByRole('heading', { level: 2 })).toHaveText('待分类');
	await expect(meeting).toContainText('台账：葡萄酒产业工人技能认定渠道少');
	await page.keyboard.press('Escape');
	await expect(meeting).toHaveCount(0);
	await context.close();
});
