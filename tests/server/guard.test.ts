import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createProblem, deleteProblem, updateProblem } from '../../src/lib/domain/commands.ts';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle.ts';
import { problemsOf } from '../../src/lib/domain/problem.ts';
import { MemoryClientOwners } from '../../server/sync/client-owners.ts';
import { canonicalJson } from '../../server/sync/field-rules.ts';
import { Guard } from '../../server/sync/guard.ts';
import { checkUpdate } from '../../server/sync/update-check.ts';
import { runNow } from '../../server/sync/budget.ts';
import { city, closure } from './record-actors.ts';

/**
 * The guard judges the EFFECT of an update (server/sync/guard.ts, field-rules.ts). These tests
 * build updates a stock client never sends — random origins, client ids, content types, whole
 * problem maps replaced, delete sets, stale replicas — and check every one against an oracle
 * that computes the effect on its own: the update applied to a separate copy of the doc, every
 * problem compared as JSON.
 */

const COUNTY = { username: 'zhangxin', displayName: '张欣', role: 'county' as const };
const ADMIN = { username: 'admin', displayName: '管理员', role: 'admin' as const };
/** A county user's hand-made client claims the city role to get past the domain's own checks. */
const countyActor = { username: 'zhangxin', name: '张欣', role: 'city' as const };

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
function prng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (n: number) => Math.floor(next() * n),
		pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
	};
}
type Rng = ReturnType<typeof prng>;

/** A board on the server: open, resolved, closed and deleted problems, made by the city. */
function board() {
	const doc = new Y.Doc();
	const ids: string[] = [];
	for (let i = 0; i < 6; i++) {
		ids.push(createProblem(doc, { title: `问题${i}`, tier: 'county-self' }, city));
	}
	for (const id of ids.slice(0, 4)) resolveProblem(doc, id, { note: '已解决' }, city);
	// What a county device that went offline here holds: the problems before the city closed them.
	const stale = Y.encodeStateAsUpdate(doc);
	closeProblem(doc, ids[0]!, closure, city);
	closeProblem(doc, ids[1]!, closure, city);
	deleteProblem(doc, ids[5]!, city);
	return { doc, ids, stale };
}

const copyOf = (doc: Y.Doc) => {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
};

/** Every problem as canonical JSON, by id. */
function problemsJson(doc: Y.Doc): Map<string, Record<string, unknown> | null> {
	const result = new Map<string, Record<string, unknown> | null>();
	problemsOf(doc).forEach((value, id) => {
		result.set(id, value instanceof Y.Map ? (value.toJSON() as Record<string, unknown>) : null);
	});
	return result;
}

/** The oracle: does taking `update` into `doc` break a rule a county writer is held to? */
function breaksCountyRules(doc: Y.Doc, update: Uint8Array): boolean {
	const before = problemsJson(doc);
	const after = copyOf(doc);
	Y.applyUpdate(after, update);
	const now = problemsJson(after);
	for (const [id, was] of before) {
		const is = now.get(id) ?? null;
		const wasClosed = was?.status === 'closed';
		if (wasClosed && canonicalJson(was) !== canonicalJson(is)) return true;
		if (!wasClosed && is?.status === 'closed') return true;
		if (canonicalJson(was?.closure ?? null) !== canonicalJson(is?.closure ?? null)) return true;
		if ((was?.reopenCount ?? null) !== (is?.reopenCount ?? null)) return true;
		if (typeof was?.deletedAt === 'string' && is && typeof is.deletedAt !== 'string') return true;
		const log = (v: Record<string, unknown> | null) =>
			((v?.log as Record<string, unknown>[] | undefined) ?? []).map((e) => canonicalJson(e));
		const wasLog = log(was);
		const isLog = log(is);
		let kept = 0;
		for (const entry of isLog) {
			if (kept < wasLog.length && entry === wasLog[kept]) kept++;
			else if (!['张欣', 'zhangxin'].includes(JSON.parse(entry).by)) return true;
		}
		if (kept < wasLog.length) return true;
	}
	for (const [id, is] of now) {
		if (!before.has(id) && is?.status === 'closed') return true;
		if (!before.has(id) && is?.closure !== undefined) return true;
	}
	return false;
}

