/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs types its roots as AbstractType<YEvent<any>> */
import * as Y from 'yjs';
import { readProblem, type Problem } from '../../src/lib/domain/problem.ts';
import { problemChanges, type FieldChange } from '../audit/diff.ts';
import {
	canonicalJson,
	checkProblemChange,
	FieldRuleError,
	type ProblemView,
	type Writer
} from './field-rules.ts';
import { runNow } from './budget.ts';
import { walkUpdate } from './integrability.ts';
import { applyInSlices } from './load.ts';
import { slicesOf } from './slices.ts';
import { STRUCT_SKIP, StructTable } from './struct-table.ts';
import { scanUpdate } from './update-check.ts';

/**
 * The door of a room: every writer's update is judged here before anything of it is stored,
 * applied to the room's doc or relayed.
 *
 * 1. It must integrate fully (integrability.ts): nothing the server would keep pending.
 * 2. Items under a Yjs client id belong to the account that first wrote with it (ClientOwners).
 * 3. Its effect is found by applying it to a scratch copy of the doc, which is the room's doc
 *    plus this one update; the problems it touched are compared as they were and as they would
 *    be (field-rules.ts), and the same comparison is the audit trail's field-level diff.
 * A refused update leaves the scratch copy changed, so it is dropped and made again from the
 * room's doc when next needed.
 */

/** The update would leave structs or deletions pending in the room: it is not stored. */
export class PendingError extends Error {}

/** Which account owns each Yjs client id (the first to write with it), and claims for new ones. */
export interface ClientOwners {
	ownerOf(client: number): string | null;
	/** Records `account` as the owner of the clients that have none yet. */
	claim(clients: Iterable<number>, account: string): void;
}

/** What an admitted update changed, for the audit trail. */
export interface Admission {
	changes: FieldChange[];
	/** The update cut into slices to apply one by one, when it is large (else null). */
	slices?: Uint8Array[] | null;
	/** The update's delete ranges (client, clock, length, …), read as it was judged. */
	deletes?: number[];
}

/** Problems judged between two yields. */
const JUDGE_STEP = 256;

export interface AdmitOptions {
	/** New history entries must name the writer (WebSocket writers; a file carries others'). */
	attributeLog: boolean;
	/** Accounts whose client ids the update may also carry (a file's exporter). */
	alsoOwners?: readonly string[];
	/** Only judge: nothing is claimed and the scratch copy does not keep the update. */
	dryRun?: boolean;
}

const PROBLEMS = 'problems';

export class Guard {
	readonly #doc: Y.Doc;
	readonly #owners: ClientOwners;
	#scratch: Y.Doc | null = null;

	constructor(doc: Y.Doc, owners: ClientOwners) {
		this.#doc = doc;
		this.#owners = owners;
	}

	/**
	 * Judges `update` from `writer`: throws PendingError or FieldRuleError when it is refused;
	 * otherwise the scratch copy holds it (the room applies it next) and the changes it makes
	 * are returned. All at once: for updates known to be small (see `admitSteps`).
	 */
	admit(update: Uint8Array, writer: Writer, options: AdmitOptions): Admission {
		return runNow(this.admitSteps(update, writer, options, Infinity));
	}

	/**
	 * `admit` in steps (budget.ts). An update of more than `sliceUnits` structs and deletions is
	 * applied to the scratch copy in slices (slices.ts), which are returned for the room to apply
	 * the same way; so is the scratch copy itself when it must be made from a large doc.
	 */
	*admitSteps(
		update: Uint8Array,
		writer: Writer,
		options: AdmitOptions,
		sliceUnits: number
	): Generator<void, Admission> {
		const table = new StructTable(update);
		const units = yield* scanUpdate(update, table);
		const walk = yield* walkUpdate(this.#doc, table);
		if (walk.reason) throw new PendingError(walk.reason);
		const newClients = this.#newClients(table);
		for (const client of newClients) {
			const owner = this.#owners.ownerOf(client);
			if (owner !== null && owner !== writer.username && !options.alsoOwners?.includes(owner)) {
				throw new FieldRuleError('the update writes under a client id of another account');
			}
		}
		try {
			const scratch = yield* this.#scratchSteps(sliceUnits);
			const touched: Touched = { problems: new Set(), entries: new Map() };
			let slices: Uint8Array[] | null = null;
			if (units <= sliceUnits) {
				applyAndTouch(scratch, update, touched);
			} else {
				slices = [];
				for (const slice of slicesOf(table, walk, sliceUnits)) {
					applyAndTouch(scratch, slice, touched);
					slices.push(slice);
					yield;
				}
			}
			if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null) {
				throw new PendingError('the update depends on changes the server does not have');
			}
			const changes: FieldChange[] = [];
			const before = this.#doc.getMap(PROBLEMS);
			const after = scratch.getMap(PROBLEMS);
			let judged = 0;
			for (const id of touched.problems) {
				if (++judged % JUDGE_STEP === 0) yield;
				const was = problemAt(before, id);
				const is = problemAt(after, id);
				checkProblemChange(writer, was && view(was), is && view(is), options);
				changes.push(...problemChanges(id, was && read(id, was), is && read(id, is)));
			}
			for (const [root, keys] of touched.entries) {
				for (const key of keys) {
					changes.push({ problem: null, field: root, kind: 'changed', old: null, new: key });
				}
			}
			if (options.dryRun) this.#dropScratch();
			else this.#owners.claim(newClients, writer.username);
			return { changes, slices, deletes: table.deletes };
		} catch (error) {
			this.#dropScratch();
			throw error;
		}
	}

