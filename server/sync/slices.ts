import * as encoding from 'lib0/encoding';
import type { Walk } from './integrability.ts';
import type { StructTable } from './struct-table.ts';

/**
 * An update cut into smaller updates that Yjs integrates one after the other, each fully (no
 * pending structs), with the same result as the whole: the structs in the walk's order
 * (integrability.ts: every struct after what it depends on), at most `units` per slice, then the
 * delete ranges, at most `units` per slice. Applying one slice takes a bounded time, so a large
 * update is integrated between other work (budget.ts) instead of in one blocking call.
 *
 * A slice is a v1 update written from the original bytes: Yjs's v1 structs are self-contained
 * (origin, right origin and parent are full ids), so a run of one client's structs is copied as
 * it is, behind that client's first clock. Clocks of the client the doc has already (what the
 * walk skipped) are bridged with a Skip struct.
 */

const SKIP_INFO = 10;

export function* slicesOf(table: StructTable, walk: Walk, units: number): Generator<Uint8Array> {
	const { order, integrated } = walk;
	for (let from = 0; from < integrated; from += units) {
		yield structSlice(table, order.subarray(from, Math.min(integrated, from + units)));
	}
	const deletes = table.deletes;
	for (let from = 0; from < deletes.length; from += 3 * units) {
		yield deleteSlice(deletes.slice(from, Math.min(deletes.length, from + 3 * units)));
	}
}

/** Which client list each row belongs to. */
function clientOfRows(table: StructTable): Float64Array {
	const clients = new Float64Array(table.count);
	for (let list = 0; list < table.lists; list++) {
		clients.fill(table.listClient[list]!, table.listStart[list]!, table.listEnd(list));
	}
	return clients;
}

const rowClients = new WeakMap<StructTable, Float64Array>();

function structSlice(table: StructTable, rows: Int32Array): Uint8Array {
	let clientOf = rowClients.get(table);
	if (!clientOf) rowClients.set(table, (clientOf = clientOfRows(table)));
	// A client's rows come in clock order in the walk's order; gather them per client.
	const perClient = new Map<number, number[]>();
	for (const row of rows) {
		const client = clientOf[row]!;
		const list = perClient.get(client);
		if (list) list.push(row);
		else perClient.set(client, [row]);
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, perClient.size);
	const { clock, length, start, end, bytes } = table;
	for (const [client, list] of perClient) {
		let count = list.length;
		for (let i = 1; i < list.length; i++) {
			if (clock[list[i]!]! > clock[list[i - 1]!]! + length[list[i - 1]!]!) count++;
		}
		encoding.writeVarUint(encoder, count);
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock[list[0]!]!);
		for (let i = 0; i < list.length; i++) {
			const row = list[i]!;
			if (i > 0) {
				const gap = clock[row]! - (clock[list[i - 1]!]! + length[list[i - 1]!]!);
				if (gap > 0) {
					encoding.writeUint8(encoder, SKIP_INFO);
					encoding.writeVarUint(encoder, gap);
				}
			}
			encoding.writeUint8Array(encoder, bytes.subarray(start[row]!, end[row]!));
		}
	}
	encoding.writeVarUint(encoder, 0); // no deletions
	return encoding.toUint8Array(encoder);
}

function deleteSlice(deletes: number[]): Uint8Array {
	const perClient = new Map<number, number[]>();
	for (let i = 0; i < deletes.length; i += 3) {
		const client = deletes[i]!;
		const ranges = perClient.get(client);
		if (ranges) ranges.push(deletes[i + 1]!, deletes[i + 2]!);
		else perClient.set(client, [deletes[i + 1]!, deletes[i + 2]!]);
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0); // no structs
	encoding.writeVarUint(encoder, perClient.size);
	for (const [client, ranges] of perClient) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, ranges.length / 2);
		for (const n of ranges) encoding.writeVarUint(encoder, n);
	}
	return encoding.toUint8Array(encoder);
}
