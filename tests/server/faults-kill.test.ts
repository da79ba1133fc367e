import { describe, expect, it } from 'vitest';
import { runKillScenario } from '../faults/scenarios/kill-writers.ts';
import { seedsFromEnv } from '../faults/scenarios/random.ts';

// The short run; `npm run test:faults` runs 20 seeds of 5 writers × 1,000 edits.
describe('kill -9 while five clients write', () => {
	it.each(seedsFromEnv(2))(
		'seed %i: everything acknowledged or seen survives, the database is intact, all converge',
		async (seed) => {
			const report = await runKillScenario({ seed, writers: 5, edits: 200 });
			console.log(`kill -9 seed ${seed}:`, JSON.stringify(report));
			expect(report.lost, `seed ${seed} (replay with SEED=${seed})`).toBe(0);
			expect(report.integrity).toBe('ok');
			expect(report.acknowledged + report.seen).toBeGreaterThan(0);
		},
		60_000
	);
});
