import type { Locator, Page } from '@playwright/test';
import { addProblem, card, expect, headerControl, openBoard, test } from './fixtures';
import { contextOn, serverWithPeople } from './own-server';
import type { RunningServer } from './server';

// Exact counts over every county: this spec runs on a server of its own (山海关区 and 海港区).
let server: RunningServer;
test.beforeAll(async () => {
	server = await serverWithPeople();
});
test.afterAll(async () => server.stop());

/** Today and a day some days from it, in Shanghai. */
const shanghaiDay = (offset = 0) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
		new Date(Date.now() + offset * 86_400_000)
	);

test('the dashboard counts what the boards hold, and every number opens the filtered ledger', async ({
	browser
}) => {
	const { context, page } = await contextOn(browser, server, 'wuwei');
	await openBoard(page, 'shanhaiguan');
	await addProblem(page, '看板：景区职工休息点不足', '党委政府协调');
	await addProblem(page, '看板：职工书屋图书陈旧', '工会系统解决');
	await addProblem(page, '看板：劳动争议调解员缺', '待分类');

	await card(page, '看板：景区职工休息点不足').click();
	await page.getByTestId('detail-due').fill('2023-01-10');
	await page.getByRole('button', { name: '关闭' }).click();
	await card(page, '看板：职工书屋图书陈旧').click();
	await page.getByTestId('detail-due').fill(shanghaiDay(3));
	await page.getByLabel('工作目标').selectOption({ label: '服务阵地强' });
	await page.getByRole('button', { name: '关闭' }).click();
	await expect(card(page, '看板：职工书屋图书陈旧')).toContainText('即将到期');

	await openBoard(page, 'haigang');
	await addProblem(page, '看板：外卖骑手入会难');

	await page.goto('/c/2022');
	const dashboard = page.getByTestId('dashboard');
	await expect(dashboard.getByTestId('dash-total').locator('strong')).toHaveText('4');
	await expect(dashboard.getByTestId('dash-overdue').locator('strong')).toHaveText('1');
	await expect(dashboard.getByTestId('dash-due-soon')).toContainText('7 天内到期');
	await expect(dashboard.getByTestId('dash-due-soon').locator('strong')).toHaveText('1');
	await expect(dashboard.getByTestId('dash-closed').locator('strong')).toHaveText('0%');
	// Five counties are paired with city leaders, two visits each, none made yet.
	await expect(dashboard.getByTestId('dash-visits').locator('strong')).toHaveText('0/10');

	const row = page.getByTestId('dash-matrix').locator('tr[data-county="shanhaiguan"]');
	await expect(row.locator('td[data-tier="party-gov"]')).toHaveText('1');
	await expect(row.locator('td[data-tier="union-system"]')).toHaveText('1');
	await expect(row.locator('td[data-tier="unsorted"]')).toHaveText('1');
	await expect(row.locator('td[data-tier="county-self"]')).toHaveText('0');
	await expect(row.locator('td[data-status="open"]')).toHaveText('3');
	await expect(row.locator('td[data-key="total"]')).toHaveText('3');
	await expect(row.locator('td[data-key="overdue"]')).toHaveText('1');
	await expect(row.locator('td[data-key="due-soon"]')).toHaveText('1');
	const all = page.getByTestId('dash-matrix').locator('tr[data-county="all"]');
	await expect(all.locator('td[data-key="total"]')).toHaveText('4');

	// The county tiles below read the same boards.
	const tile = page.locator('[data-testid="county-tile"][data-county="shanhaiguan"]');
	await expect(tile.getByTestId('tile-total')).toHaveText('3 个问题');

	// The charts are pictures with a name, tooltips and a table of the same numbers.
	const tiers = page.getByTestId('chart-tiers');
	await expect(tiers.getByRole('img', { name: '各县区问题层级分布' })).toBeVisible();
	await expect(
		tiers.getByRole('img').locator('title', { hasText: '山海关区 · 党委政府协调：1' })
	).toHaveCount(1);
	const trend = page.getByTestId('chart-trend');
	await trend.getByText('数据表').click();
	await expect(trend.locator('tbody tr').last().locator('td').first()).toHaveText('4');

	// Click-through: a cell of the matrix opens the ledger filtered the same way.
	await row.locator('td[data-tier="party-gov"] a').click();
	await expect(page).toHaveURL(/\/ledger\?county=shanhaiguan&tier=party-gov$/);
	await expect(page.getByTestId('ledger-count')).toHaveText('共 1 个问题');
	await expect(page.getByTestId('ledger-row')).toContainText('看板：景区职工休息点不足');

	await page.goBack();
	await dashboard.getByTestId('dash-overdue').click();
	await expect(page).toHaveURL(/warning=overdue/);
	await expect(page.getByTestId('ledger-count')).toHaveText('共 1 个问题');
	await expect(page.getByTestId('ledger-row')).toContainText('看板：景区职工休息点不足');

	await page.goBack();
	// Due soon is the blue warning of the cards, within the same 7 days.
	await row.locator('td[data-key="due-soon"] a').click();
	await expect(page).toHaveURL(/\/ledger\?county=shanhaiguan&warning=due-soon$/);
	await expect(page.getByTestId('ledger-filters').getByLabel('预警')).toHaveValue('due-soon');
	await expect(page.getByTestId('ledger-count')).toHaveText('共 1 个问题');
	await expect(page.getByTestId('ledger-row')).toContainText('看板：职工书屋图书陈旧');

	// County × goal: where each county is weak, through to its open problems of that goal.
	await page.goBack();
	const goals = page.getByTestId('heat-goals').locator('tr[data-row="shanhaiguan"]');
	await expect(goals.locator('td[data-col="service"]')).toHaveText('1');
	await expect(goals.locator('td[data-col="none"]')).toHaveText('2');
	await goals.locator('td[data-col="service"] a').click();
	await expect(page).toHaveURL(/goal=service&open=1/);
	await expect(page.getByTestId('ledger-filters').getByLabel('工作目标')).toHaveValue('service');
	await expect(page.getByTestId('ledger-count')).toHaveText('共 1 个问题');
	await expect(page.getByTestId('ledger-row')).toContainText('看板：职工书屋图书陈旧');

	// A column of the opened/closed chart opens the problems listed in that month.
	await page.goBack();
	await page.getByTestId('chart-trend').locator('svg.links a[href*="opened="]').last().click();
	await expect(page.getByTestId('opened-range')).toBeVisible();
	await expect(page.getByTestId('ledger-count')).toHaveText('共 4 个问题');
	await context.close();
});