/** A value of a random content type, sometimes the one that matters. */
function randomValue(rng: Rng, doc: Y.Doc | null): unknown {
	switch (rng.int(7)) {
		case 0:
			return 'closed';
		case 1:
			return rng.pick(['open', 'in-progress', 'resolved', 'x']);
		case 2:
			return rng.int(5);
		case 3:
			return new Uint8Array([rng.int(256)]);
		case 4:
			return new Y.Text(rng.pick(['closed', '改了']));
		case 5: {
			const map = new Y.Map<unknown>();
			if (doc === null || rng.next() < 0.5) map.set('verifier', '县里自己');
			return map;
		}
		default:
			return ['closed'];
	}
}

const FIELDS = ['status', 'closure', 'title', 'reopenCount', 'deletedAt', 'assignee', 'log', 'due'];

/** One random edit on a replica, through the Yjs API (any key, any value, any shape). */
function randomEdit(rng: Rng, doc: Y.Doc, ids: string[]): void {
	const problems = problemsOf(doc);
	const id = rng.pick(ids);
	const map = problems.get(id);
	switch (rng.int(9)) {
		case 0:
			// Replace the problem's whole map, keeping some of its fields.
			if (map) {
				const copy = new Y.Map<unknown>();
				for (const [key, value] of Object.entries(map.toJSON())) {
					if (rng.next() < 0.8 && typeof value !== 'object') copy.set(key, value);
				}
				if (rng.next() < 0.5) copy.set('status', rng.pick(['closed', 'open']));
				problems.set(id, copy as never);
			}
			return;
		case 1:
			problems.delete(id);
			return;
		case 2:
			map?.delete(rng.pick(FIELDS));
			return;
		case 3: {
			const closureMap = map?.get('closure');
			if (closureMap instanceof Y.Map) closureMap.set('satisfaction', 'unsatisfied');
			else map?.set('closure', randomValue(rng, doc));
			return;
		}
		case 4: {
			const log = map?.get('log');
			if (log instanceof Y.Array && log.length > 0 && rng.next() < 0.5) log.delete(0);
			else if (log instanceof Y.Array) {
				const entry = new Y.Map<unknown>();
				entry.set('by', rng.pick(['张欣', '吴伟', 'zhangxin']));
				entry.set('kind', 'note');
				log.push([entry]);
			}
			return;
		}
		case 5:
			if (map) updateProblem(doc, id, { assignee: rng.pick(['李明', '王芳']) }, countyActor);
			return;
		case 6:
			// A new problem, sometimes born closed.
			problems.set(
				`new-${rng.int(1000)}`,
				new Y.Map<unknown>([['status', rng.pick(['closed', 'open'])]]) as never
			);
			return;
		default:
			map?.set(rng.pick(FIELDS), randomValue(rng, doc));
	}
}

/**
 * Re-encodes an update's structs with some of them mutated: another client id, an origin pointed
 * at a random item of the doc, or the content swapped for `closed` in another content type.
 */
