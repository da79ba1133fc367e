import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, signIn } from './fixtures';
import { ADMIN_PASSWORD, PASSWORD, USERS, type Person } from './people';
import { startServer, type RunningServer } from './server';

/**
 * A server of a spec's own, with the people of people.ts: for tests that check exact counts
 * across every county, which problems other specs add to the shared server would upset.
 */
export async function serverWithPeople(): Promise<RunningServer> {
	const server = await startServer({ QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD });
	const login = await fetch(`${server.baseURL}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD })
	});
	if (!login.ok) throw new Error(`admin login failed: ${login.status}`);
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
	for (const user of Object.values(USERS)) {
		const response = await fetch(`${server.baseURL}/api/users`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie, origin: server.baseURL },
			body: JSON.stringify({ ...user, password: PASSWORD })
		});
		if (response.status !== 201) throw new Error(`creating ${user.username}: ${response.status}`);
	}
	return server;
}

/** A fresh browser context on `server`, signed in as `person` (or as the administrator). */
export async function contextOn(
	browser: Browser,
	server: RunningServer,
	person: Person | 'admin'
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: server.baseURL });
	const page = await context.newPage();
	if (person !== 'admin') {
		await signIn(page, person);
	} else {
		await page.goto('/login');
		await page.getByLabel('用户名').fill('admin');
		await page.getByLabel('密码').fill(ADMIN_PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page.getByTestId('current-user')).toContainText('管理员');
	}
	return { context, page };
}
