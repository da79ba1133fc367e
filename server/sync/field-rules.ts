import * as Y from 'yjs';
import { canVerify } from '../../src/lib/domain/lifecycle.ts';
import type { User } from '../../src/lib/domain/model.ts';

/**
 * Field rules the server enforces on writers who may write a doc but not every field of it.
 *
 * Closing a problem (销号) and everything recorded with it belong to the city union and
 * administrators (`canVerify`, as in the domain's `closeProblem`): a county user's client must not
 * set a problem's `status` to `closed`, change a closed status, write its `closure` (verifier,
 * verifiedOn, satisfaction, followUp, by, at) or `reopenCount`, or remove a closed problem.
 *
 * The update is read before it is stored or applied (Yjs cannot take a change back): its items
 * are placed with the room's doc (an item that sets a map key names the previous value of that
 * key as its origin; only the first value of a key carries its parent). An update that refers to
 * items the server does not have is refused too, as its effect cannot be known; a client that
 * sent one in good faith sends them along on its next sync.
 */

/**
 * Close code for a refused update (shared with the client in src/lib/sync/protocol.ts): the
 * writer may write this doc, but not this change. Nothing of the update is stored, applied or
 * relayed; what was saved before stays.
 */
export { CLOSE_FORBIDDEN_CHANGE } from '../../src/lib/sync/protocol.ts';

/** A writer's update broke a field rule; its message (≤ 123 bytes) is the close reason. */
export class FieldRuleError extends Error {}

/** Whether updates of `user` go through `checkFieldRules` (only roles that cannot close). */
export const fieldRulesApply = (user: User): boolean => !canVerify(user.role);

const PROBLEMS = 'problems';
const CLOSED = 'closed';
/** The key of a problem's closure map, which only those who close problems may write. */
const CLOSURE = 'closure';
/** Counts reopenings (回潮), which only those who close problems may do. */
const REOPEN_COUNT = 'reopenCount';
/** How far up from an item a closure map is looked for (closures hold plain values). */
const MAX_ANCESTORS = 8;

type AnyItem = Y.Item;
/** Where an item sits: under a root type by name, or under the type an item holds, at `key`. */
interface Place {
	parent: { root: string } | { item: AnyItem };
	key: string | null;
}
/** The place of what the doc collected (an item under a removed parent): no field at all. */
const NOWHERE: Place = { parent: { root: '' }, key: null };
const GONE = Symbol('collected');

function refuse(what: string): never {
	throw new FieldRuleError(`only city users and administrators may ${what}`);
}

function refuseUnknown(): never {
	throw new FieldRuleError('the update refers to changes the server does not have');
}