function mutate(rng: Rng, update: Uint8Array, doc: Y.Doc, clients: number[]): Uint8Array {
	const { structs, ds } = Y.decodeUpdate(update);
	const existing: Y.Item[] = [];
	doc.store.clients.forEach((list) => {
		for (const s of list) if (s instanceof Y.Item && s.length === 1) existing.push(s);
	});
	const out = new Map<number, (Y.Item | Y.GC)[]>();
	for (const struct of structs) {
		if (!(struct instanceof Y.Item) && !(struct instanceof Y.GC)) continue;
		if (struct instanceof Y.Item && rng.next() < 0.3) {
			const roll = rng.int(4);
			if (roll === 0 && existing.length > 0) {
				struct.origin = rng.pick(existing).lastId;
			} else if (roll === 1 && existing.length > 0) {
				struct.rightOrigin = rng.pick(existing).id;
			} else if (roll === 2) {
				struct.content = rng.pick([
					new Y.ContentString('closed'),
					new Y.ContentJSON(['closed']),
					new Y.ContentAny(['closed']),
					new Y.ContentBinary(new Uint8Array([1]))
				]);
				struct.length = 1;
			}
		}
		const client = struct.id.client;
		let list = out.get(client);
		if (!list) out.set(client, (list = []));
		list.push(struct);
	}
	const encoder = new Y.UpdateEncoderV1();
	const lists = [...out.entries()];
	encoding.writeVarUint(encoder.restEncoder, lists.length);
	for (const [client, list] of lists) {
		// Sometimes the whole list goes under another client id (the city's, an unknown one).
		const as = rng.next() < 0.2 ? rng.pick(clients) : client;
		encoding.writeVarUint(encoder.restEncoder, list.length);
		encoder.writeClient(as);
		encoding.writeVarUint(encoder.restEncoder, list[0]!.id.clock);
		for (const struct of list) struct.write(encoder, 0);
	}
	const dsClients = [...ds.clients.entries()];
	if (rng.next() < 0.3 && existing.length > 0) {
		const victim = rng.pick(existing);
		dsClients.push([victim.id.client, [{ clock: victim.id.clock, len: 1 } as never]]);
	}
	encoding.writeVarUint(encoder.restEncoder, dsClients.length);
	for (const [client, ranges] of dsClients) {
		encoder.resetDsCurVal();
		encoding.writeVarUint(encoder.restEncoder, client);
		encoding.writeVarUint(encoder.restEncoder, ranges.length);
		for (const range of ranges) {
			encoder.writeDsClock(range.clock);
			encoder.writeDsLen(range.len);
		}
	}
	return encoder.toUint8Array();
}

describe('the guard judges the effect of any update (property)', () => {
	it('refuses exactly the updates whose effect breaks a county rule, whatever their encoding', () => {
		let admitted = 0;
		let refused = 0;
		for (let seed = 1; seed <= 400; seed++) {
			const rng = prng(seed);
			const { doc: server, ids, stale } = board();
			const guard = new Guard(server, new MemoryClientOwners());
			// The attacker's replica: current, or stale (from before the city's closes).
			const replica = new Y.Doc();
			Y.applyUpdate(replica, rng.next() < 0.3 ? stale : Y.encodeStateAsUpdate(server));
			const edits: Uint8Array[] = [];
			replica.on('update', (u: Uint8Array) => edits.push(u));
			const steps = 1 + rng.int(3);
			for (let i = 0; i < steps; i++) randomEdit(rng, replica, ids);
			let update = edits.length > 0 ? Y.mergeUpdates(edits) : Y.encodeStateAsUpdate(replica);
			if (rng.next() < 0.5) {
				const clients = [server.clientID, replica.clientID, 77, ...server.store.clients.keys()];
				update = mutate(rng, update, server, clients);
			}
			if (rng.next() < 0.3) update = Y.encodeStateAsUpdate(copyOf(server), new Uint8Array([0]));
			try {
				checkUpdate(update);
			} catch {
				continue; // The structural reader refuses it before the guard: nothing to judge.
			}
			let expected: boolean;
			try {
				expected = breaksCountyRules(server, update);
			} catch {
				expected = true; // Yjs cannot even take it: it must be refused.
			}
			const stateBefore = Y.encodeStateAsUpdate(server);
			let outcome: 'admitted' | 'refused';
			try {
				guard.admit(update, COUNTY, { attributeLog: true });
				outcome = 'admitted';
			} catch {
				// A FieldRuleError, a PendingError, or Yjs throwing on crafted structs: all refusals.
				outcome = 'refused';
			}
			if (outcome === 'admitted') {
				admitted++;
				expect(expected, `seed ${seed}: admitted an update that breaks a rule`).toBe(false);
				Y.applyUpdate(server, update);
				expect(server.store.pendingStructs, `seed ${seed}: pending structs`).toBeNull();
				expect(server.store.pendingDs, `seed ${seed}: pending deletes`).toBeNull();
			} else {
				refused++;
				// Refusing a harmless update is right only when Yjs could not take it whole.
				if (!expected) {
					const probe = copyOf(server);
					Y.applyUpdate(probe, update);
					const pending = probe.store.pendingStructs !== null || probe.store.pendingDs !== null;
					expect(pending, `seed ${seed}: refused a harmless update`).toBe(true);
				}
				expect(Y.encodeStateAsUpdate(server)).toEqual(stateBefore);
			}
		}
		expect(admitted).toBeGreaterThan(20);
		expect(refused).toBeGreaterThan(20);
	}, 120_000);
});

