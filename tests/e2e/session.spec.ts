import { ADMIN_PASSWORD } from './people';
import { addProblem, card, expect, openBoard, test } from './fixtures';

test('when the session ends while working, editing goes on locally and syncs after signing in again', async ({
	browser,
	baseURL
}) => {
	// A person of their own, so that ending their sessions disturbs no other test.
	const admin = await browser.newContext({ baseURL });
	await admin.request.post('/api/session', {
		data: { username: 'admin', password: ADMIN_PASSWORD }
	});
	const created = await admin.request.post('/api/users', {
		data: {
			username: 'liuyue',
			displayName: '刘越',
			role: 'county',
			county: 'shanhaiguan',
			password: 'first-password-1'
		},
		headers: { origin: baseURL! }
	});
	expect(created.status()).toBe(201);

	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('liuyue');
	await page.getByLabel('密码').fill('first-password-1');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toContainText('刘越');
	await openBoard(page, 'shanhaiguan');

	// The administrator resets the password: every session of that person ends.
	const reset = await admin.request.patch('/api/users/liuyue', {
		data: { password: 'second-password-2' },
		headers: { origin: baseURL! }
	});
	expect(reset.ok()).toBe(true);
	await expect(page.getByRole('alert')).toContainText('登录已过期');
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'signed-out');

	// Work goes on, kept on this device.
	await addProblem(page, '过期：景区临时工合同签订率低');
	await expect(page.getByTestId('sync-status')).toContainText(/未登录 · \d+ 项更改未上传/);

	await page.getByRole('link', { name: '重新登录' }).click();
	await page.getByLabel('密码').fill('second-password-2');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL(/\/c\/2022\/shanhaiguan/);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});

	// Someone else sees what was written while signed out.
	const other = await browser.newContext({ baseURL });
	const otherPage = await other.newPage();
	await otherPage.goto('/login');
	await otherPage.getByLabel('用户名').fill('admin');
	await otherPage.getByLabel('密码').fill(ADMIN_PASSWORD);
	await otherPage.getByRole('button', { name: '登录' }).click();
	await expect(otherPage.getByTestId('current-user')).toContainText('管理员');
	await openBoard(otherPage, 'shanhaiguan');
	await expect(card(otherPage, '过期：景区临时工合同签订率低')).toBeVisible();

	for (const c of [admin, context, other]) await c.close();
});
