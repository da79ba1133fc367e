import * as Y from 'yjs';
import { expect, vi } from 'vitest';
import {
	addMeasure,
	createProblem,
	deleteProblem,
	editDescription,
	moveProblem,
	removeMeasure,
	restoreProblem,
	setMeasureDone,
	updateProblem,
	type Actor
} from '../../../src/lib/domain/commands.ts';
import { GOALS, STATUSES, TIERS } from '../../../src/lib/domain/model.ts';
import { locate } from '../../../src/lib/domain/navigation.ts';
import { readProblems, toColumns } from '../../../src/lib/domain/problem.ts';
import { columnIds, expectConverged, expectSoundBoard } from './board.ts';
import { dice, seeded } from './random.ts';

/**
 * Guarantee 6: seeded random board operations on 3–8 clients that talk to one relay (our
 * server's shape) over links that drop, reconnect and deliver late, in the pattern of Yjs's own
 * randomized tests (a TestConnector that flushes random messages). Every seed ends with all
 * clients online and every message delivered; then all docs must be equal and every board sound.
 * A failure names its seed; `SEED=<n>` replays exactly that run.
 */

/** A message on one link: an update, or sync step 1 (a state vector asking for a diff). */
type Message = { kind: 'update'; update: Uint8Array } | { kind: 'step1'; stateVector: Uint8Array };

const REMOTE = Symbol('remote');
const SNIPPETS = ['a', '职工', ' ', '😀', '👍🏽', '！', 'xyz', '建会入会'];
// City users: the fuzz puts problems in every status and then goes on editing them all.
const people: Actor[] = [
	{ username: 'zhangxin', name: '张鑫', role: 'city' },
	{ username: 'wuwei', name: '武威', role: 'city' }
];

interface Node {
	doc: Y.Doc;
	online: boolean;
}

export interface FuzzOptions {
	seed: number;
	operations: number;
}

export function runBoardFuzz({ seed, operations }: FuzzOptions): void {
	const d = dice(seeded(seed));
	const where = `seed ${seed} (replay with SEED=${seed})`;
	// Problem and measure ids come from crypto.getRandomValues: make them follow the seed too.
	const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
		if (array instanceof Uint8Array) array.set(d.bytes(array.length));
		return array;
	});
	try {
		fuzz(seed, operations, d, where);
	} finally {
		spy.mockRestore();
	}
}

