import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createProblem } from '../../src/lib/domain/commands';
import { problemsOf } from '../../src/lib/domain/problem';
import { column, expect, test } from './fixtures';
import { contextOn, serverWithPeople } from './own-server';
import { PASSWORD } from './people';
import type { RunningServer } from './server';

let server: RunningServer;
test.beforeAll(async () => {
	server = await serverWithPeople();
});
test.afterAll(async () => {
	await server?.stop();
});

/** Writes `count` problems into one tier of a board through a stock y-websocket client. */
async function fillBoard(docName: string, count: number, tier: 'union-system') {
	const login = await fetch(`${server.baseURL}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: 'wuwei', password: PASSWORD })
	});
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
	const origin = server.baseURL;
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin } });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(origin.replace(/^http/, 'ws') + '/sync', docName, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
	const actor = { username: 'wuwei', name: '武威' };
	doc.transact(() => {
		for (let i = 1; i <= count; i++) createProblem(doc, { title: `长列第 ${i} 条`, tier }, actor);
	});
	// Leave once the server has everything: a second client syncing from it sees every card.
	const check = new Y.Doc();
	const reader = new WebsocketProvider(origin.replace(/^http/, 'ws') + '/sync', docName, check, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await expect
		.poll(() => problemsOf(check).size, { timeout: 30_000 })
		.toBeGreaterThanOrEqual(problemsOf(doc).size);
	reader.destroy();
	check.destroy();
	provider.destroy();
	doc.destroy();
}

test('a column of 150 cards shows its first cards at once and the rest as it scrolls; counts and positions speak of the whole column', async ({
	browser
}) => {
	await fillBoard('county.2022.beidaihe', 150, 'union-system');
	const { context, page } = await contextOn(browser, server, 'wuwei');
	await page.goto('/c/2022/beidaihe');
	const long = column(page, '工会系统解决');
	await expect(long.getByTestId('column-count')).toHaveText('150');
	await expect(long.getByText('长列第 1 条', { exact: true })).toBeVisible();
	// Not every card is in the page, but each says where it stands in the whole column.
	const items = long.getByRole('listitem');
	expect(await items.count()).toBeLessThan(150);
	await expect(items.first()).toHaveAttribute('aria-setsize', '150');
	await expect(items.first()).toHaveAttribute('aria-posinset', '1');

	// Scrolling down (the wheel, over the column) brings the rest, page by page.
	const box = (await long.boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, 600);
	const last = long.getByText('长列第 150 条', { exact: true });
	await expect(async () => {
		await page.mouse.wheel(0, 4_000);
		await expect(last).toBeAttached({ timeout: 500 });
	}).toPass({ timeout: 15_000 });
	await expect(items).toHaveCount(150);
	await expect(items.last()).toHaveAttribute('aria-posinset', '150');
	await context.close();
});
