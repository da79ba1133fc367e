import { ProtocolError } from './protocol-error.ts';
import { STRUCT_GC, STRUCT_ITEM, STRUCT_SKIP, type StructTable } from './struct-table.ts';

/**
 * Structural checks of what clients send before Yjs decodes it.
 *
 * Yjs's decoder trusts the counts in its input: a 9-byte update that claims 33 million structs
 * makes `Y.applyUpdate` preallocate an array of that length (~250 MB, a quarter of a second of
 * blocked event loop), and older lib0 versions looped forever on truncated or empty input. The
 * reader here walks Yjs's v1 update encoding once, allocates nothing per declared count, checks
 * every count and length against the bytes that are left, bounds nesting, and stops at the first
 * thing out of place: its time and memory are linear in the message, whatever the message claims.
 * It does not build structs and does not judge what an update means (that is Yjs's job); it only
 * makes sure Yjs will read exactly these bytes and nothing it could choke on.
 */

/** Structs one update may hold: far above a large board's full state (a few hundred thousand). */
export const MAX_STRUCTS = 2_000_000;
/** Nesting of arrays and objects in a value (`ContentAny`); our own values nest a few levels. */
const MAX_DEPTH = 64;
/** Clocks and lengths stay far below 2^53, so Yjs's arithmetic on them stays exact. */
const MAX_CLOCK = 2 ** 48;

// Content kinds (the low 5 bits of a struct's info byte), as in Yjs's `contentRefs`.
const GC = 0;
const DELETED = 1;
const JSON_CONTENT = 2;
const BINARY = 3;
const STRING = 4;
const EMBED = 5;
const FORMAT = 6;
const TYPE = 7;
const ANY = 8;
const SUBDOC = 9;
const SKIP = 10;

const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;

/** Type refs of `ContentType`: YArray … YXmlText; 3 (XmlElement) and 5 (XmlHook) carry a name. */
const TYPE_REFS = 7;
const NAMED_TYPE_REFS = new Set([3, 5]);

/** As lib0 decodes strings: invalid UTF-8 throws, a BOM is kept. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(what: string): never {
	throw new ProtocolError(`malformed update: ${what}`);
}

class Reader {
	#pos = 0;
	readonly #bytes: Uint8Array;

	constructor(bytes: Uint8Array) {
		this.#bytes = bytes;
	}

	get position(): number {
		return this.#pos;
	}

	get remaining(): number {
		return this.#bytes.length - this.#pos;
	}

	byte(): number {
		if (this.#pos >= this.#bytes.length) malformed('truncated');
		return this.#bytes[this.#pos++]!;
	}

	/** lib0's varUint: 7 bits a byte, low first; at most 8 bytes, never above 2^53 - 1. */
	varUint(): number {
		let value = 0;
		let factor = 1;
		for (let i = 0; i < 8; i++) {
			const byte = this.byte();
			value += (byte & 0x7f) * factor;
			if (byte < 0x80) {
				if (value > Number.MAX_SAFE_INTEGER) malformed('integer out of range');
				return value;
			}
			factor *= 128;
		}
		malformed('integer too long');
	}

	/** lib0's varInt (6 bits and a sign in the first byte): skipped, only its length matters. */
	skipVarInt(): void {
		if (this.byte() < 0x80) return;
		for (let i = 0; i < 8; i++) if (this.byte() < 0x80) return;
		malformed('integer too long');
	}

	/** A count of items that take at least `minBytes` each: never more than could fit. */
	count(minBytes: number): number {
		const n = this.varUint();
		if (n * minBytes > this.remaining) malformed('count larger than the message');
		return n;
	}

	/** A clock or a length. */
	clock(): number {
		const n = this.varUint();
		if (n > MAX_CLOCK) malformed('clock out of range');
		return n;
	}

	bytes(length: number): Uint8Array {
		if (length > this.remaining) malformed('length larger than the message');
		const view = this.#bytes.subarray(this.#pos, this.#pos + length);
		this.#pos += length;
		return view;
	}

	/** Length-prefixed bytes. */
	buffer(): void {
		this.bytes(this.varUint());
	}

	/** A length-prefixed string, which must be UTF-8 (lib0 decodes strictly); returns it. */
	string(): string {
		try {
			return utf8.decode(this.bytes(this.varUint()));
		} catch (error) {
			if (error instanceof ProtocolError) throw error;
			return malformed('invalid UTF-8');
		}
	}

	/** A JSON string; Yjs writes `undefined` in a JSON array as the bare word. */
	json(undefinedAllowed = false): void {
		const text = this.string();
		if (undefinedAllowed && text === 'undefined') return;
		try {
			JSON.parse(text);
		} catch {
			malformed('invalid JSON');
		}
	}

	/** An item id: client and clock. */
	id(): void {
		this.varUint();
		this.clock();
	}

	/** lib0's `readAny`: a type byte (127 … 116) and its value. */
	any(depth: number): void {
		if (depth > MAX_DEPTH) malformed('values nested too deeply');
		switch (this.byte()) {
			case 127: // undefined
			case 126: // null
			case 121: // false
			case 120: // true
				return;
			case 125:
				return this.skipVarInt();
			case 124:
				this.bytes(4);
				return;
			case 123:
			case 122:
				this.bytes(8);
				return;
			case 119:
				this.string();
				return;
			case 118: {
				const entries = this.count(2);
				for (let i = 0; i < entries; i++) {
					this.string();
					this.any(depth + 1);
				}
				return;
			}
			case 117: {
				const items = this.count(1);
				for (let i = 0; i < items; i++) this.any(depth + 1);
				return;
			}
			case 116:
				return this.buffer();
			default:
				malformed('unknown value type');
		}
	}

	expectEnd(): void {
		if (this.remaining !== 0) malformed('trailing bytes');
	}
}

