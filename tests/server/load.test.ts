import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { runNow } from '../../server/sync/budget.ts';
import { encodeStateSteps } from '../../server/sync/encode.ts';
import { LOAD_SLICE_UNITS, loadSteps } from '../../server/sync/load.ts';

/**
 * A cold load applies large stored pieces in slices (server/sync/load.ts): the doc it builds is
 * the one Yjs builds from the whole pieces, and what Yjs would keep pending is left out.
 */

const stored = (snapshot: Uint8Array | null, updates: Uint8Array[] = []) => ({
	snapshot,
	updates,
	lastId: updates.length
});

/** A board-like doc from three writers: maps, texts, arrays, deletions; well over a slice. */
function bigDoc(): Y.Doc {
	const docs = [1, 2, 3].map((client) => {
		const doc = new Y.Doc();
		doc.clientID = client;
		return doc;
	});
	for (let round = 0; round < 25; round++) {
		for (const doc of docs) {
			const problems = doc.getMap<Y.Map<unknown>>('problems');
			for (let i = 0; i < 20; i++) {
				const problem = new Y.Map<unknown>();
				problems.set(`p${doc.clientID}-${round}-${i}`, problem);
				const text = new Y.Text();
				problem.set('description', text);
				for (let c = 0; c < 5; c++) text.insert(0, `字${c}`);
				problem.set('status', round % 2 ? 'open' : 'resolved');
			}
			if (round % 3 === 0) problems.delete(`p${doc.clientID}-${round}-0`);
		}
		// Everyone sees everyone's changes, then goes on concurrently.
		const merged = Y.mergeUpdates(docs.map((d) => Y.encodeStateAsUpdate(d)));
		for (const doc of docs) Y.applyUpdate(doc, merged);
	}
	return docs[0]!;
}

const sameDoc = (a: Y.Doc, b: Y.Doc) => {
	expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
	expect(a.getMap('problems').toJSON()).toEqual(b.getMap('problems').toJSON());
	expect(
		Y.equalDeleteSets(
			Y.createDeleteSetFromStructStore(a.store),
			Y.createDeleteSetFromStructStore(b.store)
		)
	).toBe(true);
};

describe('a cold load in slices', () => {
	it('builds the doc Yjs builds from the whole snapshot and rows', () => {
		const source = bigDoc();
		const snapshot = Y.encodeStateAsUpdate(source);
		const units = Y.decodeUpdate(snapshot).structs.length;
		expect(units).toBeGreaterThan(5 * LOAD_SLICE_UNITS);
		// A later row, also large: another writer's work on top.
		const later = new Y.Doc();
		later.clientID = 9;
		Y.applyUpdate(later, snapshot);
		const before = Y.encodeStateVector(later);
		later.transact(() => {
			for (let i = 0; i < 3000; i++) later.getText('notes').insert(0, 'a');
			later.getMap('problems').delete('p2-5-3');
		});
		const row = Y.encodeStateAsUpdate(later, before);

		const whole = new Y.Doc();
		Y.applyUpdate(whole, snapshot);
		Y.applyUpdate(whole, row);
		const sliced = new Y.Doc();
		let steps = 0;
		const load = loadSteps('test', sliced, stored(snapshot, [row]));
		while (!load.next().done) steps++;
		expect(steps).toBeGreaterThan(10);
		sameDoc(sliced, whole);
		expect(sliced.getText('notes').length).toBe(3000);
	});

	it('leaves out what Yjs would keep pending in a large piece, and keeps the rest', () => {
		const source = bigDoc();
		const snapshot = Y.encodeStateAsUpdate(source);
		// A large row: 3,000 structs of client 50, then one of client 51 whose origin (client 60)
		// never existed, and one more of client 51 after it. Yjs keeps client 51's pending.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint(encoder, 3000);
		encoding.writeVarUint(encoder, 50);
		encoding.writeVarUint(encoder, 0);
		encoding.writeUint8(encoder, 4);
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarString(encoder, 'notes');
		encoding.writeVarString(encoder, 'a');
		for (let clock = 1; clock < 3000; clock++) {
			encoding.writeUint8(encoder, 4 | 0x40);
			encoding.writeVarUint(encoder, 50);
			encoding.writeVarUint(encoder, clock - 1);
			encoding.writeVarString(encoder, 'a');
		}
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint(encoder, 51);
		encoding.writeVarUint(encoder, 0);
		for (let clock = 0; clock < 2; clock++) {
			encoding.writeUint8(encoder, 4 | 0x80);
			encoding.writeVarUint(encoder, clock === 0 ? 60 : 51);
			encoding.writeVarUint(encoder, clock === 0 ? 7 : 0);
			encoding.writeVarString(encoder, 'b');
		}
		encoding.writeVarUint(encoder, 1); // and a deletion of clocks nobody wrote
		encoding.writeVarUint(encoder, 70);
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 3);
		const row = encoding.toUint8Array(encoder);

		const whole = new Y.Doc();
		Y.applyUpdate(whole, snapshot);
		Y.applyUpdate(whole, row);
		expect(whole.store.pendingStructs).not.toBeNull();
		whole.store.pendingStructs = null;
		whole.store.pendingDs = null;

		const sliced = new Y.Doc();
		expect(runNow(loadSteps('test', sliced, stored(snapshot, [row])))).toBe(1);
		expect(sliced.store.pendingStructs).toBeNull();
		expect(sliced.store.pendingDs).toBeNull();
		sameDoc(sliced, whole);
		expect(sliced.getText('notes').length).toBe(3000);
		expect(Y.getState(sliced.store, 51)).toBe(0);
	});
});

describe('encoding a doc in steps', () => {
	it('writes byte for byte what Y.encodeStateAsUpdate writes, for any target state', () => {
		const doc = bigDoc();
		const targets = [
			new Uint8Array([0]),
			Y.encodeStateVector(doc),
			Y.encodeStateVector(new Y.Doc()),
			// Behind on some clients, unknown ones included.
			Y.encodeStateVector(
				(() => {
					const d = new Y.Doc();
					d.clientID = 2;
					Y.applyUpdate(d, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Y.Doc())));
					return d;
				})()
			),
			(() => {
				const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
				for (const [client, clock] of sv) sv.set(client, Math.floor(clock / 3));
				sv.set(12345, 7);
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, sv.size);
				for (const [client, clock] of sv) {
					encoding.writeVarUint(encoder, client);
					encoding.writeVarUint(encoder, clock);
				}
				return encoding.toUint8Array(encoder);
			})()
		];
		for (const target of targets) {
			expect(runNow(encodeStateSteps(doc, target))).toEqual(Y.encodeStateAsUpdate(doc, target));
		}
	});
});
