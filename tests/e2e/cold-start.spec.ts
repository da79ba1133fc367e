import type { Page } from '@playwright/test';
import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';

/** Names of this browser's IndexedDB databases. */
const databases = (page: Page) =>
	page.evaluate(() => indexedDB.databases().then((list) => list.map((d) => d.name)));

test('a board this device holds opens from its local copy while the server has not yet confirmed the sign-in', async ({
	browser
}) => {
	const title = `冷启动：本机已有的问题 ${Date.now().toString(36).slice(-5)}`;
	const { context, page } = await personContext(browser, 'zhangxin');
	await openBoard(page, 'haigang');
	await addProblem(page, title);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

	// The server's answer to "who is signed in" is held back until the board has shown its cards.
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	let asked = false;
	await context.route('**/api/me', async (route) => {
		asked = true;
		await held;
		await route.continue();
	});
	await page.reload();
	await expect(card(page, title)).toBeVisible();
	await expect(page.getByTestId('current-user')).toBeVisible();
	// Waiting for the answer is neither offline nor signed out.
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'syncing');
	expect(asked).toBe(true);
	release();
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await context.close();
});

test('the address of a county that does not exist says so and leaves nothing on the device', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'zhangxin');
	await openBoard(page, 'haigang');
	await page.goto('/c/2022/nosuchcounty');
	const missing = page.getByRole('heading', { name: '县区不存在' });
	await expect(missing).toBeVisible();
	await page.reload();
	await expect(missing).toBeVisible();
	expect(await databases(page)).toContain('county.2022.haigang');
	expect(await databases(page)).not.toContain('county.2022.nosuchcounty');
	await context.close();
});
