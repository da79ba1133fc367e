import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from './server';

let fresh: RunningServer;
test.beforeAll(async () => {
	// A server of its own, started without QINGDAN_ADMIN_PASSWORD: nobody exists yet.
	fresh = await startServer();
});
test.afterAll(async () => fresh.stop());

test('the first visitor of a fresh server creates the administrator, once', async ({ browser }) => {
	const context = await browser.newContext({ baseURL: fresh.baseURL });
	const page = await context.newPage();
	await page.goto('/');
	await expect(page).toHaveURL(/\/setup/);
	await expect(page.getByRole('heading', { name: '创建管理员' })).toBeVisible();
	// The username rule is said before anything is sent; a Chinese name is refused in plain words.
	await expect(page.getByText('2–32 个字符：小写英文字母')).toBeVisible();
	await page.getByLabel('用户名').fill('陈静');
	await page.getByLabel('密码').fill('chen-jing-2022');
	await page.getByRole('button', { name: '创建并登录' }).click();
	await expect(page.getByRole('alert')).toContainText('中文姓名请填在“姓名”里');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('姓名').fill('陈静');
	await page.getByRole('button', { name: '创建并登录' }).click();
	await expect(page.getByTestId('current-user')).toContainText('陈静');
	await expect(page.getByTestId('county-tile')).toHaveCount(7);

	// The page can't be used a second time.
	const other = await browser.newContext({ baseURL: fresh.baseURL });
	const late = await other.newPage();
	await late.goto('/setup');
	await late.getByLabel('密码').fill('late-comer-qd-7319-yz');
	await late.getByRole('button', { name: '创建并登录' }).click();
	await expect(late.getByRole('alert')).toHaveText('管理员已存在，请直接登录');
	await context.close();
	await other.close();
});
