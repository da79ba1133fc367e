import * as Y from 'yjs';
import { canonicalJson } from './canonical-json';
import { canVerify, mayEdit } from './lifecycle';
import { spliceText, type Actor } from './mutate';

/**
 * Offline changes the server refused, made again on top of the server's state.
 *
 * A county device offline for days may have edited a problem that the city closed (销号)
 * meanwhile. The server judges an update by its effect and refuses the whole update (4403): the
 * closed problem's record holds. But the same update carries everything else done offline, and
 * a Yjs update cannot be taken apart once made: re-sending it is refused again, for ever. So the
 * device starts over from the server's state and re-makes its changes there as new operations,
 * field by field, leaving out only what the record forbids — changes to a problem closed
 * meanwhile (for those who may not change one), and bringing a deleted problem back (for those
 * who may not restore). What was left out is reported, so the person can tell the city.
 */

export interface LeftOut {
	/** The problem's id and title (as the server holds it). */
	id: string;
	title: string;
	reason: 'closed';
	/** The fields this device had changed, e.g. ['assignee', 'log']. */
	fields: string[];
}

export interface Rebased {
	/** The server's state plus every change that may be made; a fresh doc (new client id). */
	doc: Y.Doc;
	leftOut: LeftOut[];
}

type Value = unknown;

/** A deep copy of a value held in a Y type, as new Y types where it holds types. */
function clone(value: Value): Value {
	if (value instanceof Y.Text) return new Y.Text(value.toString());
	if (value instanceof Y.Map) {
		const copy = new Y.Map<Value>();
		value.forEach((v, k) => copy.set(k, clone(v)));
		return copy;
	}
	if (value instanceof Y.Array) return Y.Array.from(value.toArray().map(clone) as never[]);
	return value;
}

/** A value as canonical JSON, Y types by their content, to compare what two docs hold. */
const json = (value: Value): string =>
	canonicalJson(
		value instanceof Y.AbstractType ? (value as Y.AbstractType<unknown>).toJSON() : value
	);

/** Makes `target` hold what `source` holds, changing only what differs. */
function syncMap(target: Y.Map<Value>, source: Y.Map<Value>, skip: ReadonlySet<string> = NONE) {
	for (const [key, want] of source.entries()) {
		if (skip.has(key)) continue;
		const have = target.get(key);
		if (json(have) === json(want) && sameKind(have, want)) continue;
		if (have instanceof Y.Map && want instanceof Y.Map) syncMap(have, want);
		else if (have instanceof Y.Text && want instanceof Y.Text) spliceText(have, want.toString());
		else if (have instanceof Y.Array && want instanceof Y.Array) syncArray(have, want);
		else target.set(key, clone(want));
	}
	for (const key of [...target.keys()]) {
		if (!skip.has(key) && !source.has(key)) target.delete(key);
	}
}

const NONE: ReadonlySet<string> = new Set();

const sameKind = (a: Value, b: Value) =>
	a instanceof Y.AbstractType === b instanceof Y.AbstractType &&
	(!(a instanceof Y.AbstractType) || a.constructor === (b as object).constructor);

/**
 * Makes an array hold what `source` holds: the common start and end stay (so entries others
 * added at either end are not touched), the middle is replaced. A history log, where this device
 * only appended, gets exactly its new entries inserted.
 */
function syncArray(target: Y.Array<Value>, source: Y.Array<Value>) {
	const have = target.toArray().map(json);
	const want = source.toArray().map(json);
	let start = 0;
	while (start < have.length && start < want.length && have[start] === want[start]) start++;
	let end = 0;
	while (
		end < have.length - start &&
		end < want.length - start &&
		have[have.length - 1 - end] === want[want.length - 1 - end]
	) {
		end++;
	}
	const removed = have.length - start - end;
	if (removed > 0) target.delete(start, removed);
	const inserted = source.toArray().slice(start, want.length - end);
	if (inserted.length > 0) target.insert(start, inserted.map(clone));
}

/** The keys whose values differ between two maps. */
function changedKeys(a: Y.Map<Value>, b: Y.Map<Value>): string[] {
	const keys = new Set([...a.keys(), ...b.keys()]);
	return [...keys].filter((k) => json(a.get(k)) !== json(b.get(k))).sort();
}

const BIN_KEYS: ReadonlySet<string> = new Set(['deletedAt', 'deletedBy']);

/**
 * Re-makes `local`'s changes on top of `server` (the server's full state as an update) in a new
 * doc, under the rules of the record for `actor`. `origin` is the transaction origin of the
 * re-made changes (the caller may track them as its own). New history entries are attributed to
 * `actor` (they are this person's, perhaps under a name changed since).
 */
export function rebase(server: Uint8Array, local: Y.Doc, actor: Actor, origin: unknown): Rebased {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, server, 'server');
	const merged = new Y.Doc();
	Y.applyUpdate(merged, server);
	Y.applyUpdate(merged, Y.encodeStateAsUpdate(local, Y.encodeStateVector(doc)));

	const leftOut: LeftOut[] = [];
	const verifier = actor.role !== undefined && canVerify(actor.role);
	doc.transact(() => {
		for (const name of [...merged.share.keys()]) {
			const want = merged.getMap<Value>(name);
			const have = doc.getMap<Value>(name);
			if (name !== 'problems') {
				syncMap(have, want);
				continue;
			}
			for (const [id, problem] of want.entries()) {
				const current = have.get(id);
				if (!(problem instanceof Y.Map)) continue;
				if (!(current instanceof Y.Map)) {
					// New on this device; a problem born closed is for verifiers only.
					if (problem.get('status') === 'closed' && !verifier) continue;
					have.set(id, clone(problem));
					continue;
				}
				const status = current.get('status');
				if (status === 'closed' && !mayEdit('closed', actor)) {
					const fields = changedKeys(current, problem);
					if (fields.length > 0) {
						leftOut.push({
							id,
							title: String(current.get('title') ?? ''),
							reason: 'closed',
							fields
						});
					}
					continue;
				}
				// Status and closure go through the lifecycle: only verifiers close or reopen.
				const skip = new Set<string>(verifier ? [] : ['closure', 'reopenCount']);
				if (!verifier && problem.get('status') === 'closed') skip.add('status');
				// A problem in the bin stays there unless this person may restore it.
				if (!verifier && current.get('deletedAt')) for (const k of BIN_KEYS) skip.add(k);
				const kept = new Set(entriesOf(current).map(json));
				syncMap(current, problem, skip);
				attributeNewEntries(current, kept, actor);
			}
			// A problem this device erased outright: the record keeps it (the bin is the way out).
		}
	}, origin);
	merged.destroy();
	return { doc, leftOut };
}

const entriesOf = (problem: Y.Map<Value>): Value[] => {
	const log = problem.get('log');
	return log instanceof Y.Array ? log.toArray() : [];
};

/**
 * History entries this device adds name the person making them (as the server requires; the
 * name may have changed since they were written offline). Entries the server held are untouched.
 */
function attributeNewEntries(problem: Y.Map<Value>, kept: ReadonlySet<string>, actor: Actor) {
	for (const entry of entriesOf(problem)) {
		if (!(entry instanceof Y.Map) || kept.has(json(entry))) continue;
		const by = entry.get('by');
		if (by !== actor.name && by !== actor.username) entry.set('by', actor.name);
	}
}
