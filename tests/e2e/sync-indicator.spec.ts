import type { Page, WebSocketRoute } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	addProblem,
	card,
	expect,
	openBoard,
	personContext,
	test,
	untilControlled
} from './fixtures';
import { contextOn } from './own-server';
import { ADMIN_PASSWORD } from './people';
import { startServer } from './server';

/**
 * The sync indicator judges from reaching the server, not from `navigator.onLine` (issue 15,
 * item 1): whatever keeps the server out of reach, a start or reload says 离线 with the changes
 * not yet uploaded, and 已保存到服务器 once they are stored.
 */
const status = (page: Page) => page.getByTestId('sync-status');

async function expectOfflineWithChanges(page: Page) {
	await expect(status(page)).toHaveAttribute('data-state', 'offline');
	await expect(status(page)).toContainText(/离线 · \d+ 项更改未上传/);
}

test('with the server down, a reload says 离线 with the changes not uploaded, and 已保存 once it is back', async ({
	browser
}) => {
	const env = { QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD };
	// A data directory of the test's own, kept across the restart.
	const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-indicator-'));
	let server = await startServer(env, { dataDir });
	const port = Number(new URL(server.baseURL).port);
	const { context, page } = await contextOn(browser, server, 'admin');
	try {
		await openBoard(page, 'beidaihe');
		await untilControlled(page);
		await server.stop();

		// The app comes from the service worker, the board from this device's copy.
		await page.reload();
		await addProblem(page, '服务器停机时：新增的问题');
		await expectOfflineWithChanges(page);

		server = await startServer(env, { dataDir, port });
		await expect(status(page)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
		await expect(status(page)).toHaveText(/已保存到服务器/);
		const check = await contextOn(browser, server, 'admin');
		await openBoard(check.page, 'beidaihe');
		await expect(card(check.page, '服务器停机时：新增的问题')).toBeVisible();
		await check.context.close();
	} finally {
		await context.close();
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
});

test('a WebSocket that is accepted but never answered (a blocking proxy) reads 离线, and syncs once let through', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	let blocked = false;
	const silent: WebSocketRoute[] = [];
	// Every sync connection goes through here: to the server, or nowhere while blocked (the page's
	// socket opens, and nothing ever comes back).
	await page.routeWebSocket(/\/sync\//, (ws) => {
		if (blocked) silent.push(ws);
		else ws.connectToServer();
	});
	await openBoard(page, 'changli');

	blocked = true;
	await page.reload();
	await expect(page.getByTestId('board')).toBeVisible();
	await addProblem(page, '代理拦截时：新增的问题');
	await expectOfflineWithChanges(page);

	// Let through: the silent sockets close, and the app connects again by itself.
	blocked = false;
	for (const ws of silent) await ws.close();
	await expect(status(page)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
	await context.close();
});

test('with the browser offline (emulated), a reload says 离线 with the changes, and 已保存 once online', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, 'qinglong');
	await untilControlled(page);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('board')).toBeVisible();
	await addProblem(page, '断网时：新增的问题');
	await expectOfflineWithChanges(page);
	await context.setOffline(false);
	await expect(status(page)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
	await context.close();
});