	/** Whether the scratch copy exists (else the next admission makes it). */
	get hasScratch(): boolean {
		return this.#scratch !== null;
	}

	/** The room's doc took an update that did not come through `admit`: the scratch follows. */
	follow(update: Uint8Array): void {
		if (!this.#scratch) return;
		try {
			Y.applyUpdate(this.#scratch, update);
		} catch {
			this.#dropScratch();
		}
	}

	destroy(): void {
		this.#dropScratch();
	}

	#dropScratch(): void {
		this.#scratch?.destroy();
		this.#scratch = null;
	}

	/** The scratch copy, made from the room's doc when there is none (in slices when large). */
	*#scratchSteps(sliceUnits: number): Generator<void, Y.Doc> {
		if (this.#scratch) return this.#scratch;
		const scratch = new Y.Doc();
		yield* applyInSlices(scratch, Y.encodeStateAsUpdate(this.#doc), sliceUnits);
		// The room's doc does not change while an admission runs (the room waits for it).
		this.#scratch = scratch;
		return scratch;
	}

	/** Client ids under which the update adds structs the room does not have yet. */
	#newClients(table: StructTable): Set<number> {
		const clients = new Set<number>();
		for (let list = 0; list < table.lists; list++) {
			const client = table.listClient[list]!;
			const state = Y.getState(this.#doc.store, client);
			for (let row = table.listStart[list]!; row < table.listEnd(list); row++) {
				if (table.kind[row] !== STRUCT_SKIP && table.clock[row]! + table.length[row]! > state) {
					clients.add(client);
					break;
				}
			}
		}
		return clients;
	}
}

interface Touched {
	/** Ids of the problems whose maps or contents changed. */
	problems: Set<string>;
	/** Other roots' entries that changed (a campaign doc's visits, practices …), as root → keys. */
	entries: Map<string, Set<string>>;
}

/** Applies `update` to `doc` and adds what it touched to `touched`. */
function applyAndTouch(doc: Y.Doc, update: Uint8Array, touched: Touched): void {
	const rootNames = new Map<Y.AbstractType<any>, string>();
	const onTransaction = (transaction: Y.Transaction) => {
		for (const [name, type] of doc.share) rootNames.set(type, name);
		for (const [type, keys] of transaction.changed) {
			const place = rootEntry(type, keys);
			if (!place) continue;
			const root = rootNames.get(place.root) ?? '';
			if (root === PROBLEMS) {
				for (const key of place.keys) touched.problems.add(key);
			} else {
				let set = touched.entries.get(root);
				if (!set) touched.entries.set(root, (set = new Set()));
				for (const key of place.keys) set.add(key);
			}
		}
	};
	doc.on('afterTransaction', onTransaction);
	try {
		Y.applyUpdate(doc, update);
	} finally {
		doc.off('afterTransaction', onTransaction);
	}
}

/** The root type above `type` and the keys of that root's entries the change lies in. */
function rootEntry(
	type: Y.AbstractType<any>,
	keys: Set<string | null>
): { root: Y.AbstractType<any>; keys: string[] } | null {
	let current: Y.AbstractType<any> = type;
	let key: string | null = null;
	for (;;) {
		const item = current._item;
		if (!item) break;
		const parent = item.parent;
		if (!(parent instanceof Y.AbstractType)) return null;
		key = item.parentSub;
		current = parent;
	}
	if (current === type) {
		const named = [...keys].filter((k): k is string => k !== null);
		return named.length > 0 ? { root: current, keys: named } : null;
	}
	return key === null ? null : { root: current, keys: [key] };
}

function problemAt(problems: Y.Map<unknown>, id: string): Y.Map<unknown> | null {
	const value = problems.get(id);
	return value instanceof Y.Map ? value : null;
}

const read = (id: string, map: Y.Map<unknown>): Problem => readProblem(id, map);

function view(map: Y.Map<unknown>): ProblemView {
	const problem = readProblem('', map);
	const closure = map.get('closure');
	return {
		raw: canonicalJson(map.toJSON()),
		status: map.get('status'),
		closure: closure === undefined ? '' : canonicalJson(toPlain(closure)),
		reopenCount: map.get('reopenCount') ?? null,
		deleted: problem.deleted,
		log: problem.log
	};
}

const toPlain = (value: unknown): unknown =>
	value instanceof Y.AbstractType ? value.toJSON() : value;
