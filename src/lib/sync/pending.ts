import * as Y from 'yjs';

/** [client, clock, length]: a range of items one local change deleted. */
export type DeleteRange = [number, number, number];

/**
 * What one local transaction changed, in a form a server snapshot can be checked against:
 * the clock its own insertions reached, and the ranges it deleted.
 */
export interface ChangeMarker {
	client: number;
	/** The client's clock after the change; 0 when the change only deleted. */
	clock: number;
	deletes: DeleteRange[];
}

/** The ranges a delete set covers. */
export function deleteRanges(ds: Y.Transaction['deleteSet']): DeleteRange[] {
	const ranges: DeleteRange[] = [];
	ds.clients.forEach((items, client) => {
		for (const item of items) ranges.push([client, item.clock, item.len]);
	});
	return ranges;
}

/** The marker of a local transaction, or null when it changed nothing. */
export function markerOf(tr: Y.Transaction): ChangeMarker | null {
	const client = tr.doc.clientID;
	const before = tr.beforeState.get(client) ?? 0;
	const after = tr.afterState.get(client) ?? 0;
	const deletes = deleteRanges(tr.deleteSet);
	if (after <= before && deletes.length === 0) return null;
	return { client, clock: after > before ? after : 0, deletes };
}

/**
 * Markers for other clients' changes a local transaction brought in (a merged changes file):
 * the server has not seen them either until it acknowledges their clocks.
 */
export function foreignMarkersOf(tr: Y.Transaction): ChangeMarker[] {
	const markers: ChangeMarker[] = [];
	tr.afterState.forEach((after, client) => {
		if (client !== tr.doc.clientID && after > (tr.beforeState.get(client) ?? 0)) {
			markers.push({ client, clock: after, deletes: [] });
		}
	});
	return markers;
}

/** A server snapshot in a form that answers "does it contain this?" quickly. */
export class AckedState {
	readonly #sv: Map<number, number>;
	readonly #deleted: Map<number, { clock: number; len: number }[]>;

	constructor(snapshot: Y.Snapshot) {
		this.#sv = snapshot.sv;
		this.#deleted = new Map();
		snapshot.ds.clients.forEach((items, client) => {
			const sorted = items
				.map((i) => ({ clock: i.clock, len: i.len }))
				.sort((a, b) => a.clock - b.clock);
			const merged: { clock: number; len: number }[] = [];
			for (const item of sorted) {
				const last = merged.at(-1);
				if (last && item.clock <= last.clock + last.len) {
					last.len = Math.max(last.len, item.clock + item.len - last.clock);
				} else merged.push({ ...item });
			}
			this.#deleted.set(client, merged);
		});
	}

	/** The server's state vector: the clock of every client whose changes it has stored. */
	get stateVector(): ReadonlyMap<number, number> {
		return this.#sv;
	}

	static decode(bytes: Uint8Array): AckedState {
		return new AckedState(Y.decodeSnapshot(bytes));
	}

	#covers([client, clock, len]: DeleteRange): boolean {
		const ranges = this.#deleted.get(client);
		if (!ranges) return false;
		let lo = 0;
		let hi = ranges.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const r = ranges[mid]!;
			if (r.clock + r.len <= clock) lo = mid + 1;
			else if (r.clock > clock) hi = mid - 1;
			else return clock + len <= r.clock + r.len;
		}
		return false;
	}

	/** True when the server has stored everything this change did. */
	contains(marker: ChangeMarker): boolean {
		if (marker.clock > (this.#sv.get(marker.client) ?? 0)) return false;
		return marker.deletes.every((range) => this.#covers(range));
	}
}

/** True when `doc` deleted every item of the range (and has them all). */
function rangeDeleted(doc: Y.Doc, [client, clock, len]: DeleteRange): boolean {
	const structs = doc.store.clients.get(client);
	if (!structs || Y.getState(doc.store, client) < clock + len) return false;
	for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
		const struct = structs[i]!;
		if (struct.id.clock >= clock + len) break;
		if (!struct.deleted) return false;
	}
	return true;
}

/**
 * True when `doc` holds the change a marker describes. A marker of this device's own copy that
 * the copy does not hold stands for a change that is gone with it (the copy was deleted or could
 * not be read), and can never be acknowledged.
 */
export function heldBy(doc: Y.Doc, marker: ChangeMarker): boolean {
	if (marker.clock > Y.getState(doc.store, marker.client)) return false;
	return marker.deletes.every((range) => rangeDeleted(doc, range));
}

/** The local changes not yet acknowledged by the server, oldest first. */
export function stillPending(markers: readonly ChangeMarker[], acked: AckedState): ChangeMarker[] {
	return markers.filter((m) => !acked.contains(m));
}
