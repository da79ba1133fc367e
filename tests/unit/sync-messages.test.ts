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
		const payload = new Uint8Array(n).map((_, i) => (i * 31) & 255);
		// Compared as buffers: a deep equality over 300,000 elements is slow.
		const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
		expect(same(updateMessage(payload), reference(syncProtocol.messageYjsUpdate, payload))).toBe(
			true
		);
		expect(
			same(syncStep2MessageOf(payload), reference(syncProtocol.messageYjsSyncStep2, payload))
		).toBe(true);
	});
});
