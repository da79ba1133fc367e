import * as Y from 'yjs';
import { log } from '../log.ts';
import type { StoredDoc } from '../persistence/doc-store.ts';
import { walkUpdate } from './integrability.ts';
import { ProtocolError } from './protocol-error.ts';
import { slicesOf } from './slices.ts';
import { StructTable } from './struct-table.ts';
import { scanUpdate } from './update-check.ts';

/** Structs and deletions applied in one step of a load (~2–10 µs each). */
export const LOAD_SLICE_UNITS = 2000;

/**
 * Loads the stored state into `doc`, in steps (budget.ts): a large snapshot or row is cut into
 * slices (slices.ts) so that a cold load of a big board does not hold the event loop. Rows are
 * applied one by one; whatever a row leaves pending (data stored before the server refused such
 * updates, or rows skipped as damaged) is dropped and logged after that row, so it is never
 * retried on every later update and the rest is kept. Returns how many pieces had to be healed.
 */
export function* loadSteps(name: string, doc: Y.Doc, stored: StoredDoc): Generator<void, number> {
	let dropped = 0;
	const heal = (row: number, leftOut: string | null) => {
		const store = doc.store;
		if (store.pendingStructs === null && store.pendingDs === null && leftOut === null) return;
		dropped++;
		log('room.pending_dropped', {
			doc: name,
			row,
			structs: store.pendingStructs
				? [...store.pendingStructs.missing.keys()].join(',')
				: (leftOut ?? ''),
			deletes: store.pendingDs !== null
		});
		store.pendingStructs = null;
		store.pendingDs = null;
	};
	const pieces = [stored.snapshot, ...stored.updates];
	for (let i = 0; i < pieces.length; i++) {
		const piece = pieces[i];
		if (!piece) continue;
		heal(i, yield* applyInSlices(doc, piece));
		yield;
	}
	if (dropped > 0) log('room.healed', { doc: name, rows: dropped });
	return dropped;
}

/**
 * Applies one stored piece (or a doc's whole state): whole when it has at most `units` structs
 * and deletions, else in slices of that many, of what integrates (the rest, which Yjs would keep
 * pending, is left out and named in the result).
 */
export function* applyInSlices(
	doc: Y.Doc,
	piece: Uint8Array,
	units = LOAD_SLICE_UNITS
): Generator<void, string | null> {
	const table = new StructTable(piece);
	let size: number;
	try {
		size = yield* scanUpdate(piece, table);
	} catch (error) {
		// Not something the server accepts today (written before the checks, or by an older
		// Yjs): Yjs reads it as it always did.
		if (!(error instanceof ProtocolError)) throw error;
		size = 0;
	}
	if (size <= units) {
		Y.applyUpdate(doc, piece, 'load');
		return null;
	}
	const walk = yield* walkUpdate(doc, table);
	for (const slice of slicesOf(table, walk, units)) {
		Y.applyUpdate(doc, slice, 'load');
		yield;
	}
	return walk.reason;
}
