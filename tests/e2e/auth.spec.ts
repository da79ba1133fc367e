import { ADMIN_PASSWORD, PASSWORD } from './people';
import { expect, test } from './fixtures';

test('a wrong password is refused in plain words, the right one opens the campaign overview', async ({
	page
}) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill('not-the-password');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确');

	await page.getByLabel('密码').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('heading', { name: '县级工会加强年 · 概览' })).toBeVisible();
	const tiles = page.getByTestId('county-tile');
	await expect(tiles).toHaveCount(7);
	await expect(tiles.filter({ hasText: '海港区' })).toContainText('联系领导：孙宝旗');
	await expect(tiles.filter({ hasText: '海港区' })).toContainText('张鑫 3550577');
	await expect(tiles.filter({ hasText: '北戴河区' })).toContainText('省总工会对口联系');
	await expect(tiles.filter({ hasText: '昌黎县' })).toContainText('省总工会对口联系');
});

test('the administrator adds a county user on the admin page, who can then sign in', async ({
	page,
	browser
}) => {
	await page.goto('/login');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await page.getByRole('link', { name: '用户管理' }).click();

	const form = page.getByTestId('add-user');
	await form.getByLabel('用户名').fill('chenhuiying');
	await form.getByLabel('姓名').fill('陈会莹');
	await form.getByLabel('角色').selectOption('county');
	await form.getByLabel('县区').selectOption({ label: '抚宁区' });
	await form.getByLabel('初始密码').fill(PASSWORD);
	await form.getByRole('button', { name: '添加用户' }).click();
	await expect(
		page.getByTestId('users-table').locator('tr[data-username="chenhuiying"]')
	).toContainText('陈会莹');

	// The same username again is refused with a clear message.
	await form.getByLabel('用户名').fill('chenhuiying');
	await form.getByLabel('初始密码').fill(PASSWORD);
	await form.getByRole('button', { name: '添加用户' }).click();
	await expect(form.getByRole('alert')).toHaveText('用户名已被使用');

	const other = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const newcomer = await other.newPage();
	await newcomer.goto('/login');
	await newcomer.getByLabel('用户名').fill('chenhuiying');
	await newcomer.getByLabel('密码').fill(PASSWORD);
	await newcomer.getByRole('button', { name: '登录' }).click();
	await expect(newcomer.getByTestId('current-user')).toContainText('陈会莹');
	// A county officer lands on their own county's board; the overview marks it as theirs.
	await expect(newcomer).toHaveURL(/\/c\/2022\/funing$/);
	await expect(newcomer.getByTestId('board')).toBeVisible();
	await newcomer.getByRole('link', { name: '← 返回概览' }).click();
	await expect(newcomer.getByTestId('county-tile').filter({ hasText: '抚宁区' })).toContainText(
		'本县区'
	);
	await other.close();
});
