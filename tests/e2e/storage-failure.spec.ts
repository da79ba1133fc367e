import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD } from './people';
import { startServer, type RunningServer } from './server';

let server: RunningServer;

test.beforeAll(async () => {
	// A short busy timeout, so a write blocked by another connection fails within the test.
	server = await startServer({
		QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
		SQLITE_BUSY_TIMEOUT_MS: '200'
	});
});

test.afterAll(async () => {
	await server.stop();
});

test('sign-in while the server cannot write says so, not "wrong password", and works once it can', async ({
	browser
}) => {
	const context = await browser.newContext({ baseURL: server.baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(ADMIN_PASSWORD);
	// Another process holds SQLite's write lock, as a stuck process or a full disk stops writes.
	const holder = new Database(join(server.dataDir, 'qingdan.sqlite'));
	holder.exec('BEGIN EXCLUSIVE');
	try {
		await page.getByRole('button', { name: '登录' }).click();
		await expect(
			page.getByText('服务器暂时无法处理登录（存储繁忙或出错），请稍后再试')
		).toBeVisible();
		await expect(page.getByText('用户名或密码不正确')).toHaveCount(0);
	} finally {
		holder.exec('ROLLBACK');
		holder.close();
	}
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
	await context.close();
});
