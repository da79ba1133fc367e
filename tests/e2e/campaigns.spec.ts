import { addProblem, card, expect, test, untilControlled } from './fixtures';
import { contextOn, serverWithPeople } from './own-server';
import type { RunningServer } from './server';

// Creating campaign 2023 would change what other specs count: this spec has a server of its own.
let server: RunningServer;
test.beforeAll(async () => {
	server = await serverWithPeople();
});
test.afterAll(async () => {
	await server?.stop();
});

test('an administrator creates 2023 from 2022 with its unclosed problems, which link back; archived, it is read-only for a city user', async ({
	browser
}) => {
	const city = await contextOn(browser, server, 'wuwei');
	await city.page.goto('/c/2022/haigang');
	await expect(city.page.getByTestId('board')).toBeVisible();
	await addProblem(city.page, '带入：职工之家建设滞后');
	await expect(city.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	const admin = await contextOn(browser, server, 'admin');
	const page = admin.page;
	await page.goto('/admin/users');
	await page.getByRole('navigation').getByRole('link', { name: '活动管理' }).click();
	await expect(page.getByRole('heading', { name: '活动管理', level: 1 })).toBeVisible();
	const form = page.getByTestId('add-campaign');
	await expect(form).toContainText('带入未销号问题');
	await form.getByLabel('活动编号').fill('2023');
	await form.getByLabel('活动名称').fill('县级工会加强年 2023');
	await form.getByLabel('开始日期').fill('2023-10-01');
	await form.getByLabel('结束日期').fill('2024-09-30');
	await form.getByLabel('报送日期').fill('2023-10-15');
	await form.getByLabel('复制自').selectOption('2022');
	await form.getByLabel('带入未销号问题').check();
	await form.getByRole('button', { name: '建立活动' }).click();
	const row = page
		.getByTestId('campaigns-table')
		.getByRole('row')
		.filter({ has: page.getByRole('cell', { name: '2023', exact: true }) });
	await expect(row).toContainText('县级工会加强年 2023');
	await expect(row).toContainText('7');

	// A second campaign with the same id is refused in plain words.
	await form.getByLabel('活动编号').fill('2023');
	await form.getByLabel('活动名称').fill('重复');
	await form.getByLabel('开始日期').fill('2023-10-01');
	await form.getByLabel('结束日期').fill('2024-09-30');
	await form.getByRole('button', { name: '建立活动' }).click();
	await expect(form.getByRole('alert')).toContainText('活动编号 2023 已经存在');

	await page.goto('/c/2023/haigang');
	await expect(page.getByTestId('board')).toBeVisible();
	await card(page, '带入：职工之家建设滞后').click();
	const link = page.getByTestId('problem-detail').getByRole('link', { name: '来自 2022 清单' });
	await expect(link).toBeVisible();
	await link.click();
	await expect(page).toHaveURL(/\/c\/2022\/haigang\?problem=/);
	await expect(page.getByTestId('problem-detail').getByTestId('detail-title')).toHaveValue(
		'带入：职工之家建设滞后'
	);

	await page.goto('/c/nope');
	await expect(page.getByRole('heading', { name: '活动不存在' })).toBeVisible();
	await expect(page.getByText('正在载入…')).toHaveCount(0);
	await page.getByRole('link', { name: '查看全部活动' }).click();
	await expect(page.getByRole('link', { name: '县级工会加强年 2023' })).toBeVisible();
	await page.goto('/c/2023/nowhere');
	await expect(page.getByRole('heading', { name: '县区不存在' })).toBeVisible();

	await page.goto('/admin/campaigns');
	await row.getByRole('button', { name: /归档/ }).click();
	await page.getByRole('dialog').getByRole('button', { name: '归档' }).click();
	await expect(row).toContainText('已归档（只读）');

	await city.page.goto('/c/2023/haigang');
	await expect(city.page.getByText('已归档（只读）')).toBeVisible();
	await expect(city.page.getByTestId('board')).toBeVisible();
	await expect(card(city.page, '带入：职工之家建设滞后')).toBeVisible();
	await expect(city.page.getByTestId('read-only')).toBeVisible();
	await expect(city.page.getByRole('button', { name: '添加问题' })).toHaveCount(0);
	await card(city.page, '带入：职工之家建设滞后').click();
	await expect(city.page.getByTestId('detail-title')).toBeDisabled();

	await city.context.close();
	await admin.context.close();
});

test('offline, a link to a campaign that does not exist is judged from the list this device last saw', async ({
	browser
}) => {
	const { context, page } = await contextOn(browser, server, 'wuwei');
	await page.goto('/c/2022');
	await expect(page.getByRole('heading', { name: /概览/ })).toBeVisible();
	await untilControlled(page);
	await context.setOffline(true);
	await page.goto('/c/nope');
	await expect(page.getByRole('heading', { name: '活动不存在' })).toBeVisible();
	await page.goto('/c/2022/nowhere');
	await expect(page.getByRole('heading', { name: '县区不存在' })).toBeVisible();
	await page.goto('/c/2022/haigang');
	await expect(page.getByTestId('board')).toBeVisible();
	await context.close();
});
