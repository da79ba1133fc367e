import { PREFERRED_TRIM_SIZE, storeState, type IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/** How long a board stays without changes before its local copy may be compacted. */
const QUIET_MS = 10_000;
/** The longest the compaction then waits for the browser to be idle. */
const IDLE_TIMEOUT_MS = 5_000;

/**
 * y-indexeddb folds its log of stored updates into one snapshot 1 s after the 500th update: one
 * main-thread task that re-encodes the whole doc (≥ 100 ms at 10,000 cards), right after a drag.
 * Here the fold waits until the board has been quiet for a while and the browser is idle, or the
 * page is being hidden. Returns the function that stops it.
 */
export function compactWhenIdle(
	local: Pick<IndexeddbPersistence, '_dbsize' | '_storeTimeout'>,
	doc: Y.Doc,
	fold: () => Promise<void> = () => storeState(local as IndexeddbPersistence, false)
): () => void {
	// Every update re-arms y-indexeddb's own timer, so at this length it never fires.
	local._storeTimeout = 2 ** 31 - 1;
	let quiet: ReturnType<typeof setTimeout> | undefined;
	let idle: number | undefined;

	const cancel = () => {
		clearTimeout(quiet);
		if (idle !== undefined && typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
		quiet = idle = undefined;
	};
	const compact = () => {
		cancel();
		if (local._dbsize >= PREFERRED_TRIM_SIZE) fold().catch(() => {});
	};
	const whenIdle = () => {
		quiet = undefined;
		if (typeof requestIdleCallback === 'function') {
			idle = requestIdleCallback(compact, { timeout: IDLE_TIMEOUT_MS });
		} else compact();
	};
	// Registered after y-indexeddb's own update handler, so `_dbsize` already counts this update.
	const onUpdate = () => {
		if (local._dbsize < PREFERRED_TRIM_SIZE) return;
		cancel();
		quiet = setTimeout(whenIdle, QUIET_MS);
	};
	const onVisibility = () => {
		if (document.visibilityState === 'hidden') compact();
	};

	doc.on('update', onUpdate);
	if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
	return () => {
		cancel();
		doc.off('update', onUpdate);
		if (typeof document !== 'undefined') {
			document.removeEventListener('visibilitychange', onVisibility);
		}
	};
}
