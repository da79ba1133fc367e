import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import { syncStep2MessageOf, updateMessage } from '../../server/sync/messages.ts';
import { MESSAGE_SYNC } from '../../src/lib/sync/protocol.ts';

/** The message as y-protocols' own encoder writes it. */
function reference(kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

describe('sync messages written in one buffer', () => {
	it.each([0, 1, 127, 128, 16_383, 16_384, 300_000])('match the encoder for %i bytes', (n) => {
		const payload = Uint8Array.from({ length: n }, (_, i) => (i * 31) & 255);
		expect(updateMessage(payload)).toEqual(reference(syncProtocol.messageYjsUpdate, payload));
		expect(syncStep2MessageOf(payload)).toEqual(
			reference(syncProtocol.messageYjsSyncStep2, payload)
		);
	});
});
