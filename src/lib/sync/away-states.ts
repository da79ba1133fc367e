import * as Y from 'yjs';
import type { AwayStates } from '../domain/away';
import { problemsOf, readProblems } from '../domain/problem';

type DeleteRanges = Map<number, { clock: number; len: number }[]>;

function docOf(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		for (const update of updates) Y.applyUpdate(doc, update);
	});
	return doc;
}

/** A delete set in Yjs's v1 encoding (as at the end of an update). */
function encodeDeletes(clients: DeleteRanges): Uint8Array {
	const ds = Y.createDeleteSet();
	for (const [client, ranges] of clients) ds.clients.set(client, ranges as never);
	const bytes = Y.encodeSnapshot(Y.createSnapshot(ds, new Map()));
	// A snapshot is the delete set followed by a state vector, here empty: one byte.
	return bytes.subarray(0, bytes.length - 1);
}

const endsWith = (bytes: Uint8Array, tail: Uint8Array) =>
	tail.length <= bytes.length && tail.every((b, i) => b === bytes[bytes.length - tail.length + i]);

/** An update split into its structs (as an update without deletions) and its delete ranges. */
function split(update: Uint8Array): { structs: Uint8Array; deletes: DeleteRanges } | null {
	const { ds } = Y.decodeUpdate(update);
	const deletes: DeleteRanges = new Map();
	ds.clients.forEach((items, client) => {
		deletes.set(
			client,
			items.map((i) => ({ clock: i.clock, len: i.len }))
		);
	});
	const tail = encodeDeletes(deletes);
	if (!endsWith(update, tail)) return null;
	const structs = new Uint8Array(update.length - tail.length + 1);
	structs.set(update.subarray(0, update.length - tail.length));
	return { structs, deletes };
}

/** Deletions in `from` that `base` does not have: what we deleted while apart. */
function keepDeletes(
	deletes: DeleteRanges,
	keep: (client: number, clock: number) => boolean
): DeleteRanges {
	const result: DeleteRanges = new Map();
	for (const [client, ranges] of deletes) {
		const kept: { clock: number; len: number }[] = [];
		for (const { clock, len } of ranges) {
			for (let c = clock; c < clock + len; c++) {
				if (!keep(client, c)) continue;
				const last = kept.at(-1);
				if (last && last.clock + last.len === c) last.len++;
				else kept.push({ clock: c, len: 1 });
			}
		}
		if (kept.length > 0) result.set(client, kept);
	}
	return result;
}

/**
 * The others' side: base plus what came from the server. The server's delete set also holds
 * what our own changes deleted once it had them (our edits may reach it before it answers us), and
 * those are not theirs: they are left out. A value of theirs the server already replaced with
 * ours is gone there for good; such fields are listed as unknown.
 */
function theirSide(base: Y.Doc, baseUpdate: Uint8Array, ours: Y.Doc, remote: Uint8Array[]) {
	const parts = remote.map(split);
	if (parts.some((p) => p === null)) return { doc: docOf([baseUpdate, ...remote]), unknown: {} };

	const baseDeletes = Y.snapshot(base).ds;
	const ourDeletes = Y.snapshot(ours).ds;
	const doc = docOf([baseUpdate, ...parts.map((p) => p!.structs)]);
	for (const part of parts) {
		const theirs = keepDeletes(part!.deletes, (client, clock) => {
			const id = Y.createID(client, clock);
			return !Y.isDeleted(ourDeletes, id) || Y.isDeleted(baseDeletes, id);
		});
		Y.applyUpdate(doc, new Uint8Array([0, ...encodeDeletes(theirs)]));
	}
	const unknown: Record<string, string[]> = {};
	for (const [id, key, item] of newValues(base, doc)) {
		if (item.deleted) (unknown[id] ??= []).push(key);
	}
	return { doc, unknown };
}

/** [problem id, key, item] of every problem field whose current value was set after `base`. */
function* newValues(base: Y.Doc, doc: Y.Doc): Generator<[string, string, Y.Item]> {
	const baseState = Y.decodeStateVector(Y.encodeStateVector(base));
	for (const [id, map] of problemsOf(doc).entries()) {
		if (!(map instanceof Y.Map)) continue;
		for (const [key, item] of map._map) {
			if (item.id.clock >= (baseState.get(item.id.client) ?? 0)) yield [id, key, item];
		}
	}
}

/** Who set each field others changed, where their client is known by name (online now). */
function writersOf(base: Y.Doc, theirs: Y.Doc, names: ReadonlyMap<number, string>) {
	const writers: Record<string, Record<string, string>> = {};
	for (const [id, key, item] of newValues(base, theirs)) {
		const name = names.get(item.id.client);
		if (name) (writers[id] ??= {})[key] = name;
	}
	return writers;
}

/** The four readings of a catch-up (see summarizeAway) from what the tracker kept. */
export function awayStates(
	baseUpdate: Uint8Array,
	oursUpdate: Uint8Array,
	remote: Uint8Array[],
	after: Y.Doc,
	names: ReadonlyMap<number, string> = new Map()
): AwayStates {
	const base = docOf([baseUpdate]);
	const ours = docOf([oursUpdate]);
	const theirs = theirSide(base, baseUpdate, ours, remote);
	const states: AwayStates = {
		base: readProblems(base),
		ours: readProblems(ours),
		theirs: readProblems(theirs.doc),
		after: readProblems(after),
		unknown: theirs.unknown,
		writers: writersOf(base, theirs.doc, names)
	};
	for (const doc of [base, ours, theirs.doc]) doc.destroy();
	return states;
}
