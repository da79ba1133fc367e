import {
	test as base,
	expect,
	type Browser,
	type BrowserContext,
	type Page
} from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PASSWORD, USERS, type Person } from './people';

export { expect };

/** Tests run against the server global-setup started; its address is only known then. */
export const test = base.extend({
	baseURL: async ({}, use) => {
		await use(process.env.QD_BASE_URL);
	}
});

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, person: Person) {
	await page.goto('/login');
	await page.getByLabel('用户名').fill(USERS[person].username);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toContainText(USERS[person].displayName);
}

/**
 * A control of the app header. On a phone the header keeps only the brand, the saved state and
 * a menu button; the rest is in the menu, which this opens first.
 */
export async function headerControl(page: Page, name: string | RegExp) {
	// Phone or not is the screen's width (the header's breakpoint), not a look at a header that
	// may still be rendering after a navigation.
	const phone = (page.viewportSize()?.width ?? 1440) <= 640;
	if (phone) {
		const menu = page.getByRole('banner').getByRole('button', { name: /^☰?\s*(菜单|Menu)$/ });
		await expect(menu).toBeVisible();
		if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
		await expect(menu).toHaveAttribute('aria-expanded', 'true');
	}
	return page.getByRole('banner').getByRole('button', { name });
}

/** A fresh browser context (its own cookies and IndexedDB) signed in as `person`. */
export async function personContext(
	browser: Browser,
	person: Person
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const page = await context.newPage();
	await signIn(page, person);
	return { context, page };
}

/** Opens a county's board and waits until it is synced with the server. */
export async function openBoard(page: Page, county: string) {
	await page.goto(`/c/2022/${county}`);
	await expect(page.getByTestId('board')).toBeVisible();
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
}

/** The app shell is cached and the service worker controls the page. */
export async function untilControlled(page: Page) {
	await page.evaluate(() => navigator.serviceWorker.ready);
	const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
	// The worker claims open pages when it activates; Chromium 150 does not always hand this one
	// over (seen in CI, not on 156). A load after activation is controlled in any browser.
	const claimed = await expect
		.poll(controlled, { timeout: 5_000 })
		.toBe(true)
		.then(() => true)
		.catch(() => false);
	if (!claimed) {
		await page.reload();
		await expect.poll(controlled).toBe(true);
	}
}

/** Adds a problem to a column through the board's add form. */
export async function addProblem(page: Page, title: string, column = '待分类') {
	const col = page
		.getByTestId('column')
		.filter({ has: page.getByRole('heading', { name: column }) });
	const input = col.getByPlaceholder('问题标题，回车添加');
	// The add form stays open after adding, for listing several problems in a row.
	if (!(await input.isVisible())) await col.getByRole('button', { name: '添加问题' }).click();
	await input.fill(title);
	await input.press('Enter');
	await expect(card(page, title)).toBeVisible();
}

export const column = (page: Page, name: string) =>
	page.getByTestId('column').filter({ has: page.getByRole('heading', { name, exact: true }) });

export const card = (page: Page, title: string) =>
	page.getByTestId('problem-card').filter({ hasText: title });

/**
 * Deletes this browser's copy of a doc (y-indexeddb's database), from a page of the site that
 * holds no doc open (`via`: a cached file or an API address).
 */
export async function deleteLocalCopy(page: Page, name: string, via = '/favicon.svg') {
	await page.goto(via);
	await page.evaluate(
		(doc) =>
			new Promise((resolve, reject) => {
				const request = indexedDB.deleteDatabase(doc);
				request.onsuccess = () => resolve(true);
				request.onerror = () => reject(request.error);
				request.onblocked = () => reject(new Error('the board is still open somewhere'));
			}),
		name
	);
}

/** Titles in this browser's card index (Dexie database `qingdan`, table `cards`), by county. */
export function indexedTitles(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open('qingdan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('cards')) {
						db.close();
						resolve([]);
						return;
					}
					const all = db.transaction('cards').objectStore('cards').getAll();
					all.onsuccess = () => {
						db.close();
						const cards = all.result as { county: string; problem: { title: string } }[];
						resolve(cards.map((c) => `${c.county}:${c.problem.title}`));
					};
					all.onerror = () => reject(all.error);
				};
			})
	);
}

/** A stock y-websocket client in Node, signed in with a session cookie like any other program. */
export async function nodeClient(baseURL: string, docName: string, person: Person = 'wuwei') {
	const login = await fetch(`${baseURL}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: person, password: PASSWORD })
	});
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin: baseURL } });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(baseURL.replace(/^http/, 'ws') + '/sync', docName, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', () => resolve());
	});
	return { doc, provider };
}