function fuzz(seed: number, operations: number, d: ReturnType<typeof dice>, where: string): void {
	const relay: Node = { doc: new Y.Doc(), online: true };
	relay.doc.clientID = 1;
	const clients: Node[] = Array.from({ length: 3 + d.int(6) }, (_, i) => {
		const doc = new Y.Doc();
		doc.clientID = 100 + seed * 10 + i;
		return { doc, online: true };
	});
	// up[i]: client i → relay; down[i]: relay → client i. FIFO, like a WebSocket.
	const up: Message[][] = clients.map(() => []);
	const down: Message[][] = clients.map(() => []);

	clients.forEach((client, i) => {
		client.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== REMOTE && client.online) up[i]!.push({ kind: 'update', update });
		});
	});
	relay.doc.on('update', (update: Uint8Array, origin: unknown) => {
		// The relay forwards to every connected client but the one it came from.
		clients.forEach((client, i) => {
			if (client.online && origin !== i) down[i]!.push({ kind: 'update', update });
		});
	});

	function connect(i: number): void {
		const client = clients[i]!;
		client.online = true;
		// Both sides send sync step 1; each answers the other's with the diff (sync step 2).
		up[i]!.push({ kind: 'step1', stateVector: Y.encodeStateVector(client.doc) });
		down[i]!.push({ kind: 'step1', stateVector: Y.encodeStateVector(relay.doc) });
	}

	function disconnect(i: number): void {
		clients[i]!.online = false;
		// Whatever was in flight on the link is lost.
		up[i] = [];
		down[i] = [];
	}

	/** Delivers one message on a random busy link; now and then one overtakes those before it. */
	function deliverOne(): boolean {
		const busy = clients.flatMap((_, i) => [
			...(up[i]!.length ? [{ i, queue: up[i]!, toRelay: true }] : []),
			...(down[i]!.length ? [{ i, queue: down[i]!, toRelay: false }] : [])
		]);
		if (busy.length === 0) return false;
		const { i, queue, toRelay } = d.pick(busy);
		const [message] = queue.splice(d.rand() < 0.1 ? d.int(queue.length) : 0, 1);
		const target = toRelay ? relay.doc : clients[i]!.doc;
		if (message!.kind === 'update') {
			Y.applyUpdate(target, message!.update, toRelay ? i : REMOTE);
		} else {
			const answer = Y.encodeStateAsUpdate(target, message!.stateVector);
			// The answer travels back on the reverse link, if it is still up.
			if (clients[i]!.online) {
				(toRelay ? down[i]! : up[i]!).push({ kind: 'update', update: answer });
			}
		}
		return true;
	}

	let clock = Date.parse('2022-10-01T08:00:00Z');
	const now = () => new Date((clock += 1000));

	for (let op = 0; op < operations; op++) {
		const roll = d.rand();
		if (roll < 0.06) {
			const i = d.int(clients.length);
			if (clients[i]!.online) disconnect(i);
			else connect(i);
		} else if (roll < 0.3) {
			for (let n = d.int(8); n >= 0 && deliverOne(); n--);
		} else {
			operate(d.pick(clients).doc, op, d, now);
		}
	}

	// Everyone comes back and everything arrives.
	clients.forEach((client, i) => {
		if (!client.online) connect(i);
	});
	while (deliverOne());

	const docs = [relay.doc, ...clients.map((c) => c.doc)];
	for (const doc of docs) expect(doc.store.pendingStructs, `${where}: nothing pending`).toBeNull();
	expectConverged(docs, where);
	for (const doc of docs) expectSoundBoard(doc, where);

	// On the converged board a placement lands exactly where it was dropped, and spreads.
	const board = clients[0]!.doc;
	for (let n = 0; n < 5; n++) {
		const live = readProblems(board).filter((p) => !p.deleted);
		if (!live.length) break;
		const p = d.pick(live);
		const tier = d.pick(TIERS);
		const index = d.int(columnIds(board)[tier].filter((id) => id !== p.id).length + 1);
		moveProblem(board, p.id, tier, index, people[0]!, now());
		expect(locate(toColumns(readProblems(board)), p.id), `${where}, placement ${n}`).toEqual({
			tier,
			index
		});
	}
	while (deliverOne());
	expectConverged(docs, `${where}, after placements`);
}

function operate(doc: Y.Doc, op: number, d: ReturnType<typeof dice>, now: () => Date): void {
	const actor = d.pick(people);
	const problems = readProblems(doc);
	const live = problems.filter((p) => !p.deleted);
	const deleted = problems.filter((p) => p.deleted);
	const roll = d.rand();
	if (roll < 0.15 || live.length === 0) {
		createProblem(doc, { title: `问题${op}`, tier: d.pick(TIERS) }, actor, now());
		return;
	}
	const p = d.pick(live);
	if (roll < 0.3) {
		const field = d.int(4);
		if (field === 0) updateProblem(doc, p.id, { status: d.pick(STATUSES) }, actor, now());
		else if (field === 1) updateProblem(doc, p.id, { title: `标题${op}` }, actor, now());
		else if (field === 2)
			updateProblem(doc, p.id, { goal: d.rand() < 0.2 ? null : d.pick(GOALS) }, actor, now());
		else updateProblem(doc, p.id, { due: `2022-1${d.int(3)}-1${d.int(10)}` }, actor, now());
	} else if (roll < 0.55) {
		moveProblem(doc, p.id, d.pick(TIERS), d.int(live.length + 2) - 1, actor, now());
	} else if (roll < 0.62) {
		deleteProblem(doc, p.id, actor, now());
	} else if (roll < 0.67) {
		if (deleted.length) restoreProblem(doc, d.pick(deleted).id, actor, now());
	} else if (roll < 0.8) {
		if (p.measures.length && d.rand() < 0.5) {
			const measure = d.pick(p.measures);
			if (d.rand() < 0.3) removeMeasure(doc, p.id, measure.id, now(), actor);
			else setMeasureDone(doc, p.id, measure.id, d.rand() < 0.5, now(), actor);
		} else addMeasure(doc, p.id, `举措${op}`, now(), actor);
	} else {
		const chars = Array.from(p.description);
		const at = d.int(chars.length + 1);
		chars.splice(
			at,
			d.int(Math.min(3, chars.length - at) + 1),
			...(d.rand() < 0.8 ? [d.pick(SNIPPETS)] : [])
		);
		editDescription(doc, p.id, chars.join(''), now(), actor);
	}
}
