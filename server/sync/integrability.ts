import * as Y from 'yjs';
import { STRUCT_ITEM, STRUCT_SKIP, type StructTable } from './struct-table.ts';

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

/** What the walk found: why the update would stay pending (or null), and the rows it integrates. */
export interface Walk {
	reason: string | null;
	/** Rows of the table in an order Yjs can integrate them one by one, `integrated` of them. */
	order: Int32Array;
	integrated: number;
}

/** Rows walked between two yields. */
const WALK_STEP = 8192;

/**
 * Walks an update read into `table` (update-check.ts) against `doc`: says whether it integrates
 * fully, and in which order its structs can be integrated (for slices.ts). Yields every
 * WALK_STEP rows (budget.ts).
 */
export function* walkUpdate(doc: Y.Doc, table: StructTable): Generator<void, Walk> {
	const state = new Map<number, number>();
	const stateOf = (client: number): number => {
		let clock = state.get(client);
		if (clock === undefined) state.set(client, (clock = Y.getState(doc.store, client)));
		return clock;
	};
	const { kind, clock: clocks, length, firstDep, deps } = table;
	const lists = table.lists;
	// One list per client (update-check.ts refuses an update that names a client twice, which
	// Yjs would read as the last list only).
	const next = Int32Array.from(table.listStart);
	const ends = Int32Array.from({ length: lists }, (_, i) => table.listEnd(i));
	const waiting = new Map<number, WaitHeap>();
	const ready: number[] = Array.from({ length: lists }, (_, i) => i);
	const order = new Int32Array(table.count);
	let integrated = 0;
	let steps = 0;

	/** The first dependency of `row` on another client that the walk does not have yet. */
	const missing = (row: number): number => {
		for (let d = firstDep[row]!; d >= 0 && d < deps.length && deps[d] === row; d += 3) {
			if (deps[d + 2]! >= stateOf(deps[d + 1]!)) return d;
		}
		return -1;
	};

	const advance = (client: number, to: number): void => {
		if (to <= stateOf(client)) return;
		state.set(client, to);
		const heap = waiting.get(client);
		while (heap && heap.size > 0 && heap.peek()!.clock < to) ready.push(heap.pop()!.list);
	};

	while (ready.length > 0) {
		const index = ready.pop()!;
		const client = table.listClient[index]!;
		while (next[index]! < ends[index]!) {
			if (++steps % WALK_STEP === 0) yield;
			const row = next[index]!;
			const clock = stateOf(client);
			if (kind[row] === STRUCT_SKIP || clocks[row]! + length[row]! <= clock) {
				// A skip holds nothing; what the doc has already is skipped by Yjs too.
				next[index]!++;
				continue;
			}
			// A gap in this client's clocks: nothing else in the update can fill it.
			if (clocks[row]! > clock) break;
			const dep = kind[row] === STRUCT_ITEM ? missing(row) : -1;
			if (dep >= 0) {
				const on = deps[dep + 1]!;
				let heap = waiting.get(on);
				if (!heap) waiting.set(on, (heap = new WaitHeap()));
				heap.push({ list: index, clock: deps[dep + 2]! });
				break;
			}
			next[index]!++;
			order[integrated++] = row;
			advance(client, clocks[row]! + length[row]!);
		}
	}

	const result = (reason: string | null): Walk => ({ reason, order, integrated });
	for (let i = 0; i < lists; i++) {
		for (let row = next[i]!; row < ends[i]!; row++) {
			if (kind[row] !== STRUCT_SKIP) {
				const client = table.listClient[i]!;
				return result(
					`changes of client ${client} from clock ${clocks[row]} depend on changes the server does not have`
				);
			}
		}
	}
	const deletes = table.deletes;
	for (let i = 0; i < deletes.length; i += 3) {
		const client = deletes[i]!;
		if (deletes[i + 1]! + deletes[i + 2]! > stateOf(client)) {
			return result(`deletes changes of client ${client} the server does not have`);
		}
	}
	return result(null);
}
