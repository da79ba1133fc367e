import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../../playwright.config';
import {
	addProblem,
	card,
	column,
	expect,
	openBoard,
	personContext,
	signIn,
	test,
	untilControlled
} from './fixtures';
import { ADMIN_PASSWORD } from './people';
import { startServer } from './server';

const BUILD_DIR = process.env.QD_BUILD_DIR || 'build';

/** A browser with a profile on disk, launched the way playwright.config.ts launches Chromium. */
function launchProfile(profileDir: string, baseURL: string): Promise<BrowserContext> {
	return chromium.launchPersistentContext(profileDir, {
		...config.use?.launchOptions,
		baseURL,
		locale: config.use?.locale,
		timezoneId: config.use?.timezoneId,
		viewport: config.use?.viewport
	});
}

async function firstPage(context: BrowserContext): Promise<Page> {
	return context.pages()[0] ?? (await context.newPage());
}

async function signInAsAdmin(page: Page) {
	await page.goto('/login');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
}

test('a browser restarted with no network opens the app signed in, with the boards opened before, and the edit made then syncs later', async ({
	browser
}) => {
	const baseURL = process.env.QD_BASE_URL!;
	const profile = mkdtempSync(join(tmpdir(), 'qingdan-profile-'));
	try {
		let context = await launchProfile(profile, baseURL);
		let page = await firstPage(context);
		await signIn(page, 'wuwei');
		await openBoard(page, 'funing');
		await addProblem(page, '冷启动：抚宁区职工书屋缺书');
		await openBoard(page, 'changli');
		await addProblem(page, '冷启动：昌黎县困难职工帮扶');
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
		await untilControlled(page);
		await context.close();

		// Restarted with no network at all: offline before the first request of the new browser.
		context = await launchProfile(profile, baseURL);
		await context.setOffline(true);
		page = await firstPage(context);
		await page.goto('/c/2022');
		await expect(page.getByTestId('current-user')).toContainText('武威');
		await expect(page.getByRole('link', { name: /抚宁区/ }).first()).toBeVisible();
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
		await page.goto('/c/2022/changli');
		await expect(card(page, '冷启动：昌黎县困难职工帮扶')).toBeVisible();
		await page.goto('/c/2022/funing');
		await expect(card(page, '冷启动：抚宁区职工书屋缺书')).toBeVisible();
		await addProblem(page, '冷启动：离线时新发现的问题');
		await expect(page.getByTestId('sync-status')).toContainText(/离线 · \d+ 项更改未上传/);
		await context.close();

		// Restarted with the network back: the offline edit reaches the server.
		context = await launchProfile(profile, baseURL);
		page = await firstPage(context);
		await openBoard(page, 'funing');
		await expect(card(page, '冷启动：离线时新发现的问题')).toBeVisible();
		await context.close();

		const other = await personContext(browser, 'zhaowenjing');
		await openBoard(other.page, 'funing');
		await expect(card(other.page, '冷启动：离线时新发现的问题')).toBeVisible();
		await expect(card(other.page, '冷启动：抚宁区职工书屋缺书')).toBeVisible();
		await other.context.close();
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});

test('a new version of the app is offered, not forced: the page keeps the draft until the person accepts, and local changes survive the reload', async ({
	browser
}) => {
	const site = mkdtempSync(join(tmpdir(), 'qingdan-site-'));
	cpSync(BUILD_DIR, site, { recursive: true });
	const server = await startServer({ QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, { staticDir: site });
	const context = await browser.newContext({ baseURL: server.baseURL });
	try {
		const page = await context.newPage();
		await signInAsAdmin(page);
		await openBoard(page, 'haigang');
		await untilControlled(page);
		await expect(page.getByTestId('update-offer')).toHaveCount(0);
		// A second tab of the app, left alone meanwhile.
		const otherTab = await context.newPage();
		await openBoard(otherTab, 'shanhaiguan');
		await otherTab.evaluate(() => Object.assign(window, { qdBeforeUpdate: true }));

		// Someone starts typing a problem and leaves it unsent.
		const unsorted = column(page, '待分类');
		await unsorted.getByRole('button', { name: '添加问题' }).click();
		const draft = unsorted.getByPlaceholder('问题标题，回车添加');
		await draft.fill('草稿：还没写完的问题');
		await page.evaluate(() => Object.assign(window, { qdBeforeUpdate: true }));

		// A new version is deployed: its service worker differs (a new cache version).
		const workerFile = join(site, 'service-worker.js');
		const worker = readFileSync(workerFile, 'utf8');
		const version = JSON.parse(readFileSync(join(site, '_app/version.json'), 'utf8')).version;
		expect(worker).toContain(`"${version}"`);
		writeFileSync(
			workerFile,
			worker.replace(`"${version}"`, `"${version}-next"`) + '\n// the next version\n'
		);
		await page.evaluate(() =>
			navigator.serviceWorker.getRegistration().then((registration) => registration?.update())
		);

		const offer = page.getByTestId('update-offer');
		await expect(offer).toContainText('新版本可用');
		await expect
			.poll(() =>
				page.evaluate(() =>
					navigator.serviceWorker.getRegistration().then((r) => r?.waiting?.state ?? null)
				)
			)
			.toBe('installed');
		// Nothing was reloaded or replaced under the person's hands.
		await expect(draft).toHaveValue('草稿：还没写完的问题');
		expect(await page.evaluate(() => 'qdBeforeUpdate' in window)).toBe(true);
		expect(await page.evaluate(() => caches.keys())).toContain(`qingdan-shell-${version}`);

		// An edit made offline right before accepting is on the device after the reload.
		await draft.press('Enter');
		await expect(card(page, '草稿：还没写完的问题')).toBeVisible();
		await context.setOffline(true);
		await addProblem(page, '更新前：离线记下的问题');
		const reloaded = page.waitForEvent('load');
		await offer.getByRole('button', { name: '重新加载' }).click();
		await reloaded;

		expect(await page.evaluate(() => 'qdBeforeUpdate' in window)).toBe(false);
		await expect(page.getByTestId('board')).toBeVisible();
		await expect(card(page, '更新前：离线记下的问题')).toBeVisible();
		await expect(page.getByTestId('update-offer')).toHaveCount(0);
		expect(await page.evaluate(() => caches.keys())).toEqual([`qingdan-shell-${version}-next`]);
		// The other tab was not reloaded under its user either; it is offered the reload.
		await expect(otherTab.getByTestId('update-offer')).toBeVisible();
		expect(await otherTab.evaluate(() => 'qdBeforeUpdate' in window)).toBe(true);

		await context.setOffline(false);
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
			timeout: 20_000
		});
	} finally {
		await context.close();
		await server.stop();
		rmSync(site, { recursive: true, force: true });
	}
});

