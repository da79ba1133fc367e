import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_ACK, MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../src/lib/sync/protocol.ts';

/** Encoders of the messages the server sends; each returns one buffer ready to fan out. */

export function syncStep1Message(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep2(encoder, doc, stateVector);
	return encoding.toUint8Array(encoder);
}

/**
 * `[MESSAGE_SYNC, kind, varUint8Array(payload)]` in one buffer of its exact size, written once
 * (an encoder would grow and copy a megabyte-sized payload two or three times, each into fresh
 * memory).
 */
function syncMessageOf(kind: number, payload: Uint8Array): Uint8Array {
	const head = encoding.createEncoder();
	encoding.writeVarUint(head, MESSAGE_SYNC);
	encoding.writeVarUint(head, kind);
	encoding.writeVarUint(head, payload.byteLength);
	const header = encoding.toUint8Array(head);
	const message = new Uint8Array(header.byteLength + payload.byteLength);
	message.set(header);
	message.set(payload, header.byteLength);
	return message;
}

/** Sync step 2 carrying `update` (the doc's state for the client, encoded already). */
export const syncStep2MessageOf = (update: Uint8Array): Uint8Array =>
	syncMessageOf(syncProtocol.messageYjsSyncStep2, update);

export const updateMessage = (update: Uint8Array): Uint8Array =>
	syncMessageOf(syncProtocol.messageYjsUpdate, update);

export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessUpdate);
	return encoding.toUint8Array(encoder);
}

/**
 * `[MESSAGE_ACK, snapshot]` of the whole doc: its state vector and every deletion it holds.
 * Sent once when a client opts in, so that markers left from an earlier session can be settled.
 */
export function ackMessage(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_ACK);
	encoding.writeVarUint8Array(encoder, Y.encodeSnapshot(Y.snapshot(doc)));
	return encoding.toUint8Array(encoder);
}

type DeleteSet = Y.Transaction['deleteSet'];
type DeleteItem = DeleteSet['clients'] extends Map<number, (infer I)[]> ? I : never;

/**
 * What an acknowledgement speaks of: an update as a peer sent it, or only its deletions (for a
 * large update, read once when it was judged: decoding it again would take seconds).
 */
export type AckPart = Uint8Array | DeleteSet;

/** A delete set from ranges read by update-check.ts: client, clock, length, one after another. */
export function deleteSetOf(ranges: readonly number[]): DeleteSet {
	const ds = Y.createDeleteSet();
	for (let i = 0; i < ranges.length; i += 3) {
		const client = ranges[i]!;
		let items = ds.clients.get(client);
		if (!items) ds.clients.set(client, (items = []));
		items.push({ clock: ranges[i + 1]!, len: ranges[i + 2]! } as DeleteItem);
	}
	return ds;
}

/**
 * `[MESSAGE_ACK, snapshot]` after a commit, for the peer whose `updates` it stored: the doc's
 * state vector (`Y.encodeStateVector`) and the deletions those updates carry. Everything the
 * snapshot claims is stored, which is all a client checks its change markers against: what it
 * inserted is under the state vector, what it deleted was in the updates it sent. The message
 * stays small however big the doc is.
 */
export function ackMessageFor(stateVector: Uint8Array, updates: AckPart[]): Uint8Array {
	const deleted = Y.mergeDeleteSets(
		updates.map((update) => (update instanceof Uint8Array ? Y.decodeUpdate(update).ds : update))
	);
	const snapshot = Y.createSnapshot(deleted, Y.decodeStateVector(stateVector));
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_ACK);
	encoding.writeVarUint8Array(encoder, Y.encodeSnapshot(snapshot));
	return encoding.toUint8Array(encoder);
}
