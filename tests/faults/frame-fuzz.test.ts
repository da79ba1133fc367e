import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../server/harness.ts';
import { runFrameFuzz } from './scenarios/frame-fuzz.ts';
import { HealthWatch } from './scenarios/health-watch.ts';
import { FULL, seedsFromEnv } from './scenarios/random.ts';
import { serverState } from './scenarios/tracked-client.ts';

// Guarantee 14, long: 10,000 fuzzed frames (10 seeds × 1,000) with FULL=1.
const DOC = 'county.2022.lulong';
const FRAMES = FULL ? 1_000 : 200;
let server: TestServer;

beforeAll(async () => {
	server = await TestServer.start();
});
afterAll(() => server?.dispose());

describe(`${FRAMES} fuzzed frames per seed at the sync endpoint`, () => {
	it.each(seedsFromEnv(10))('seed %i: the server stays responsive and sound', async (seed) => {
		const admin = await server.adminCookie();
		const watch = await HealthWatch.start(server.url);
		const report = await runFrameFuzz({
			server,
			cookie: admin,
			docName: DOC,
			seed,
			frames: FRAMES
		});
		const health = await watch.stop();
		const where = `seed ${seed} (replay with SEED=${seed}): ${JSON.stringify({ report, health })}`;
		console.log(`frame fuzz ${where}`);
		expect(health.failures, where).toBe(0);
		expect(health.p99Ms, where).toBeLessThan(100);
		expect(health.maxMs, where).toBeLessThan(250);
		expect(server.output, where).not.toMatch(/\bbug\.|room\.load_failed|commit\.bug/);
		// What was accepted and stored loads after a crash.
		await server.kill9();
		await server.restart();
		await serverState(server, DOC, await server.adminCookie());
		expect(server.output, where).not.toMatch(/room\.load_failed/);
	});
});
