// Development aid: one row of `npm run bench` with the full sizes, its raw results printed as
// JSON (nothing written to docs/). `node --import tsx bench/row.ts fanout|browser [N…]`.
// For the fan-out, extra arguments are reader counts (default 50 100 200).
import { buildCountyDoc, type CountyFixture } from './fixtures.ts';
import { runBrowser } from './rows/browser.ts';
import { runFanout } from './rows/fanout.ts';
import { FULL } from './run.ts';
import { startServer, type BenchServer, type ServerKind } from './servers.ts';

const [row, ...rest] = process.argv.slice(2);
const log = (line: string) => console.log(`· ${line}`);
const fixtures = new Map<number, CountyFixture>();
const fixture = (cards: number) => {
	let built = fixtures.get(cards);
	if (!built) fixtures.set(cards, (built = buildCountyDoc(cards)));
	return built;
};

if (row === 'fanout') {
	const kinds: ServerKind[] = ['ours', 'y-websocket-server', 'hocuspocus'];
	const servers: BenchServer[] = [];
	try {
		for (const kind of kinds) servers.push(await startServer(kind));
		const readers = rest.length ? rest.map(Number) : FULL.fanout.readers;
		for (const n of readers) {
			const result = await runFanout(servers, fixture(FULL.fanout.cards), {
				readers: n,
				moves: FULL.fanout.moves,
				rounds: FULL.fanout.rounds,
				docName: 'county.2022.haigang',
				log
			});
			console.log(JSON.stringify(result));
		}
	} finally {
		await Promise.all(servers.map((server) => server.stop()));
	}
} else if (row === 'browser') {
	const sizes = rest.length ? rest.map(Number) : FULL.browser!.sizes;
	const result = await runBrowser({
		...FULL.browser!,
		// BENCH_ROUNDS=0 skips row 6's cold loads (drags only).
		rounds: Number(process.env.BENCH_ROUNDS ?? FULL.browser!.rounds),
		sizes,
		buildDir: process.env.QD_BUILD_DIR || 'build',
		fixture,
		log
	});
	console.log(JSON.stringify(result, null, 1));
} else {
	console.error('usage: node --import tsx bench/row.ts fanout|browser [N…]');
	process.exit(2);
}
