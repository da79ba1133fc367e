import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { compactWhenIdle } from '../../src/lib/sync/local-compaction';

/** The two fields of y-indexeddb's persistence the scheduler reads and writes. */
function localCopy(size: number) {
	return { _dbsize: size, _storeTimeout: 1000 };
}

function edit(doc: Y.Doc, local: { _dbsize: number }, times = 1) {
	for (let i = 0; i < times; i++) {
		local._dbsize++; // y-indexeddb's own handler counts the stored update first
		doc.getMap('problems').set(`p${i}`, i);
	}
}

describe('compacting the local copy when the board is quiet', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it("disarms y-indexeddb's own timer, which fires 1 s after a drag", () => {
		const local = localCopy(0);
		compactWhenIdle(local, new Y.Doc(), async () => {});
		expect(local._storeTimeout).toBeGreaterThan(24 * 3600_000);
	});

	it('folds the log only after ten quiet seconds, once per burst of edits', () => {
		const doc = new Y.Doc();
		const local = localCopy(499);
		const fold = vi.fn(async () => {});
		compactWhenIdle(local, doc, fold);

		edit(doc, local, 20);
		vi.advanceTimersByTime(9_000);
		edit(doc, local);
		vi.advanceTimersByTime(9_000);
		expect(fold).not.toHaveBeenCalled();

		vi.advanceTimersByTime(1_500);
		expect(fold).toHaveBeenCalledTimes(1);
	});

	it('leaves a short log alone', () => {
		const doc = new Y.Doc();
		const local = localCopy(10);
		const fold = vi.fn(async () => {});
		compactWhenIdle(local, doc, fold);
		edit(doc, local, 5);
		vi.advanceTimersByTime(60_000);
		expect(fold).not.toHaveBeenCalled();
	});

	it('stops with the doc: no fold after it is closed', () => {
		const doc = new Y.Doc();
		const local = localCopy(600);
		const fold = vi.fn(async () => {});
		const stop = compactWhenIdle(local, doc, fold);
		edit(doc, local);
		stop();
		vi.advanceTimersByTime(60_000);
		edit(doc, local);
		vi.advanceTimersByTime(60_000);
		expect(fold).not.toHaveBeenCalled();
	});
});
