import { buildCountyDoc, type CountyFixture } from './fixtures.ts';
import { runBrowser, type BrowserResult } from './rows/browser.ts';
import { measureBundle, type BundleResult } from './rows/bundle.ts';
import { runBurst, type BurstResult } from './rows/burst.ts';
import { runColdLoad, type ColdLoadResult } from './rows/cold-load.ts';
import { runFanout, type FanoutResult } from './rows/fanout.ts';
import { runMemory, type MemoryResult } from './rows/memory.ts';
import { runWriteAmp, type WriteAmpResult } from './rows/write-amp.ts';
import { startServer, type BenchServer, type ServerKind } from './servers.ts';

/** Sizes of every row; `FULL` is `npm run bench`, `SMOKE` the test that keeps this code alive. */
export interface BenchConfig {
	fanout: { cards: number; readers: number[]; moves: number; rounds: number };
	burst: {
		cards: number;
		clients: number;
		writers: number;
		rate: number;
		seconds: number;
		rounds: number;
		quietMs: number;
	};
	coldLoad: { cards: number; tailRows: number; rounds: number };
	memory: { cards: number; cycles: number; graceMs: number };
	writeAmp: { cards: number; edits: number; rate: number; sequentialEdits: number };
	/** Rows 6–7 (Chromium); null skips them. They need the app built into `buildDir`. */
	browser: { sizes: number[]; rounds: number; drops: number } | null;
	buildDir: string;
}

export const FULL: BenchConfig = {
	fanout: { cards: 200, readers: [50, 100, 200], moves: 40, rounds: 6 },
	burst: {
		cards: 200,
		clients: 200,
		writers: 10,
		rate: 100,
		seconds: 10,
		rounds: 6,
		quietMs: 3000
	},
	coldLoad: { cards: 10_000, tailRows: 1_000, rounds: 6 },
	memory: { cards: 1_000, cycles: 1_000, graceMs: 500 },
	writeAmp: { cards: 1_000, edits: 20_000, rate: 1_000, sequentialEdits: 500 },
	browser: { sizes: [1_000, 10_000], rounds: 6, drops: 5 },
	buildDir: 'build'
};

/** `BENCH_QUICK=1 npm run bench`: every row end to end in a few minutes, sizes cut (no verdicts). */
export const QUICK: BenchConfig = {
	fanout: { cards: 200, readers: [50], moves: 20, rounds: 3 },
	burst: { cards: 200, clients: 50, writers: 5, rate: 50, seconds: 2, rounds: 3, quietMs: 1000 },
	coldLoad: { cards: 1_000, tailRows: 100, rounds: 3 },
	memory: { cards: 1_000, cycles: 100, graceMs: 500 },
	writeAmp: { cards: 1_000, edits: 2_000, rate: 1_000, sequentialEdits: 100 },
	browser: { sizes: [1_000], rounds: 2, drops: 2 },
	buildDir: 'build'
};

export const SMOKE: BenchConfig = {
	fanout: { cards: 10, readers: [3], moves: 3, rounds: 2 },
	burst: { cards: 10, clients: 4, writers: 2, rate: 20, seconds: 0.3, rounds: 2, quietMs: 500 },
	coldLoad: { cards: 20, tailRows: 10, rounds: 2 },
	memory: { cards: 20, cycles: 5, graceMs: 100 },
	writeAmp: { cards: 20, edits: 50, rate: 1_000, sequentialEdits: 5 },
	// Chromium and an app build take longer than the smoke test may; run with `npm run bench`.
	browser: null,
	buildDir: 'build'
};

export interface BenchResults {
	fanout: FanoutResult[];
	burst: BurstResult;
	coldLoad: ColdLoadResult;
	memory: MemoryResult;
	writeAmp: WriteAmpResult;
	browser: BrowserResult | null;
	bundle: BundleResult | null;
	seconds: number;
}

const KINDS: ServerKind[] = ['ours', 'y-websocket-server', 'hocuspocus'];

/** Runs rows 1–8 with `config`; `log` gets one line per round. */
export async function runBench(
	config: BenchConfig,
	log: (line: string) => void = () => {}
): Promise<BenchResults> {
	const started = performance.now();
	const fixtures = new Map<number, CountyFixture>();
	const fixture = (cards: number) => {
		let built = fixtures.get(cards);
		if (!built) {
			const t = performance.now();
			built = buildCountyDoc(cards);
			fixtures.set(cards, built);
			log(
				`fixture: ${cards} cards, ${built.update.byteLength} bytes (${(performance.now() - t).toFixed(0)} ms)`
			);
		}
		return built;
	};

	let bundle: BundleResult | null = null;
	try {
		bundle = measureBundle(config.buildDir);
	} catch (error) {
		log(`bundle: not measured (${error instanceof Error ? error.message : String(error)})`);
	}

	// Rows 1 and 2 share one process per server, started side by side.
	const servers: BenchServer[] = [];
	let fanout: FanoutResult[];
	let burst: BurstResult;
	try {
		for (const kind of KINDS) servers.push(await startServer(kind));
		fanout = [];
		for (const readers of config.fanout.readers) {
			fanout.push(
				await runFanout(servers, fixture(config.fanout.cards), {
					readers,
					moves: config.fanout.moves,
					rounds: config.fanout.rounds,
					docName: 'county.2022.haigang',
					log
				})
			);
		}
		burst = await runBurst(servers, fixture(config.burst.cards), {
			...config.burst,
			docName: 'county.2022.shanhaiguan',
			log
		});
	} finally {
		await Promise.all(servers.map((server) => server.stop()));
	}

	const coldLoad = await runColdLoad(fixture(config.coldLoad.cards), { ...config.coldLoad, log });
	const memory = await runMemory(KINDS, fixture(config.memory.cards), { ...config.memory, log });
	const writeAmp = await runWriteAmp(fixture(config.writeAmp.cards), { ...config.writeAmp, log });
	const browser = config.browser
		? await runBrowser({ ...config.browser, buildDir: config.buildDir, fixture, log })
		: null;
	return {
		fanout,
		burst,
		coldLoad,
		memory,
		writeAmp,
		browser,
		bundle,
		seconds: (performance.now() - started) / 1000
	};
}