test('the dashboard follows the board live, and reads in English', async ({ browser }) => {
	const { context, page } = await contextOn(browser, server, 'wuwei');
	await page.goto('/c/2022');
	const total = page.getByTestId('dash-total').locator('strong');
	// Every county board on the page has synced with the server before the count is read.
	await expect(page.getByTestId('county-tile')).toHaveCount(7);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	const before = Number(await total.innerText());

	// Someone else lists a problem on a board: the open dashboard counts it without a reload.
	const other = await contextOn(browser, server, 'zhangxin');
	await openBoard(other.page, 'haigang');
	await addProblem(other.page, '看板：实时计数的问题');
	await expect(total).toHaveText(String(before + 1));

	await (await headerControl(page, 'English')).click();
	await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
	await expect(
		page.getByTestId('chart-tiers').getByRole('img', { name: 'Problems per county and tier' })
	).toBeVisible();
	await other.context.close();
	await context.close();
});

test('no label on the county tiles or the key figures is cut, from a wide screen to a phone', async ({
	browser
}) => {
	const { context, page } = await contextOn(browser, server, 'wuwei');
	await openBoard(page, 'lulong');
	await addProblem(page, '看板：标签完整显示', '县级工会自身解决');
	await page.goto('/c/2022');
	const tile = page
		.getByTestId('county-tile')
		.filter({ has: page.getByRole('heading', { name: '卢龙县' }) });
	await expectWholeLabels(page, tile, {
		figures: ['问题总数', '销号率', '超期未销号', '7 天内到期', '联系领导走访（本年度）'],
		terms: [
			'待分类',
			'党委政府协调',
			'工会系统解决',
			'县级工会自身解决',
			'待办',
			'推进中',
			'已解决（待核验）',
			'已销号'
		]
	});

	await (await headerControl(page, 'English')).click();
	await expectWholeLabels(page, tile, {
		figures: [
			'Problems',
			'Closure rate',
			'Overdue, not closed',
			'Due within 7 days',
			"Paired leaders' visits (this year)"
		],
		terms: [
			'Unsorted',
			'Party & government coordination',
			'Solved within the union system',
			'Solved by the county union',
			'Open',
			'In progress',
			'Resolved (to verify)',
			'Closed'
		]
	});
	await context.close();
});

/**
 * At each width the app is made for, `tile` shows its tier and status labels in full, the key
 * figures show theirs, and no label on any tile or figure is wider than its box or its tile.
 */
async function expectWholeLabels(
	page: Page,
	tile: Locator,
	{ figures, terms }: { figures: string[]; terms: string[] }
) {
	const dashboard = page.getByTestId('dashboard');
	const figureLabels = figures.map((label) =>
		dashboard.getByRole('link', { name: label }).getByText(label)
	);
	const labels = figureLabels.reduce(
		(all, label) => all.or(label),
		page.getByTestId('county-tile').getByRole('term')
	);
	for (const width of [1920, 1280, 375]) {
		await page.setViewportSize({ width, height: 900 });
		await expect(tile.getByRole('term')).toHaveText(terms);
		for (const label of [...figureLabels, ...(await tile.getByRole('term').all())]) {
			await expect(label).toBeVisible();
		}
		const cut = await labels.evaluateAll((elements) =>
			elements
				.filter((label) => {
					const box = label.getBoundingClientRect();
					const tile = label.closest('a')!.getBoundingClientRect();
					return (
						label.scrollWidth > label.clientWidth || box.left < tile.left || box.right > tile.right
					);
				})
				.map((label) => label.textContent)
		);
		expect({ width, cut }).toEqual({ width, cut: [] });
	}
}
