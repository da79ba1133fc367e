import { describe, test } from 'vitest';
import { runBoardFuzz } from '../faults/scenarios/board-fuzz';
import { seedsFromEnv } from '../faults/scenarios/random';

// The short run of guarantee 6; `npm run test:faults` runs 1,000 seeds.
describe('random board operations on 3–8 clients with drops, reconnects and late delivery', () => {
	test.each(seedsFromEnv(20))('seed %i converges to one sound board', (seed) => {
		runBoardFuzz({ seed, operations: 150 });
	});
});
