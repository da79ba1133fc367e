import { describe, test } from 'vitest';
import { runBoardFuzz } from './scenarios/board-fuzz.ts';
import { FULL, seedsFromEnv } from './scenarios/random.ts';

// Guarantee 6, long: 1,000 seeds of 300 operations with FULL=1 (`npm run test:faults`).
describe('random board operations on 3–8 clients with drops, reconnects and late delivery', () => {
	test.each(seedsFromEnv(FULL ? 1_000 : 100))('seed %i converges to one sound board', (seed) => {
		runBoardFuzz({ seed, operations: 300 });
	});
});
