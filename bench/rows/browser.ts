import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CountyFixture } from '../fixtures.ts';
import { ROOT } from '../process.ts';
import { sleep } from '../rounds.ts';
import { ADMIN_PASSWORD, prepareOurData, startServer, tempDir } from '../servers.ts';

export interface BrowserOptions {
	/** Board sizes of row 6 (1,000 and 10,000 cards in the full run); the last one is dragged in. */
	sizes: number[];
	/** Cold-load rounds per size; round 0 is warm-up and not reported. */
	rounds: number;
	/** Drops in row 7. */
	drops: number;
	buildDir: string;
	fixture: (cards: number) => CountyFixture;
	log?: (line: string) => void;
}

export interface ColdLoadSize {
	cards: number;
	/** Per measured round: ms from navigation start until the bare page's y-indexeddb `synced`. */
	floor: number[];
	/** Per measured round: ms from navigation start until the app's board shows a card. */
	app: number[];
	/** Per-round app ÷ floor. */
	ratios: number[];
	/** Cards in the app's DOM once loaded (what it rendered). */
	renderedCards: number;
}

export interface DropResult {
	/** Main-thread script time of the drop: from the pointerup's first listener to the end of
	 * its task (every handler, the Yjs transaction, Svelte's update of the DOM). */
	scriptMs: number;
	/** From the pointerup to the next paint (Event Timing duration, 8 ms granularity); null
	 * when under 16 ms (Event Timing reports nothing shorter). */
	toPaintMs: number | null;
	/** Longest gap between animation frames from the drag's start to 2 s after the drop. */
	longestFrameMs: number;
	/** Long tasks (> 50 ms) that started within 2 s after the drop: their durations. */
	longTasksMs: number[];
}

export interface BrowserResult {
	chromium: string;
	cold: ColdLoadSize[];
	drag: { cards: number; drops: DropResult[] } | null;
}

const DOCS = ['county.2022.haigang', 'county.2022.qinglong', 'county.2022.lulong'];

/**
 * Rows 6 and 7 in Debian's Chromium, driven by Playwright, against our server.
 *
 * Row 6: a persistent browser profile is filled once through the app (sign in, open the board,
 * wait until y-indexeddb stored it); then, per round, the browser is started afresh on that
 * profile (a cold start: new process, nothing in memory) and opens either the bare floor page
 * (`bench/floor/floor.ts`: the same doc name with y-indexeddb, until `synced`) or the app's
 * board (until the first card is in the DOM), interleaved.
 * Row 7: in the largest board, one card is dragged to another column with the mouse, `drops`
 * times, with Long Tasks, Event Timing and an animation-frame recorder observing.
 */
