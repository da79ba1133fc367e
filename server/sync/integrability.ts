import * as Y from 'yjs';

/**
 * Whether Yjs can integrate all of an update into a doc, decided before Yjs sees it.
 *
 * Yjs keeps what it cannot integrate yet (structs whose origin, right origin or parent it does
 * not have, deletions of clocks it has not seen) as "pending" and retries it on every later
 * update: a crafted update of a few hundred KB whose structs can never be integrated costs
 * seconds on every message of that room, and again on every load once it is stored. A server
 * that stores only what integrates fully never holds pending state.
 *
 * This mirrors Yjs's integration order (structs of one client in clock order, each waiting for
 * the structs of other clients it refers to) as a topological walk: every struct is visited a
 * bounded number of times (once per dependency it waits on), waits are kept in a heap per client
 * keyed by the clock needed, so the time is O(n log n) in the update's structs whatever their
 * shape. An update that Yjs would still leave pending (a dependency circle, a gap in a client's
 * clocks, a delete beyond what exists) is reported.
 */

/** One decoded struct, as `Y.decodeUpdate` gives it. */
type Struct = Y.Item | Y.GC | { id: Y.ID; length: number };

interface Wait {
	/** Index of the waiting client's list. */
	list: number;
	/** Clock of the other client's that must exist first. */
	clock: number;
}

/** A min-heap of waits by clock. */
class WaitHeap {
	readonly #items: Wait[] = [];

	get size(): number {
		return this.#items.length;
	}

	peek(): Wait | undefined {
		return this.#items[0];
	}

	push(wait: Wait): void {
		const items = this.#items;
		items.push(wait);
		let i = items.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (items[parent]!.clock <= wait.clock) break;
			items[i] = items[parent]!;
			i = parent;
		}
		items[i] = wait;
	}

	pop(): Wait | undefined {
		const items = this.#items;
		const top = items[0];
		const last = items.pop();
		if (items.length > 0 && last) {
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				if (left >= items.length) break;
				const right = left + 1;
				const child =
					right < items.length && items[right]!.clock < items[left]!.clock ? right : left;
				if (items[child]!.clock >= last.clock) break;
				items[i] = items[child]!;
				i = child;
			}
			items[i] = last;
		}
		return top;
	}
}

const isSkip = (struct: Struct): boolean =>
	!(struct instanceof Y.Item) && !(struct instanceof Y.GC);

/**
 * Null when an update (already checked by update-check.ts, decoded) integrates fully into `doc`; else a
 * short reason naming what would stay pending.
 */
export function pendingReason(
	doc: Y.Doc,
	{ structs, ds }: ReturnType<typeof Y.decodeUpdate>
): string | null {
	const state = new Map<number, number>();
	const stateOf = (client: number): number => {
		let clock = state.get(client);
		if (clock === undefined) state.set(client, (clock = Y.getState(doc.store, client)));
		return clock;
	};

	// One list per client, in the order the update holds them (update-check.ts refuses an update
	// that names a client twice, which Yjs would read as the last list only).
	const lists: Struct[][] = [];
	const listOf = new Map<number, number>();
	for (const struct of structs as Struct[]) {
		const client = struct.id.client;
		let index = listOf.get(client);
		if (index === undefined) {
			index = lists.length;
			listOf.set(client, index);
			lists.push([]);
		}
		lists[index]!.push(struct);
	}
	const next = new Array<number>(lists.length).fill(0);
	const waiting = new Map<number, WaitHeap>();
	const ready: number[] = lists.map((_, i) => i);

	/** The first dependency of `item` on another client that the walk does not have yet. */
	const missing = (item: Y.Item): Y.ID | null => {
		const own = item.id.client;
		for (const dep of [item.origin, item.rightOrigin, item.parent]) {
			if (dep instanceof Y.ID && dep.client !== own && dep.clock >= stateOf(dep.client)) {
				return dep;
			}
		}
		return null;
	};

	const advance = (client: number, to: number): void => {
		if (to <= stateOf(client)) return;
		state.set(client, to);
		const heap = waiting.get(client);
		while (heap && heap.size > 0 && heap.peek()!.clock < to) ready.push(heap.pop()!.list);
	};

	while (ready.length > 0) {
		const index = ready.pop()!;
		const list = lists[index]!;
		while (next[index]! < list.length) {
			const struct = list[next[index]!]!;
			const client = struct.id.client;
			const clock = stateOf(client);
			if (isSkip(struct) || struct.id.clock + struct.length <= clock) {
				// A skip holds nothing; what the doc has already is skipped by Yjs too.
				next[index]!++;
				continue;
			}
			// A gap in this client's clocks: nothing else in the update can fill it.
			if (struct.id.clock > clock) break;
			const dep = struct instanceof Y.Item ? missing(struct) : null;
			if (dep) {
				let heap = waiting.get(dep.client);
				if (!heap) waiting.set(dep.client, (heap = new WaitHeap()));
				heap.push({ list: index, clock: dep.clock });
				break;
			}
			next[index]!++;
			advance(client, struct.id.clock + struct.length);
		}
	}

	for (let i = 0; i < lists.length; i++) {
		const list = lists[i]!;
		for (let s = next[i]!; s < list.length; s++) {
			if (!isSkip(list[s]!)) {
				const { client, clock } = list[s]!.id;
				return `changes of client ${client} from clock ${clock} depend on changes the server does not have`;
			}
		}
	}
	for (const [client, ranges] of ds.clients) {
		const clock = stateOf(client);
		for (const range of ranges) {
			if (range.clock + range.len > clock) {
				return `deletes changes of client ${client} the server does not have`;
			}
		}
	}
	return null;
}
