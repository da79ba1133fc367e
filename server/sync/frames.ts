/**
 * WebSocket frames built once per message. A relayed update goes to every peer of a room; `ws`
 * would frame it again for each socket (a header buffer, then a corked two-buffer write). Here
 * the whole frame is one buffer, made on first use and shared by every socket it is sent to.
 */

/** Messages up to this size are framed here; bigger ones (sync step 2 of a whole board, sent
 * to one socket) go through `ws`, which writes them without copying. */
export const MAX_SHARED_FRAME_BYTES = 64 * 1024;

const frames = new WeakMap<Uint8Array, Buffer>();

/** The unmasked (server → client) final binary frame carrying `message`, cached per message. */
export function binaryFrame(message: Uint8Array): Buffer {
	let frame = frames.get(message);
	if (!frame) {
		frame = encodeFrame(message);
		frames.set(message, frame);
	}
	return frame;
}

function encodeFrame(message: Uint8Array): Buffer {
	const length = message.byteLength;
	const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
	const frame = Buffer.allocUnsafe(header + length);
	frame[0] = 0x82; // FIN, opcode 2 (binary)
	if (header === 2) {
		frame[1] = length;
	} else if (header === 4) {
		frame[1] = 126;
		frame.writeUInt16BE(length, 2);
	} else {
		frame[1] = 127;
		frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
		frame.writeUInt32BE(length >>> 0, 6);
	}
	frame.set(message, header);
	return frame;
}