test('when the server is restored from a backup older than the device, the device sends its newer changes back', async ({
	browser
}) => {
	const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-restore-'));
	const backup = mkdtempSync(join(tmpdir(), 'qingdan-backup-'));
	const env = { QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD };
	let server = await startServer(env, { dataDir });
	const port = Number(new URL(server.baseURL).port);
	const context = await browser.newContext({ baseURL: server.baseURL });
	try {
		const page = await context.newPage();
		await signInAsAdmin(page);
		await openBoard(page, 'beidaihe');
		await addProblem(page, '备份前：北戴河区已有的问题');
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

		// The backup is taken with the server stopped (a consistent copy of SQLite and its WAL).
		await server.stop();
		cpSync(dataDir, backup, { recursive: true });
		server = await startServer(env, { dataDir, port });
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
			timeout: 20_000
		});
		await addProblem(page, '备份后：只在设备和新服务器上的问题');
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

		// The server loses its disk and is restored from the older backup, on the same address.
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
		cpSync(backup, dataDir, { recursive: true });
		server = await startServer(env, { dataDir, port });

		const fresh = await browser.newContext({ baseURL: server.baseURL });
		const check = await fresh.newPage();
		await signInAsAdmin(check);
		await openBoard(check, 'beidaihe');
		await expect(card(check, '备份前：北戴河区已有的问题')).toBeVisible();
		// The device reconnects by itself and its newer change flows back to the server.
		await expect(card(check, '备份后：只在设备和新服务器上的问题')).toBeVisible({
			timeout: 30_000
		});
		await fresh.close();
	} finally {
		await context.close();
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
		rmSync(backup, { recursive: true, force: true });
	}
});
