import fs from 'node:fs';
import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';
import { ADMIN_PASSWORD } from './people';

const TITLE = '审计：职工书屋缺少图书';

test('the history panel shows who changed what as the server recorded it, and an administrator exports it as CSV', async ({
	browser
}) => {
	const county = await personContext(browser, 'zhangxin');
	const page = county.page;
	await openBoard(page, 'haigang');
	await addProblem(page, TITLE);
	await card(page, TITLE).click();
	const detail = page.getByTestId('problem-detail');
	const saved = () =>
		expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	await detail.getByTestId('detail-due').fill('2023-03-01');
	await saved();
	await detail.getByTestId('detail-due').fill('2023-04-01');
	await saved();
	await detail.getByPlaceholder('添加一条举措，回车确认').fill('走访企业');
	await detail.getByPlaceholder('添加一条举措，回车确认').press('Enter');
	await detail.getByRole('checkbox', { name: '走访企业' }).check();
	await saved();

	const history = detail.getByTestId('history');
	await expect(history).toContainText('张鑫 将截止日期从 2023-03-01 改为 2023-04-01');
	await expect(history).toContainText('张鑫 勾选了举措「走访企业」');
	await expect(history.locator('[data-source="server"]').first()).toBeVisible();
	await expect(detail.getByTestId('history-offline')).toBeHidden();
	await detail.getByRole('button', { name: '关闭' }).click();

	// Another account sees the same record, named by the server, and adds to it (restoring a
	// deleted problem is for the city union).
	const city = await personContext(browser, 'wuwei');
	const cityPage = city.page;
	await openBoard(cityPage, 'haigang');
	await card(cityPage, TITLE).click();
	const cityHistory = cityPage.getByTestId('history');
	await expect(cityHistory).toContainText('张鑫 将截止日期从 2023-03-01 改为 2023-04-01');
	await cityPage.getByTestId('detail-delete').click();
	await cityPage.getByRole('dialog').getByRole('button', { name: '删除' }).click();
	await expect(card(cityPage, TITLE)).toHaveCount(0);
	await cityPage.getByTestId('toast').getByRole('button', { name: '撤销' }).click();
	await expect(card(cityPage, TITLE)).toBeVisible();
	await expect(cityPage.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await card(cityPage, TITLE).click();
	await expect(cityHistory).toContainText('武威 删除了问题');
	await expect(cityHistory).toContainText('武威 恢复了问题');
	await city.context.close();
	await card(page, TITLE).click();
	await expect(history).toContainText('武威 恢复了问题');

	// Offline, the panel says it shows only this device's log; back online, the record again.
	await county.context.setOffline(true);
	await detail.getByPlaceholder('记录一条进展，回车保存').fill('离线时记下的进展');
	await detail.getByPlaceholder('记录一条进展，回车保存').press('Enter');
	await expect(detail.getByTestId('history-offline')).toHaveText('离线：仅显示本机记录');
	await expect(history).toContainText('张鑫：离线时记下的进展');
	await county.context.setOffline(false);
	await saved();
	await expect(detail.getByTestId('history-offline')).toBeHidden();
	await expect(
		history.locator('[data-source="server"]').filter({ hasText: '张鑫：离线时记下的进展' })
	).toBeVisible();
	await county.context.close();

	const admin = await browser.newContext({
		baseURL: process.env.QD_BASE_URL,
		acceptDownloads: true
	});
	const adminPage = await admin.newPage();
	await adminPage.goto('/login');
	await adminPage.getByLabel('用户名').fill('admin');
	await adminPage.getByLabel('密码').fill(ADMIN_PASSWORD);
	await adminPage.getByRole('button', { name: '登录' }).click();
	await expect(adminPage.getByTestId('current-user')).toBeVisible();
	await adminPage.goto('/admin/users');
	await adminPage.getByTestId('audit-link').click();
	await expect(adminPage.getByRole('heading', { name: '导出审计记录' })).toBeVisible();
	// The default period is this month up to today, which holds the changes above.
	const downloading = adminPage.waitForEvent('download');
	await adminPage.getByTestId('audit-export').click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
	const text = fs.readFileSync((await download.path())!, 'utf8');
	expect(text.startsWith('\uFEFF时间,账号,姓名,文档,问题ID,字段,变更,原值,新值\r\n')).toBe(true);
	expect(text).toContain(',zhangxin,张鑫,county.2022.haigang,');
	expect(text).toContain(',截止日期,修改,2023-03-01,2023-04-01');
	expect(text).toContain(',具体举措,勾选,,走访企业');
	expect(text).toContain(',进展情况,添加,,离线时记下的进展');

	// A period that ends before it starts cannot be exported.
	await adminPage.getByTestId('audit-from').fill('2023-03-05');
	await adminPage.getByTestId('audit-to').fill('2023-03-01');
	await expect(adminPage.getByRole('alert')).toHaveText('结束日期不能早于开始日期。');
	await expect(adminPage.getByTestId('audit-export')).toHaveCount(0);
	await admin.close();
});
