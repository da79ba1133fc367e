import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';
import { PASSWORD, USERS, type Person } from './people';

const COUNTY_COUNT = 7;

/** Signs in straight to the device page, so that nothing else is opened on the way. */
async function signInToDevicePage(page: Page, person: Person) {
	await page.goto('/login?next=/device');
	await page.getByLabel('用户名').fill(USERS[person].username);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('device-page')).toBeVisible();
}

/** Leaves the app for a page of the same site that runs none of it (its IndexedDB is free). */
async function leaveApp(page: Page) {
	await page.goto('/manifest.webmanifest');
}

async function checkOnServer(browser: Browser, county: string, titles: string[]) {
	const fresh = await personContext(browser, 'zhaowenjing');
	await openBoard(fresh.page, county);
	for (const title of titles) await expect(card(fresh.page, title)).toBeVisible();
	await fresh.context.close();
}

const row = (page: Page, doc: string) =>
	page.locator(`[data-testid="device-doc"][data-doc="${doc}"]`);

test('the device page lists what is on this device, downloads every county for offline use, and never drops unsynced changes', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'shanhaiguan');
	await addProblem(city.page, '本机：山海关区待下载的问题');

	const context = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const page = await context.newPage();
	await signInToDevicePage(page, 'jinlongfei');
	await expect(page.getByTestId('device-empty')).toContainText('还没有保存任何看板');
	await expect(page.getByTestId('storage-persisted')).toContainText('持久存储');

	await page.getByRole('button', { name: '下载我的所有县区以便离线使用' }).click();
	await expect(page.getByTestId('toast').filter({ hasText: '所有县区已下载' })).toBeVisible({
		timeout: 30_000
	});
	await expect(page.getByTestId('device-doc')).toHaveCount(COUNTY_COUNT + 1);
	await expect(row(page, 'campaign.2022')).toContainText('县级工会加强年 · 活动记录');
	await expect(row(page, 'county.2022.shanhaiguan')).toContainText('山海关区 · 问题清单');
	await expect(row(page, 'county.2022.shanhaiguan')).toContainText('实时同步中');
	await expect(row(page, 'county.2022.qinglong').getByTestId('device-doc-pending')).toHaveText(
		'无'
	);
	const { violations } = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(
		violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
	).toEqual([]);

	// Offline, a board never opened on this device before opens with the server's content.
	await context.setOffline(true);
	await page.goto('/c/2022/shanhaiguan');
	await expect(card(page, '本机：山海关区待下载的问题')).toBeVisible();

	// An unsynced change: downloading that board again is refused, and the change stays.
	await page.goto('/c/2022/qinglong');
	await addProblem(page, '本机：离线记下、尚未上传');
	await page.goto('/device');
	await expect(page.getByTestId('device-doc')).toHaveCount(COUNTY_COUNT + 1);
	// Sizes are measured from the stored copies, also of boards not open on this page.
	await expect(row(page, 'county.2022.shanhaiguan')).toContainText(/\d+ kB/);
	const qinglong = row(page, 'county.2022.qinglong');
	await expect(qinglong.getByTestId('device-doc-pending')).toHaveText(/\d+ 项/);
	await qinglong.getByRole('button', { name: '从服务器重新下载' }).click();
	await expect(qinglong).toContainText('尚未上传到服务器，重新下载会丢失它们');
	await page.goto('/c/2022/qinglong');
	await expect(card(page, '本机：离线记下、尚未上传')).toBeVisible();

	// Online again and synced: now it may be downloaded again, and the server's copy is complete.
	await context.setOffline(false);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});
	await page.getByRole('link', { name: '本机数据' }).click();
	await expect(qinglong.getByTestId('device-doc-pending')).toHaveText('无');
	await qinglong.getByRole('button', { name: '从服务器重新下载' }).click();
	await expect(qinglong).toContainText('已从服务器重新下载');
	await leaveApp(page);
	await page.goto('/c/2022/qinglong');
	await expect(card(page, '本机：离线记下、尚未上传')).toBeVisible();

	await context.close();
	await city.context.close();
});

test('a board whose local copy was cleared while the app was closed comes back from the server, whose data stays whole', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wanghongliang');
	await openBoard(page, 'lulong');
	await addProblem(page, '清除：卢龙县职工之家待建');
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	await leaveApp(page);
	const deleted = await page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const request = indexedDB.deleteDatabase('county.2022.lulong');
				request.onsuccess = () => resolve('deleted');
				request.onerror = () => resolve('failed');
				request.onblocked = () => resolve('blocked');
			})
	);
	expect(deleted).toBe('deleted');

	await openBoard(page, 'lulong');
	await expect(card(page, '清除：卢龙县职工之家待建')).toBeVisible();
	await context.close();
	await checkOnServer(browser, 'lulong', ['清除：卢龙县职工之家待建']);
});

test('a damaged local copy is reported plainly, the server copy takes over, and the next start is clean', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'zhangxin');
	await openBoard(page, 'haigang');
	await addProblem(page, '损坏：海港区外卖骑手入会难');
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	await leaveApp(page);
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('county.2022.haigang');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction('updates', 'readwrite');
					tx.objectStore('updates').add(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255]));
					tx.objectStore('updates').add(new Uint8Array([1, 2, 3, 4, 5, 255, 255]));
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			})
	);

	await openBoard(page, 'haigang');
	await expect(page.getByTestId('toast').filter({ hasText: '无法完整读取' })).toContainText(
		'海港区'
	);
	await expect(card(page, '损坏：海港区外卖骑手入会难')).toBeVisible();
	await addProblem(page, '损坏后：照常记下的问题');
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	// Repaired on the device: the next start reads it without complaint, offline too.
	await context.setOffline(true);
	await page.reload();
	await expect(card(page, '损坏后：照常记下的问题')).toBeVisible();
	await expect(card(page, '损坏：海港区外卖骑手入会难')).toBeVisible();
	await expect(page.getByTestId('toast').filter({ hasText: '无法完整读取' })).toHaveCount(0);
	await context.close();
	await checkOnServer(browser, 'haigang', ['损坏：海港区外卖骑手入会难', '损坏后：照常记下的问题']);
});
