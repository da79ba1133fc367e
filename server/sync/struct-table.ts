/**
 * What the server needs to know of every struct in an update to judge whether it integrates
 * (integrability.ts) and to cut it into slices (slices.ts), recorded by update-check.ts's reader
 * as it reads: one row per struct in flat typed arrays, and the delete ranges. Building Yjs's own
 * struct objects (`Y.decodeUpdate`) costs ~1.5 µs and an object graph per struct; this costs a
 * few stores per struct, and the bytes stay where they are (a struct's range in the message).
 */

export const STRUCT_ITEM = 0;
export const STRUCT_GC = 1;
export const STRUCT_SKIP = 2;

const INITIAL_ROWS = 64;

export class StructTable {
	/** The update the rows point into. */
	readonly bytes: Uint8Array;
	/** Per client list, in the order of the update: its client id and first row. */
	readonly listClient: number[] = [];
	readonly listStart: number[] = [];
	/** Rows. */
	count = 0;
	kind = new Uint8Array(INITIAL_ROWS);
	clock = new Float64Array(INITIAL_ROWS);
	length = new Float64Array(INITIAL_ROWS);
	/** Byte range of the struct in `bytes`. */
	start = new Uint32Array(INITIAL_ROWS);
	end = new Uint32Array(INITIAL_ROWS);
	/**
	 * Ids on OTHER clients a struct needs first (origin and right origin, or the parent item), as
	 * Yjs checks them before integrating: the structs that have any (most large updates have
	 * none: one client's structs refer to each other) point to their first in `deps` (-1: none).
	 */
	firstDep = new Int32Array(INITIAL_ROWS);
	/** Per dependency: the row, the client and the clock needed. */
	readonly deps: number[] = [];
	/** Delete ranges: client, clock, length, one after the other. */
	readonly deletes: number[] = [];

	constructor(bytes: Uint8Array) {
		this.bytes = bytes;
	}

	get lists(): number {
		return this.listClient.length;
	}

	/** Rows of list `index`: [first, end). */
	listEnd(index: number): number {
		return index + 1 < this.listStart.length ? this.listStart[index + 1]! : this.count;
	}

	startList(client: number): void {
		this.listClient.push(client);
		this.listStart.push(this.count);
	}

	add(
		kind: number,
		clock: number,
		length: number,
		start: number,
		end: number,
		dep1Client: number,
		dep1Clock: number,
		dep2Client: number,
		dep2Clock: number
	): void {
		if (this.count === this.kind.length) this.#grow();
		const row = this.count++;
		this.kind[row] = kind;
		this.clock[row] = clock;
		this.length[row] = length;
		this.start[row] = start;
		this.end[row] = end;
		if (dep1Client < 0 && dep2Client < 0) {
			this.firstDep[row] = -1;
			return;
		}
		this.firstDep[row] = this.deps.length;
		if (dep1Client >= 0) this.deps.push(row, dep1Client, dep1Clock);
		if (dep2Client >= 0) this.deps.push(row, dep2Client, dep2Clock);
	}

	addDelete(client: number, clock: number, length: number): void {
		this.deletes.push(client, clock, length);
	}

	/** Makes room for `rows` more rows at once (a list declares its count: no doubling). */
	reserve(rows: number): void {
		if (this.count + rows > this.kind.length) this.#grow(this.count + rows);
	}

	#grow(rows = this.kind.length * 2): void {
		const grown = <T extends Uint8Array | Float64Array | Uint32Array | Int32Array>(
			old: T,
			size: number
		): T => {
			const next = new (old.constructor as new (n: number) => T)(size);
			next.set(old);
			return next;
		};
		this.kind = grown(this.kind, rows);
		this.clock = grown(this.clock, rows);
		this.length = grown(this.length, rows);
		this.start = grown(this.start, rows);
		this.end = grown(this.end, rows);
		this.firstDep = grown(this.firstDep, rows);
	}
}
