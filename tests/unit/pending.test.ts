import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addMeasure,
	createProblem,
	LOCAL_ORIGIN,
	removeMeasure,
	updateProblem
} from '../../src/lib/domain/commands';
import { AckedState, markerOf, stillPending, type ChangeMarker } from '../../src/lib/sync/pending';
import { alice, newDoc } from './support';

/** A client doc that records, per local transaction, its marker and the update it produced. */
function recordingClient(clientID = 1) {
	const doc = newDoc(clientID);
	const changes: { marker: ChangeMarker | null; update: Uint8Array | null }[] = [];
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		changes.push({ marker: markerOf(tr), update: null });
	});
	// Yjs emits a transaction's update after its afterTransaction event.
	doc.on('update', (update: Uint8Array) => {
		changes.at(-1)!.update = update;
	});
	/** Runs one local transaction and returns what it recorded. */
	const run = (fn: () => void) => {
		doc.transact(fn, LOCAL_ORIGIN);
		return changes.at(-1)!;
	};
	return { doc, changes, run };
}

const ackedBy = (server: Y.Doc) => new AckedState(Y.snapshot(server));
const viaWire = (server: Y.Doc) => AckedState.decode(Y.encodeSnapshot(Y.snapshot(server)));

describe('markerOf', () => {
	test('an insert-only change records the clock it reached and no deletions', () => {
		const { doc, run } = recordingClient(7);
		const { marker } = run(() => doc.getText('t').insert(0, 'hello'));
		expect(marker).toEqual({ client: 7, clock: 5, deletes: [] });
		const next = run(() => doc.getText('t').insert(5, '!'));
		expect(next.marker).toEqual({ client: 7, clock: 6, deletes: [] });
	});

	test('a delete-only change records the deleted range and clock 0 (deletions do not advance the state vector)', () => {
		const { doc, run } = recordingClient(7);
		run(() => doc.getText('t').insert(0, 'hello'));
		const before = Y.encodeStateVector(doc);
		const { marker } = run(() => doc.getText('t').delete(1, 3));
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(marker).toEqual({ client: 7, clock: 0, deletes: [[7, 1, 3]] });
	});

	test('a mixed change records both its clock and its deletions', () => {
		const { doc, run } = recordingClient(7);
		run(() => doc.getMap('m').set('k', 'a'));
		const { marker } = run(() => doc.getMap('m').set('k', 'b')); // overwrites: insert + delete
		expect(marker).toEqual({ client: 7, clock: 2, deletes: [[7, 0, 1]] });
	});

	test('deleting what another client wrote records that client in the range', () => {
		const other = newDoc(9);
		other.getText('t').insert(0, 'abc');
		const { doc, run } = recordingClient(7);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		const { marker } = run(() => doc.getText('t').delete(0, 2));
		expect(marker).toEqual({ client: 7, clock: 0, deletes: [[9, 0, 2]] });
	});

	test('a transaction that changed nothing has no marker', () => {
		const { doc, run } = recordingClient(7);
		run(() => doc.getText('t').insert(0, 'x'));
		expect(run(() => {}).marker).toBeNull();
		expect(run(() => doc.getMap('m').delete('missing')).marker).toBeNull();
	});

	test('domain commands produce markers for their transaction', () => {
		const { doc, changes } = recordingClient(7);
		const id = createProblem(doc, { title: 'x' }, alice);
		updateProblem(doc, id, { status: 'in-progress' }, alice);
		updateProblem(doc, id, { status: 'in-progress' }, alice); // no change: no marker
		expect(changes.map((c) => c.marker === null)).toEqual([false, false, true]);
		expect(changes[0]!.marker!.deletes).toEqual([]);
		expect(changes[1]!.marker!.deletes.length).toBeGreaterThan(0); // old status and updatedAt
	});
});

