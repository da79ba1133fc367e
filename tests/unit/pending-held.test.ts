import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addMeasure,
	createProblem,
	LOCAL_ORIGIN,
	removeMeasure,
	updateProblem
} from '../../src/lib/domain/commands';
import { heldBy, markerOf, type ChangeMarker } from '../../src/lib/sync/pending';
import { alice, newDoc } from './support';

/** A device's doc that records the marker and update of every local transaction. */
function device(clientID = 1) {
	const doc = newDoc(clientID);
	const changes: { marker: ChangeMarker; update: Uint8Array }[] = [];
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		const marker = markerOf(tr);
		if (marker) changes.push({ marker, update: new Uint8Array() });
	});
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin === LOCAL_ORIGIN) changes.at(-1)!.update = update;
	});
	return { doc, changes };
}

/** What a new page reads back from a local copy made of these updates. */
function reopened(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

describe('heldBy: does the local copy just read still hold a pending change?', () => {
	test('every change is held by a copy that stored all of them', () => {
		const { doc, changes } = device();
		const id = createProblem(doc, { title: '离线记下' }, alice);
		updateProblem(doc, id, { status: 'in-progress' }, alice);
		const measure = addMeasure(doc, id, '走访');
		removeMeasure(doc, id, measure);
		const copy = reopened([Y.encodeStateAsUpdate(doc)]);
		expect(changes.map((c) => heldBy(copy, c.marker))).toEqual([true, true, true, true]);
	});

	test('no change is held by an empty copy (the store was deleted)', () => {
		const { doc, changes } = device();
		const id = createProblem(doc, { title: '离线记下' }, alice);
		updateProblem(doc, id, { owner: '区总工会' }, alice);
		const copy = new Y.Doc();
		expect(changes.map((c) => heldBy(copy, c.marker))).toEqual([false, false]);
	});

	test('a copy that lost its last updates holds only the earlier changes', () => {
		const { doc, changes } = device();
		const id = createProblem(doc, { title: '离线记下' }, alice);
		updateProblem(doc, id, { status: 'in-progress' }, alice);
		updateProblem(doc, id, { owner: '区总工会' }, alice);
		const copy = reopened([changes[0]!.update]);
		expect(changes.map((c) => heldBy(copy, c.marker))).toEqual([true, false, false]);
	});

	test('a deletion is not held by a copy that has the deleted items but not the deletion', () => {
		const other = newDoc(9);
		other.getText('t').insert(0, 'abcdef');
		const synced = Y.encodeStateAsUpdate(other);
		const { doc, changes } = device();
		Y.applyUpdate(doc, synced);
		doc.transact(() => doc.getText('t').delete(1, 4), LOCAL_ORIGIN);
		const marker = changes[0]!.marker;
		expect(marker).toEqual({ client: 1, clock: 0, deletes: [[9, 1, 4]] });
		expect(heldBy(reopened([synced]), marker)).toBe(false);
		expect(heldBy(reopened([synced, changes[0]!.update]), marker)).toBe(true);
		// Only part of the range deleted (by someone else) is not enough.
		other.getText('t').delete(1, 2);
		expect(heldBy(reopened([Y.encodeStateAsUpdate(other)]), marker)).toBe(false);
	});

	test("markers of other clients' changes brought in by a file are checked against their client", () => {
		const copy = reopened([]);
		const other = newDoc(9);
		other.getText('t').insert(0, 'abc');
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(other));
		expect(heldBy(copy, { client: 9, clock: 3, deletes: [] })).toBe(true);
		expect(heldBy(copy, { client: 9, clock: 4, deletes: [] })).toBe(false);
	});
});
