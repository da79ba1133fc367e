import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { addProblem, card, expect, openBoard, personContext, signIn, test } from './fixtures';

// Guarantee 7: what happens to a person's work when the browser's own storage lets them down.
// Guarantee 20 (second half): the Content-Security-Policy really blocks injected script.

const BOARD = 'funing';
/** What every test context gets from playwright.config.ts, for a context made by hand. */
const devicePreferences = {
	locale: config.use?.locale,
	timezoneId: config.use?.timezoneId,
	viewport: config.use?.viewport
};
const status = (page: Page) => page.getByTestId('sync-status');

test('IndexedDB wiped: the board comes back from the server, every card once', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, BOARD);
	const titles = ['清空本机：甲', '清空本机：乙', '清空本机：丙'];
	for (const title of titles) await addProblem(page, title);
	await expect(status(page)).toHaveAttribute('data-state', 'saved');

	// Every IndexedDB database of the origin goes (the docs and the catalog), as when a person
	// clears site data; the session cookie stays.
	await page.goto('about:blank');
	const cdp = await context.newCDPSession(page);
	await cdp.send('Storage.clearDataForOrigin', {
		origin: process.env.QD_BASE_URL!,
		storageTypes: 'indexeddb'
	});
	await openBoard(page, BOARD);
	for (const title of titles) await expect(card(page, title)).toHaveCount(1);
	// Nothing was written twice to the server either: a fresh device sees each card once, and the
	// campaign still has its seven counties.
	const fresh = await personContext(browser, 'zhaowenjing');
	await openBoard(fresh.page, BOARD);
	for (const title of titles) await expect(card(fresh.page, title)).toHaveCount(1);
	await fresh.page.goto('/c/2022');
	await expect(fresh.page.getByTestId('county-tile')).toHaveCount(7);
	await page.goto('/c/2022');
	await expect(page.getByTestId('county-tile')).toHaveCount(7);
	await fresh.context.close();
	await context.close();
});

test('a reload right after an edit keeps the edit, online and offline', async ({ browser }) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, BOARD);
	// The app shell must be cached before the network goes away.
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

	await addProblem(page, '刷新前刚加：在线');
	await page.reload();
	await expect(card(page, '刷新前刚加：在线')).toHaveCount(1);

	await context.setOffline(true);
	await expect(status(page)).toHaveAttribute('data-state', 'offline');
	await addProblem(page, '刷新前刚加：离线');
	await page.reload();
	await expect(card(page, '刷新前刚加：离线')).toHaveCount(1);
	await expect(status(page)).toContainText(/离线 · \d+ 项更改未上传/);

	await context.setOffline(false);
	await expect(status(page)).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });
	await context.close();
});

test('storage quota exceeded: the person is told, and syncing goes on', async ({ browser }) => {
	// Quota applies to IndexedDB only in an on-disk profile (a normal test context keeps its
	// IndexedDB in memory), so this person uses a browser profile of their own.
	const profile = mkdtempSync(join(tmpdir(), 'qingdan-profile-'));
	const writer = await chromium.launchPersistentContext(profile, {
		...config.use?.launchOptions,
		...devicePreferences,
		baseURL: process.env.QD_BASE_URL
	});
	const reader = await personContext(browser, 'zhaowenjing');
	try {
		const page = writer.pages()[0] ?? (await writer.newPage());
		// This device may keep no more than it already has (nothing): every IndexedDB write fails.
		// (Chromium applies an overridden quota to databases opened after the override.)
		const cdp = await writer.newCDPSession(page);
		await cdp.send('Storage.overrideQuotaForOrigin', {
			origin: process.env.QD_BASE_URL!,
			quotaSize: 1
		});
		await signIn(page, 'wuwei');
		await openBoard(page, BOARD);
		await openBoard(reader.page, BOARD);
		await addProblem(page, '存储已满时添加的问题');
		await expect(page.getByTestId('toast')).toContainText('本机存储空间已满');
		await expect(page.getByTestId('toast')).toContainText('仍会同步到服务器');
		// The change still reaches the server and everyone else.
		await expect(card(reader.page, '存储已满时添加的问题')).toHaveCount(1);
		await expect(status(page)).toHaveAttribute('data-state', 'saved');
	} finally {
		await writer.close();
		await reader.context.close();
		rmSync(profile, { recursive: true, force: true });
	}
});

test('the Content-Security-Policy blocks injected inline script and foreign connections', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'zhaowenjing');
	await openBoard(page, BOARD);
	const outcome = await page.evaluate(async () => {
		const violations: string[] = [];
		// Each blocked attempt reports a violation; the page waits for all five (the script element
		// and the javascript: URL, the handler, the WebSocket and the fetch).
		const expected: Record<string, number> = {
			'script-src-elem': 2,
			'script-src-attr': 1,
			'connect-src': 2
		};
		let reported = () => {};
		const allReported = new Promise<void>((resolve) => (reported = resolve));
		document.addEventListener('securitypolicyviolation', (event) => {
			violations.push(event.effectiveDirective);
			const all = Object.entries(expected).every(
				([directive, n]) => violations.filter((v) => v === directive).length >= n
			);
			if (all) reported();
		});
		const w = window as unknown as Record<string, unknown>;
		// An inline <script> element, an inline event handler and a javascript: URL, as an attacker
		// who found a way to inject markup would use them.
		const script = document.createElement('script');
		script.textContent = 'window.__injectedScript = 1';
		document.body.append(script);
		const holder = document.createElement('div');
		// (A click fires the handler at once, where an image's onload depends on the image.)
		holder.innerHTML = '<button onclick="window.__injectedHandler = 1">x</button>';
		document.body.append(holder);
		holder.querySelector('button')!.click();
		const link = document.createElement('a');
		link.href = 'javascript:window.__injectedUrl = 1';
		document.body.append(link);
		link.click();
		// A connection to somewhere else (exfiltration) is refused too; our own is allowed.
		const foreign = new WebSocket('ws://127.0.0.2:9/steal');
		foreign.onerror = () => {};
		await fetch('http://127.0.0.2:9/steal').catch(() => {});
		await allReported;
		return {
			ran: ['__injectedScript', '__injectedHandler', '__injectedUrl'].filter((k) => k in w),
			violations
		};
	});
	expect(outcome.ran).toEqual([]);
	expect(outcome.violations).toEqual(
		expect.arrayContaining(['script-src-elem', 'script-src-attr', 'connect-src'])
	);
	// The app itself still syncs over its own WebSocket under the same policy.
	await expect(status(page)).toHaveAttribute('data-state', 'saved');
	await context.close();
});