/** Reads one struct's content; returns how many clock ticks it takes (at most). */
function content(reader: Reader, kind: number): number {
	switch (kind) {
		case DELETED:
			return reader.clock();
		case JSON_CONTENT: {
			const items = reader.count(1);
			for (let i = 0; i < items; i++) reader.json(true);
			return items;
		}
		case BINARY:
			reader.buffer();
			return 1;
		case STRING:
			return reader.string().length;
		case EMBED:
			reader.json();
			return 1;
		case FORMAT:
			reader.string();
			reader.json();
			return 1;
		case TYPE: {
			const ref = reader.varUint();
			if (ref >= TYPE_REFS) malformed('unknown type');
			if (NAMED_TYPE_REFS.has(ref)) reader.string();
			return 1;
		}
		case ANY: {
			const items = reader.count(1);
			for (let i = 0; i < items; i++) reader.any(0);
			return items;
		}
		case SUBDOC:
			// Our documents have no subdocuments, and each would be a whole Y.Doc on the server.
			return malformed('subdocuments are not accepted');
		default:
			return malformed('unknown content');
	}
}

/** Structs read between two yields of `scanUpdate`. */
export const SCAN_STEP = 4096;

/**
 * Throws a ProtocolError unless `update` is exactly one well-formed Yjs update (v1 encoding, as
 * y-websocket sends): structs per client, then the delete set, then nothing. Returns its size in
 * units of work (structs and delete ranges).
 */
export function checkUpdate(update: Uint8Array): number {
	const scan = scanUpdate(update, null);
	for (;;) {
		const step = scan.next();
		if (step.done) return step.value;
	}
}

/**
 * `checkUpdate` in steps: yields every SCAN_STEP structs, so a large update can be read between
 * other work (budget.ts). With a `table`, records what the walk and the slicer need of every
 * struct (struct-table.ts). Returns the units of work (structs and delete ranges).
 */
export function* scanUpdate(
	update: Uint8Array,
	table: StructTable | null
): Generator<void, number> {
	if (update.byteLength === 0) malformed('empty');
	const reader = new Reader(update);
	let structs = 0;
	const clients = reader.count(3);
	const seen = new Set<number>();
	for (let c = 0; c < clients; c++) {
		// Every struct takes at least two bytes (its info byte and a length or some content).
		const count = reader.count(2);
		structs += count;
		if (structs > MAX_STRUCTS) malformed('too many structs');
		// Yjs reads only the last list of a client named twice; what it would skip is not passed.
		const client = reader.varUint();
		if (seen.has(client)) malformed('a client named twice');
		seen.add(client);
		let clock = reader.clock();
		table?.startList(client);
		table?.reserve(count);
		for (let s = 0; s < count; s++) {
			if ((s + 1) % SCAN_STEP === 0) yield;
			const start = reader.position;
			const first = clock;
			const info = reader.byte();
			const kind = info & 0x1f;
			let dep1Client = -1;
			let dep1Clock = 0;
			let dep2Client = -1;
			let dep2Clock = 0;
			if (kind === GC || kind === SKIP) {
				clock += reader.clock();
			} else {
				if (info & HAS_ORIGIN) {
					dep1Client = reader.varUint();
					dep1Clock = reader.clock();
				}
				if (info & HAS_RIGHT_ORIGIN) {
					dep2Client = reader.varUint();
					dep2Clock = reader.clock();
				}
				if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
					// The parent: 1 = a root type by name, anything else = the id of an item.
					if (reader.varUint() === 1) reader.string();
					else {
						dep1Client = reader.varUint();
						dep1Clock = reader.clock();
					}
					if (info & HAS_PARENT_SUB) reader.string();
				}
				clock += content(reader, kind);
			}
			if (clock > MAX_CLOCK) malformed('clock out of range');
			table?.add(
				kind === SKIP ? STRUCT_SKIP : kind === GC ? STRUCT_GC : STRUCT_ITEM,
				first,
				clock - first,
				start,
				reader.position,
				dep1Client === client ? -1 : dep1Client,
				dep1Clock,
				dep2Client === client ? -1 : dep2Client,
				dep2Clock
			);
		}
	}
	const ranges = checkDeleteSet(reader, table);
	reader.expectEnd();
	return structs + ranges;
}

function checkDeleteSet(reader: Reader, table: StructTable | null): number {
	let total = 0;
	const clients = reader.count(2);
	for (let c = 0; c < clients; c++) {
		const client = reader.varUint();
		const ranges = reader.count(2);
		total += ranges;
		for (let r = 0; r < ranges; r++) {
			const clock = reader.clock();
			const len = reader.clock();
			if (clock + len > MAX_CLOCK) malformed('delete range out of range');
			table?.addDelete(client, clock, len);
		}
	}
	return total;
}

/** Throws a ProtocolError unless `stateVector` is exactly one encoded state vector. */
export function checkStateVector(stateVector: Uint8Array): void {
	const reader = new Reader(stateVector);
	const clients = reader.count(2);
	for (let c = 0; c < clients; c++) {
		reader.varUint();
		reader.clock();
	}
	reader.expectEnd();
}