export async function runBrowser(options: BrowserOptions): Promise<BrowserResult | null> {
	const executablePath = chromiumPath();
	const buildDir = path.resolve(ROOT, options.buildDir);
	if (!executablePath || !fs.existsSync(path.join(buildDir, 'index.html'))) {
		options.log?.(
			`browser: not measured (${executablePath ? `no app build in ${options.buildDir}` : 'no chromium'})`
		);
		return null;
	}
	const staticDir = await staticWithFloor(buildDir);
	const docs = new Map(
		options.sizes.map((cards, i) => [DOCS[i]!, { snapshot: options.fixture(cards).update }])
	);
	const dataDir = await prepareOurData(docs);
	const server = await startServer('ours', { dataDir, env: { STATIC_DIR: staticDir } });
	const origin = new URL(server.target(DOCS[0]!).url.replace(/^ws/, 'http')).origin;
	const profile = tempDir('chromium-profile');
	const launch = () =>
		chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			locale: 'zh-CN',
			timezoneId: 'Asia/Shanghai',
			viewport: { width: 1440, height: 900 },
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-dev-shm-usage'
			]
		});
	try {
		let version = '';
		{
			// Fill the profile: sign in, open every board until y-indexeddb has it.
			const context = await launch();
			version = context.browser()?.version() ?? chromiumVersion(executablePath);
			const page = context.pages()[0] ?? (await context.newPage());
			await signIn(page, origin);
			for (const [name] of docs) {
				await page.goto(`${origin}${boardPath(name)}`);
				await page.locator('[data-testid="sync-status"][data-state="saved"]').waitFor();
				await page.waitForFunction(storedInIndexedDb, name, { timeout: 120_000 });
			}
			await context.close();
		}

		const cold: ColdLoadSize[] = [];
		for (const [i, cards] of options.sizes.entries()) {
			const name = DOCS[i]!;
			const size: ColdLoadSize = { cards, floor: [], app: [], ratios: [], renderedCards: 0 };
			for (let round = 0; round < options.rounds; round++) {
				const order = round % 2 === 0 ? (['floor', 'app'] as const) : (['app', 'floor'] as const);
				const times: Record<string, number> = {};
				for (const kind of order) {
					const context = await launch();
					try {
						const page = context.pages()[0] ?? (await context.newPage());
						if (kind === 'floor') {
							// The app's service worker answers every navigation with the app; the floor
							// page's requests go past it (the profile, IndexedDB included, is the same).
							const cdp = await context.newCDPSession(page);
							await cdp.send('Network.enable');
							await cdp.send('Network.setBypassServiceWorker', { bypass: true });
							await page.goto(`${origin}/__bench/floor.html?doc=${encodeURIComponent(name)}`);
						} else {
							await context.addInitScript(FIRST_CARD_RECORDER);
							await page.goto(`${origin}${boardPath(name)}`);
						}
						const handle = await page
							.waitForFunction(() => window.__benchDone, null, { timeout: 120_000, polling: 50 })
							.catch(async (error: unknown) => {
								const shown = await page.evaluate(() => document.body.innerText.slice(0, 300));
								throw new Error(`${kind} at ${page.url()} never got there; page shows: ${shown}`, {
									cause: error
								});
							});
						times[kind] = (await handle.jsonValue()) as number;
						if (kind === 'app' && round === options.rounds - 1) {
							size.renderedCards = await page.locator('[data-testid="problem-card"]').count();
						}
					} finally {
						await context.close();
					}
				}
				options.log?.(
					`browser cold ${cards} cards round ${round}${round === 0 ? ' (warm-up)' : ''}: ` +
						`floor ${times.floor!.toFixed(0)} ms, app ${times.app!.toFixed(0)} ms`
				);
				if (round === 0) continue;
				size.floor.push(times.floor!);
				size.app.push(times.app!);
				size.ratios.push(times.app! / times.floor!);
			}
			cold.push(size);
		}

		let drag: BrowserResult['drag'] = null;
		if (options.drops > 0) {
			const i = options.sizes.length - 1;
			drag = { cards: options.sizes[i]!, drops: await dragRun(launch, origin, DOCS[i]!, options) };
		}
		return { chromium: version, cold, drag };
	} finally {
		await server.stop();
		fs.rmSync(profile, { recursive: true, force: true });
		fs.rmSync(path.dirname(staticDir), { recursive: true, force: true });
	}
}

declare global {
	interface Window {
		__benchPerf?: {
			frames: number[];
			longTasks: { start: number; duration: number }[];
			events: { name: string; start: number; handler: number; duration: number }[];
			drops: { start: number; script: number }[];
		};
	}
}

/** In the app's page: the time of the first animation frame with a card in the DOM. */
const FIRST_CARD_RECORDER = `(() => {
	const check = () => {
		if (document.querySelector('[data-testid="problem-card"]')) window.__benchDone = performance.now();
		else requestAnimationFrame(check);
	};
	requestAnimationFrame(check);
})();`;

/** In the page: true once y-indexeddb's database for `name` holds at least one update. */
function storedInIndexedDb(name: string): Promise<boolean> {
	return new Promise((resolve) => {
		const open = indexedDB.open(name);
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			if (!db.objectStoreNames.contains('updates')) {
				db.close();
				resolve(false);
				return;
			}
			const count = db.transaction('updates').objectStore('updates').count();
			count.onsuccess = () => {
				db.close();
				resolve(count.result > 0);
			};
			count.onerror = () => resolve(false);
		};
	});
}