/** Throws a FieldRuleError if applying `update` to `doc` would break a field rule. */
export function checkFieldRules(doc: Y.Doc, update: Uint8Array): void {
	const { structs, ds } = Y.decodeUpdate(update);
	const added = new Map<number, AnyItem[]>();
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue;
		// What the server has already (a whole-state update, a sync step 2 or a file carries it
		// again) was checked when it came; only what is new here can break a rule.
		if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
		let list = added.get(struct.id.client);
		if (!list) added.set(struct.id.client, (list = []));
		list.push(struct);
	}
	const places = new Map<AnyItem, Place>();
	const problems = doc.share.get(PROBLEMS) ?? null;

	/**
	 * The item with `id`, in the doc or in the update; GONE when the doc had it and collected it
	 * (its content was removed with its parent: whatever refers to it is collected too); null
	 * when the server does not have it.
	 */
	const find = (id: Y.ID): AnyItem | typeof GONE | null => {
		if (id.clock < Y.getState(doc.store, id.client)) {
			const struct = Y.getItem(doc.store, id);
			return struct instanceof Y.Item ? struct : GONE;
		}
		for (const item of added.get(id.client) ?? []) {
			if (id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return item;
		}
		return null;
	};

	/** Whether the update's own items hold every clock of `client` in [from, to). */
	const addedCovers = (client: number, from: number, to: number): boolean => {
		let next = from;
		for (const item of added.get(client) ?? []) {
			if (item.id.clock <= next && next < item.id.clock + item.length) {
				next = item.id.clock + item.length;
			}
			if (next >= to) return true;
		}
		return false;
	};

	/** Where `item` sits. Iterative: the items typed into a text refer to each other in a chain. */
	const placeOf = (item: AnyItem): Place => {
		const chain: AnyItem[] = [];
		let current: AnyItem = item;
		let place = places.get(current);
		while (!place) {
			if (current.parent instanceof Y.AbstractType) {
				// An item of the doc.
				const type = current.parent;
				place = type._item
					? { parent: { item: type._item }, key: current.parentSub }
					: { parent: { root: type === problems ? PROBLEMS : '' }, key: current.parentSub };
			} else if (typeof current.parent === 'string') {
				place = { parent: { root: current.parent }, key: current.parentSub };
			} else if (current.parent instanceof Y.ID) {
				const parent = find(current.parent);
				if (parent === null) refuseUnknown();
				place = parent === GONE ? NOWHERE : { parent: { item: parent }, key: current.parentSub };
			} else {
				// A decoded item next to another one: same parent and key as its neighbour.
				const neighbour = current.origin ?? current.rightOrigin;
				const next = neighbour ? find(neighbour) : null;
				if (next === null) refuseUnknown();
				if (next === GONE) {
					place = NOWHERE;
				} else {
					// Longer than the update: the update's items refer to each other in a circle.
					if (chain.length > structs.length) refuseUnknown();
					chain.push(current);
					current = next;
					place = places.get(current);
					continue;
				}
			}
			places.set(current, place);
		}
		for (const link of chain) places.set(link, place);
		return place;
	};

	/** The problem id when `item` holds a problem (a value of the root map `problems`). */
	const problemOf = (item: AnyItem): string | null => {
		const place = placeOf(item);
		return 'root' in place.parent && place.parent.root === PROBLEMS ? place.key : null;
	};

	/** Whether `item` lies inside a problem's closure map. */
	const inClosure = (item: AnyItem): boolean => {
		let current = item;
		for (let i = 0; i < MAX_ANCESTORS; i++) {
			const place = placeOf(current);
			if (!('item' in place.parent)) return false;
			const parent = place.parent.item;
			if (place.key === CLOSURE && problemOf(parent) !== null) {
				return true;
			}
			current = parent;
		}
		return false;
	};

	/** The key of a problem that `item` is a value of, or null when it is not one. */
	const problemKey = (item: AnyItem): string | null => {
		const place = placeOf(item);
		if (place.key === null || !('item' in place.parent)) return null;
		return problemOf(place.parent.item) === null ? null : place.key;
	};

	// Status first, so that a whole close (closure and status in one update) is named as one.
	const items = [...added.values()].flat();
	for (const item of items) {
		if (problemKey(item) !== 'status') continue;
		if (holdsClosed(item)) refuse('close a problem');
		const left = item.origin && find(item.origin);
		if (left && left !== GONE && holdsClosed(left)) refuse('reopen a closed problem');
	}
	for (const item of items) {
		if (problemKey(item) === REOPEN_COUNT) refuse('reopen a closed problem');
		if (inClosure(item)) refuse('write the closure of a problem');
	}

	for (const [client, ranges] of ds.clients) {
		const state = Y.getState(doc.store, client);
		const structsOfClient = doc.store.clients.get(client) ?? [];
		for (const { clock, len } of ranges) {
			// Deleting what the update itself adds (a value set and overwritten in one go) is fine.
			if (clock + len > state && !addedCovers(client, Math.max(clock, state), clock + len)) {
				refuseUnknown();
			}
			if (clock >= state) continue;
			for (
				let index = Y.findIndexSS(structsOfClient, clock);
				index < structsOfClient.length;
				index++
			) {
				const struct = structsOfClient[index]!;
				if (struct.id.clock >= clock + len) break;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				const key = problemKey(struct);
				if (key === 'status' && holdsClosed(struct)) refuse('reopen a closed problem');
				if (key === REOPEN_COUNT) refuse('reopen a closed problem');
				if (inClosure(struct)) refuse('remove the closure of a problem');
				if (problemOf(struct) !== null && isClosedProblem(struct)) {
					refuse('remove a closed problem');
				}
			}
		}
	}
}

/** Whether an item is the value `closed` (as `Y.Map.set` writes a string: ContentAny). */
function holdsClosed(item: Y.Item): boolean {
	const content = item.content;
	return (
		(content instanceof Y.ContentAny || content instanceof Y.ContentJSON) &&
		content.getContent().includes(CLOSED)
	);
}

/** Whether the item holding a problem's map (in the doc) holds a closed problem. */
function isClosedProblem(item: Y.Item): boolean {
	const content = item.content;
	if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) return false;
	return content.type.get('status') === CLOSED;
}