describe('large updates are judged and applied in slices with the same outcome', () => {
	it('admits and refuses the same updates whole or in slices of one or two structs, and the slices build the same doc', () => {
		let sliced = 0;
		for (let seed = 1; seed <= 300; seed++) {
			const rng = prng(1000 + seed);
			const made = board();
			const { ids, stale } = made;
			let server = made.doc;
			const replica = new Y.Doc();
			Y.applyUpdate(replica, rng.next() < 0.3 ? stale : Y.encodeStateAsUpdate(server));
			const edits: Uint8Array[] = [];
			replica.on('update', (u: Uint8Array) => edits.push(u));
			const steps = 1 + rng.int(6);
			for (let i = 0; i < steps; i++) randomEdit(rng, replica, ids);
			let update = edits.length > 0 ? Y.mergeUpdates(edits) : Y.encodeStateAsUpdate(replica);
			if (rng.next() < 0.5) {
				const clients = [server.clientID, replica.clientID, 77, ...server.store.clients.keys()];
				update = mutate(rng, update, server, clients);
			}
			// A whole board sent to a server that has none of it: many structs, many slices.
			if (rng.next() < 0.25) {
				update = Y.encodeStateAsUpdate(replica);
				server = new Y.Doc();
			}
			try {
				checkUpdate(update);
			} catch {
				continue;
			}
			const writer = rng.next() < 0.5 ? COUNTY : ADMIN;
			const outcome = (units: number) => {
				const guard = new Guard(copyOf(server), new MemoryClientOwners());
				try {
					const admission = runNow(
						guard.admitSteps(update, writer, { attributeLog: false }, units)
					);
					return { admitted: true, changes: admission.changes, slices: admission.slices ?? null };
				} catch (error) {
					return { admitted: false, error: String(error), changes: [], slices: null };
				}
			};
			const whole = outcome(Infinity);
			const inSlices = outcome(1 + rng.int(2));
			expect(inSlices.admitted, `seed ${seed}: ${inSlices.error ?? whole.error}`).toBe(
				whole.admitted
			);
			if (!whole.admitted) continue;
			// The same changes (the order problems were touched in may differ).
			const sorted = (changes: unknown[]) => changes.map((c) => JSON.stringify(c)).sort();
			expect(sorted(inSlices.changes), `seed ${seed}: changes`).toEqual(sorted(whole.changes));
			const expected = copyOf(server);
			Y.applyUpdate(expected, update);
			const built = copyOf(server);
			for (const slice of inSlices.slices ?? [update]) {
				Y.applyUpdate(built, slice);
				expect(built.store.pendingStructs, `seed ${seed}: a slice left structs pending`).toBeNull();
				expect(built.store.pendingDs, `seed ${seed}: a slice left deletes pending`).toBeNull();
			}
			if ((inSlices.slices?.length ?? 0) > 1) sliced++;
			expect(Y.encodeStateVector(built), `seed ${seed}: state vector`).toEqual(
				Y.encodeStateVector(expected)
			);
			expect(problemsJson(built), `seed ${seed}: problems`).toEqual(problemsJson(expected));
			expect(
				Y.equalDeleteSets(
					Y.createDeleteSetFromStructStore(built.store),
					Y.createDeleteSetFromStructStore(expected.store)
				),
				`seed ${seed}: deletions`
			).toBe(true);
		}
		expect(sliced).toBeGreaterThan(40);
	}, 120_000);
});