describe('AckedState.contains', () => {
	test('true only for changes whose inserts the server has', () => {
		const { doc, run } = recordingClient();
		const first = run(() => doc.getText('t').insert(0, 'hello'));
		const second = run(() => doc.getText('t').insert(5, ' world'));
		const server = new Y.Doc();
		Y.applyUpdate(server, first.update!);
		const acked = ackedBy(server);
		expect(acked.contains(first.marker!)).toBe(true);
		expect(acked.contains(second.marker!)).toBe(false);
		Y.applyUpdate(server, second.update!);
		expect(ackedBy(server).contains(second.marker!)).toBe(true);
	});

	test('a deletion is pending until the server has it, although the state vector already matches', () => {
		const { doc, run } = recordingClient();
		const insert = run(() => doc.getText('t').insert(0, 'hello'));
		const remove = run(() => doc.getText('t').delete(0, 2));
		const server = new Y.Doc();
		Y.applyUpdate(server, insert.update!);
		expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(doc));
		expect(ackedBy(server).contains(remove.marker!)).toBe(false);
		Y.applyUpdate(server, remove.update!);
		expect(ackedBy(server).contains(remove.marker!)).toBe(true);
	});

	test('a mixed change needs both its inserts and its deletes on the server', () => {
		const { doc, run } = recordingClient();
		run(() => doc.getMap('m').set('k', 'a'));
		const serverWithInsertsOnly = new Y.Doc();
		Y.applyUpdate(serverWithInsertsOnly, Y.encodeStateAsUpdate(doc));
		const mixed = run(() => doc.getMap('m').set('k', 'b'));
		expect(ackedBy(serverWithInsertsOnly).contains(mixed.marker!)).toBe(false);
		const full = new Y.Doc();
		Y.applyUpdate(full, Y.encodeStateAsUpdate(doc));
		expect(ackedBy(full).contains(mixed.marker!)).toBe(true);
	});

	test('a deletion the server has for only part of the range is not acknowledged', () => {
		const a = newDoc(5);
		a.getText('t').insert(0, 'abcdef');
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
		const { doc, run } = recordingClient();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(a));
		const remove = run(() => doc.getText('t').delete(0, 6));
		// Someone else deleted "bcd" and the server has that, but not our deletion of the rest.
		a.getText('t').delete(1, 3);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
		expect(ackedBy(server).contains(remove.marker!)).toBe(false);
		Y.applyUpdate(server, remove.update!);
		expect(ackedBy(server).contains(remove.marker!)).toBe(true);
	});

	test('a range deleted by two separate server-side deletions counts as one', () => {
		const a = newDoc(5);
		a.getText('t').insert(0, 'abcdef');
		const { doc, run } = recordingClient();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(a));
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
		const first = run(() => doc.getText('t').delete(0, 3));
		const second = run(() => doc.getText('t').delete(0, 3));
		Y.applyUpdate(server, first.update!);
		Y.applyUpdate(server, second.update!);
		const whole: ChangeMarker = { client: 1, clock: 0, deletes: [[5, 0, 6]] };
		expect(ackedBy(server).contains(whole)).toBe(true);
	});

	test('merges unsorted, adjacent and overlapping delete ranges of a snapshot', () => {
		const ds = Y.createDeleteSet();
		ds.clients.set(3, [
			{ clock: 20, len: 5 },
			{ clock: 0, len: 4 },
			{ clock: 4, len: 3 }, // adjacent to 0..4
			{ clock: 6, len: 4 }, // overlaps 4..7
			{ clock: 30, len: 1 }
		]);
		const acked = new AckedState(Y.createSnapshot(ds, new Map([[3, 40]])));
		const del = (clock: number, len: number): ChangeMarker => ({
			client: 1,
			clock: 0,
			deletes: [[3, clock, len]]
		});
		expect(acked.contains(del(0, 10))).toBe(true); // 0..10 from three pieces
		expect(acked.contains(del(2, 8))).toBe(true);
		expect(acked.contains(del(9, 1))).toBe(true);
		expect(acked.contains(del(0, 11))).toBe(false); // one past the merged range
		expect(acked.contains(del(10, 1))).toBe(false); // in the gap
		expect(acked.contains(del(20, 5))).toBe(true);
		expect(acked.contains(del(19, 2))).toBe(false); // starts in the gap
		expect(acked.contains(del(24, 2))).toBe(false); // runs into the gap
		expect(acked.contains(del(30, 1))).toBe(true);
		expect(acked.contains(del(31, 1))).toBe(false);
		expect(acked.contains({ client: 1, clock: 0, deletes: [[4, 0, 1]] })).toBe(false); // unknown client
		expect(
			acked.contains({
				client: 1,
				clock: 0,
				deletes: [
					[3, 0, 2],
					[3, 20, 1]
				]
			})
		).toBe(true);
		expect(
			acked.contains({
				client: 1,
				clock: 0,
				deletes: [
					[3, 0, 2],
					[3, 12, 1]
				]
			})
		).toBe(false);
	});

	test('the clock of a change is compared with the state of its own client', () => {
		const acked = new AckedState(
			Y.createSnapshot(
				Y.createDeleteSet(),
				new Map([
					[1, 10],
					[2, 3]
				])
			)
		);
		expect(acked.contains({ client: 1, clock: 10, deletes: [] })).toBe(true);
		expect(acked.contains({ client: 1, clock: 11, deletes: [] })).toBe(false);
		expect(acked.contains({ client: 2, clock: 10, deletes: [] })).toBe(false);
		expect(acked.contains({ client: 9, clock: 1, deletes: [] })).toBe(false);
	});
});

