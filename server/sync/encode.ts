import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Structs written between two yields (~1–2 µs each). */
const ENCODE_STEP = 5_000;

/**
 * `Y.encodeStateAsUpdate(doc, stateVector)` in steps (budget.ts), byte for byte the same for a
 * doc with nothing pending (what a room holds: guard.ts, load.ts): the structs of each client the
 * target lacks, higher client ids first, then the doc's whole delete set. Encoding a board of
 * two million structs at once holds the event loop ~250 ms; this lets others in between. The
 * doc must not change until it is done (the room holds its messages meanwhile).
 */
export function* encodeStateSteps(
	doc: Y.Doc,
	stateVector: Uint8Array = new Uint8Array([0])
): Generator<void, Uint8Array> {
	const store = doc.store;
	if (store.pendingStructs !== null || store.pendingDs !== null) {
		return Y.encodeStateAsUpdate(doc, stateVector);
	}
	const target = Y.decodeStateVector(stateVector);
	const encoder = new Y.UpdateEncoderV1();
	const from = new Map<number, number>();
	for (const [client, structs] of store.clients) {
		const clock = target.get(client) ?? 0;
		const last = structs[structs.length - 1]!;
		if (last.id.clock + last.length > clock) from.set(client, clock);
	}
	encoding.writeVarUint(encoder.restEncoder, from.size);
	let written = 0;
	for (const [client, wanted] of [...from].sort((a, b) => b[0] - a[0])) {
		const structs = store.clients.get(client)!;
		const clock = Math.max(wanted, structs[0]!.id.clock);
		const first = Y.findIndexSS(structs, clock);
		encoding.writeVarUint(encoder.restEncoder, structs.length - first);
		encoder.writeClient(client);
		encoding.writeVarUint(encoder.restEncoder, clock);
		structs[first]!.write(encoder, clock - structs[first]!.id.clock);
		for (let i = first + 1; i < structs.length; i++) {
			structs[i]!.write(encoder, 0);
			if (++written % ENCODE_STEP === 0) yield;
		}
	}
	// The delete set, as `Y.createDeleteSetFromStructStore` and `writeDeleteSet` make it.
	const deleted: [number, number[]][] = [];
	for (const [client, structs] of store.clients) {
		const ranges: number[] = [];
		for (let i = 0; i < structs.length; i++) {
			if (++written % ENCODE_STEP === 0) yield;
			const struct = structs[i]!;
			if (!struct.deleted) continue;
			let length = struct.length;
			while (i + 1 < structs.length && structs[i + 1]!.deleted) length += structs[++i]!.length;
			ranges.push(struct.id.clock, length);
		}
		if (ranges.length > 0) deleted.push([client, ranges]);
	}
	encoding.writeVarUint(encoder.restEncoder, deleted.length);
	for (const [client, ranges] of deleted.sort((a, b) => b[0] - a[0])) {
		encoder.resetDsCurVal();
		encoding.writeVarUint(encoder.restEncoder, client);
		encoding.writeVarUint(encoder.restEncoder, ranges.length / 2);
		for (let i = 0; i < ranges.length; i += 2) {
			encoder.writeDsClock(ranges[i]!);
			encoder.writeDsLen(ranges[i + 1]!);
		}
	}
	return encoder.toUint8Array();
}
