import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReachWatch, UNREACHABLE_AFTER_MS } from '../../src/lib/sync/reach';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watch() {
	const changes: boolean[] = [];
	const reach = new ReachWatch((unreachable) => changes.push(unreachable));
	return { reach, changes };
}

describe('ReachWatch: is the server reached, judged from the wire', () => {
	it('an attempt that hears nothing counts as unreachable after the patience, not before', () => {
		const { reach, changes } = watch();
		reach.attempting();
		vi.advanceTimersByTime(UNREACHABLE_AFTER_MS - 1);
		expect(reach.unreachable).toBe(false);
		vi.advanceTimersByTime(1);
		expect(reach.unreachable).toBe(true);
		// The next sync message ends it.
		reach.heard();
		expect(changes).toEqual([true, false]);
	});

	it('a message within the patience keeps it reached; repeated attempts do not restart the clock', () => {
		const { reach, changes } = watch();
		reach.attempting();
		vi.advanceTimersByTime(UNREACHABLE_AFTER_MS / 2);
		reach.attempting();
		reach.heard();
		vi.advanceTimersByTime(UNREACHABLE_AFTER_MS * 2);
		expect(changes).toEqual([]);
		// A new attempt later that hears nothing (a socket accepted but silent) is judged anew.
		reach.attempting();
		vi.advanceTimersByTime(UNREACHABLE_AFTER_MS);
		expect(changes).toEqual([true]);
	});

	it('a connection that closes before opening is unreachable at once; stopping on purpose is not', () => {
		const { reach, changes } = watch();
		reach.attempting();
		reach.failed();
		expect(reach.unreachable).toBe(true);
		reach.stopped();
		expect(reach.unreachable).toBe(false);
		// The stopped attempt's clock is gone too.
		vi.advanceTimersByTime(UNREACHABLE_AFTER_MS * 2);
		expect(changes).toEqual([true, false]);
	});
});