describe('stillPending', () => {
	test('keeps the changes the server does not have yet, oldest first', () => {
		const { doc, changes } = recordingClient();
		const id = createProblem(doc, { title: 'x' }, alice);
		const server = new Y.Doc();
		Y.applyUpdate(server, changes[0]!.update!);
		updateProblem(doc, id, { status: 'in-progress' }, alice);
		addMeasure(doc, id, 'm');
		updateProblem(doc, id, { owner: 'o' }, alice);
		const markers = changes.map((c) => c.marker!);
		expect(stillPending(markers, ackedBy(server))).toEqual(markers.slice(1));
		Y.applyUpdate(server, changes[1]!.update!);
		expect(stillPending(markers, ackedBy(server))).toEqual(markers.slice(2));
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
		expect(stillPending(markers, ackedBy(server))).toEqual([]);
	});
});

describe('AckedState.decode', () => {
	test('an encoded server snapshot answers like the snapshot itself', () => {
		const { doc, changes } = recordingClient();
		const id = createProblem(doc, { title: 'x' }, alice);
		const server = new Y.Doc();
		Y.applyUpdate(server, changes[0]!.update!);
		updateProblem(doc, id, { status: 'closed' }, alice);
		const markers = changes.map((c) => c.marker!);
		expect(markers.map((m) => viaWire(server).contains(m))).toEqual([true, false]);
		expect(markers.map((m) => ackedBy(server).contains(m))).toEqual([true, false]);
	});

	test('deletions acknowledged by a garbage-collecting server still count, also after it reloads', () => {
		const { doc, changes } = recordingClient();
		const id = createProblem(doc, { title: 'x', description: '一段描述文字' }, alice);
		const m1 = addMeasure(doc, id, 'first');
		addMeasure(doc, id, 'second');
		const server = new Y.Doc(); // gc on, as on the server
		expect(server.gc).toBe(true);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
		const from = changes.length;
		removeMeasure(doc, id, m1); // deletes a map with content: collected on the server
		doc.transact(() => {
			const text = doc.getMap<Y.Map<unknown>>('problems').get(id)!.get('description') as Y.Text;
			text.delete(0, 4);
		}, LOCAL_ORIGIN);
		const markers = changes.slice(from).map((c) => c.marker!);
		expect(markers.every((m) => m.deletes.length > 0)).toBe(true);
		expect(markers.map((m) => viaWire(server).contains(m))).toEqual([false, false]);

		for (const { update } of changes.slice(from)) Y.applyUpdate(server, update!);
		// The removed measure's fields really were garbage-collected into GC structs.
		expect(server.store.clients.get(1)!.some((s) => s instanceof Y.GC)).toBe(true);
		expect(markers.map((m) => viaWire(server).contains(m))).toEqual([true, true]);

		// A server that restarts loads its stored state into a fresh doc.
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(server));
		expect(markers.map((m) => viaWire(reloaded).contains(m))).toEqual([true, true]);
		expect(
			stillPending(
				changes.map((c) => c.marker!),
				viaWire(reloaded)
			)
		).toEqual([]);
	});

	test('an empty snapshot acknowledges nothing', () => {
		const { doc, run } = recordingClient();
		const { marker } = run(() => doc.getText('t').insert(0, 'x'));
		expect(AckedState.decode(Y.encodeSnapshot(Y.emptySnapshot)).contains(marker!)).toBe(false);
	});
});
