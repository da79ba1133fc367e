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

export function updateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessUpdate);
	return encoding.toUint8Array(encoder);
}

/** `[MESSAGE_ACK, snapshot]`: the state vector and delete set of what is stored. */
export function ackMessage(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_ACK);
	encoding.writeVarUint8Array(encoder, Y.encodeSnapshot(Y.snapshot(doc)));
	return encoding.toUint8Array(encoder);
}