async function dragRun(
	launch: () => Promise<BrowserContext>,
	origin: string,
	name: string,
	options: BrowserOptions
): Promise<DropResult[]> {
	const context = await launch();
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(`${origin}${boardPath(name)}`);
		await page.locator('[data-testid="sync-status"][data-state="saved"]').waitFor();
		await page.locator('[data-testid="problem-card"]').first().waitFor();
		await page.evaluate(PERF_RECORDER);
		const drops: DropResult[] = [];
		for (let d = 0; d < options.drops; d++) {
			// Back and forth between the first two columns that have cards.
			const columns = page.locator('[data-testid="column"]');
			const from = columns.nth(d % 2 === 0 ? 0 : 1);
			const to = columns.nth(d % 2 === 0 ? 1 : 0);
			const card = from.locator('[data-testid="problem-card"]').first();
			const cardBox = (await card.boundingBox())!;
			const toBox = (await to.locator('.cards').boundingBox())!;
			const startedAt = (await page.evaluate(() => performance.now())) as number;
			await page.mouse.move(cardBox.x + cardBox.width / 2, cardBox.y + cardBox.height / 2);
			await page.mouse.down();
			await page.mouse.move(toBox.x + toBox.width / 2, toBox.y + 60, { steps: 12 });
			const droppedAt = (await page.evaluate(() => performance.now())) as number;
			await page.mouse.up();
			// The window the target speaks of: 2 s after the drop.
			await sleep(2_000);
			const perf = (await page.evaluate(() => window.__benchPerf!)) as NonNullable<
				Window['__benchPerf']
			>;
			const up = perf.events.find((e) => e.name === 'pointerup' && e.start >= droppedAt);
			const drop = perf.drops.find((e) => e.start >= droppedAt);
			const frames = perf.frames.filter((t) => t >= startedAt && t <= droppedAt + 2_000);
			let longestFrameMs = 0;
			for (let f = 1; f < frames.length; f++) {
				longestFrameMs = Math.max(longestFrameMs, frames[f]! - frames[f - 1]!);
			}
			drops.push({
				scriptMs: drop?.script ?? NaN,
				toPaintMs: up?.duration ?? null,
				longestFrameMs,
				longTasksMs: perf.longTasks
					.filter((t) => t.start >= droppedAt && t.start <= droppedAt + 2_000)
					.map((t) => t.duration)
			});
			const last = drops.at(-1)!;
			options.log?.(
				`browser drag ${d}: script ${last.scriptMs.toFixed(1)} ms, to paint ${last.toPaintMs ?? '< 16'} ms, ` +
					`longest frame ${last.longestFrameMs.toFixed(0)} ms, long tasks [${last.longTasksMs.map((t) => t.toFixed(0)).join(', ')}]`
			);
		}
		return drops;
	} finally {
		await context.close();
	}
}

/**
 * In the page: records animation frames, long tasks and the Event Timing of pointer events.
 * A string, so that no helper of the TypeScript transform ends up in the page.
 */
const PERF_RECORDER = `(() => {
	const perf = { frames: [], longTasks: [], events: [], drops: [] };
	window.__benchPerf = perf;
	// First listener of every pointerup (capture, on window); the end of its task is when a
	// message posted now is handled, after every handler and the microtasks they queued.
	window.addEventListener('pointerup', () => {
		const start = performance.now();
		const channel = new MessageChannel();
		channel.port1.onmessage = () => perf.drops.push({ start, script: performance.now() - start });
		channel.port2.postMessage(0);
	}, { capture: true });
	const frame = (t) => {
		perf.frames.push(t);
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) perf.longTasks.push({ start: e.startTime, duration: e.duration });
	}).observe({ type: 'longtask' });
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) {
			if (!e.name.startsWith('pointer')) continue;
			perf.events.push({
				name: e.name,
				start: e.startTime,
				handler: e.processingEnd - e.processingStart,
				duration: e.duration
			});
		}
	}).observe({ type: 'event', durationThreshold: 16 });
})();`;

async function signIn(page: Page, origin: string): Promise<void> {
	await page.goto(`${origin}/login`);
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await page.getByTestId('current-user').waitFor();
}

const boardPath = (docName: string) => {
	const [, campaign, county] = docName.split('.');
	return `/c/${campaign}/${county}`;
};

/** A copy of the app's build with the floor page added at /__bench/ (same origin as the app). */
async function staticWithFloor(buildDir: string): Promise<string> {
	const dir = path.join(tempDir('static'), 'build');
	fs.cpSync(buildDir, dir, { recursive: true });
	fs.mkdirSync(path.join(dir, '__bench'));
	await build({
		entryPoints: [path.join(ROOT, 'bench', 'floor', 'floor.ts')],
		bundle: true,
		format: 'esm',
		minify: true,
		outfile: path.join(dir, '__bench', 'floor.js'),
		logLevel: 'silent'
	});
	fs.writeFileSync(
		path.join(dir, '__bench', 'floor.html'),
		'<!doctype html><meta charset="utf-8"><title>floor</title><script type="module" src="/__bench/floor.js"></script>\n'
	);
	return dir;
}

function chromiumPath(): string | null {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	try {
		return execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim() || null;
	} catch {
		return null;
	}
}

function chromiumVersion(executablePath: string): string {
	try {
		return execSync(`${executablePath} --version`).toString().trim();
	} catch {
		return 'unknown';
	}
}
