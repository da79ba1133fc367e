import { describe, expect, it } from 'vitest';
import { runKillScenario } from './scenarios/kill-writers.ts';
import { FULL, seedsFromEnv } from './scenarios/random.ts';

// Guarantee 1, long: ≥ 20 seeds of 5 writers × 1,000 edits with FULL=1 (`npm run test:faults`).
const seeds = seedsFromEnv(FULL ? 20 : 3);
const edits = FULL ? 1_000 : 300;

describe(`kill -9 at a seeded moment while 5 clients make ${edits} edits each`, () => {
	it.each(seeds)(
		'seed %i: nothing acknowledged or seen is lost; integrity ok; all converge',
		async (seed) => {
			const report = await runKillScenario({ seed, writers: 5, edits });
			console.log(`kill -9 seed ${seed}:`, JSON.stringify(report));
			expect(report.lost, `seed ${seed} (replay with SEED=${seed})`).toBe(0);
			expect(report.integrity).toBe('ok');
			expect(report.acknowledged + report.seen).toBeGreaterThan(0);
		}
	);
});
