import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { addMeasure, createProblem, moveProblem } from '../../../src/lib/domain/commands.ts';
import { MESSAGE_ACK, MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../../src/lib/sync/protocol.ts';
import { RawClient, syncStep1 } from '../../server/clients.ts';
import type { TestServer } from '../../server/harness.ts';
import { dice, seeded } from './random.ts';
import { frame, rawUpgrade } from './raw-socket.ts';

/**
 * Guarantee 14: fuzzed frames at the sync endpoint — random bytes, empty and truncated messages,
 * unknown types, garbage and mutated Yjs updates (including counts that make Yjs's own decoder
 * allocate hundreds of megabytes), bad awareness, text frames, and frames that break the
 * WebSocket protocol itself. Each is sent by a signed-in writer (the most a stranger could hope
 * for) and followed by a probe; the run reports how each ended.
 */

type Dice = ReturnType<typeof dice>;

export interface FrameFuzzReport {
	frames: number;
	/** Frames after which the server closed the socket. */
	closed: number;
	/** Frames the server answered the probe after (harmless or valid). */
	answered: number;
	/** Frames of the WebSocket layer itself (bad bits), each on its own socket. */
	wire: number;
	/** The frame whose answer (or close) took longest, and how long. */
	slowest: { kind: string; ms: number };
}

const message = (type: number, write: (encoder: encoding.Encoder) => void): Uint8Array => {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
};

const syncMessage = (step: number, payload: Uint8Array) =>
	message(MESSAGE_SYNC, (e) => {
		encoding.writeVarUint(e, step);
		encoding.writeVarUint8Array(e, payload);
	});

/** Real updates of a board, to mutate. */
function sampleUpdates(d: Dice): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const actor = { username: 'fuzz', name: '模糊' };
	for (let i = 0; i < 20; i++) {
		const id = createProblem(doc, { title: `问题${i}`, description: '描述😀' }, actor);
		addMeasure(doc, id, `举措${i}`);
		if (i % 3 === 0) moveProblem(doc, id, 'party-gov', d.int(3), actor);
	}
	const text = doc.getText('t');
	text.insert(0, 'hello');
	text.format(0, 2, { bold: true });
	text.delete(1, 2);
	doc.getArray('a').push([1, 'x', null, true, { n: [1, 2] }, new Uint8Array([1, 2])]);
	updates.push(Y.encodeStateAsUpdate(doc));
	return updates;
}

function mutate(d: Dice, source: Uint8Array): Uint8Array {
	let bytes = source.slice();
	const changes = 1 + d.int(4);
	for (let i = 0; i < changes && bytes.length > 0; i++) {
		const at = d.int(bytes.length);
		const roll = d.rand();
		if (roll < 0.4) bytes[at] = bytes[at]! ^ (1 << d.int(8));
		else if (roll < 0.7) bytes[at] = d.int(256);
		else if (roll < 0.85) bytes = bytes.slice(0, at);
		else
			bytes = new Uint8Array([...bytes.slice(0, at), 0xff, 0xff, 0xff, 0x7f, ...bytes.slice(at)]);
	}
	return bytes;
}

/** An update that claims `count` structs (Yjs allocates an array that long before reading). */
function countBomb(d: Dice): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1 + d.int(3));
	// Up to 2^25 Yjs preallocates the array (the expensive case); beyond, it fails differently.
	encoding.writeVarUint(encoder, d.pick([33_000_000, 27_000_000, 16_000_000, 2 ** 31, 2 ** 40]));
	encoding.writeVarUint(encoder, d.int(2 ** 30));
	encoding.writeVarUint(encoder, 0);
	return encoding.toUint8Array(encoder);
}

function appFrame(d: Dice, samples: Uint8Array[]): { kind: string; bytes: Uint8Array | string } {
	switch (d.int(12)) {
		case 0:
			return { kind: 'random bytes', bytes: d.bytes(1 + d.int(300)) };
		case 1:
			return { kind: 'empty', bytes: new Uint8Array() };
		case 2:
			return {
				kind: 'truncated varint',
				bytes: new Uint8Array(
					d.pick([[0x80], [0, 0x80], [0, 2, 0x80, 0x80], [1, 0xff], [0xff, 0xff, 0xff]])
				)
			};
		case 3: {
			let type = d.int(256);
			while ([MESSAGE_SYNC, MESSAGE_AWARENESS, 3, MESSAGE_ACK].includes(type)) type = d.int(256);
			return {
				kind: 'unknown type',
				bytes: message(type, (e) => encoding.writeUint8Array(e, d.bytes(d.int(20))))
			};
		}
		case 4:
			return { kind: 'garbage update', bytes: syncMessage(1 + d.int(2), d.bytes(d.int(200))) };
		case 5:
		case 6:
			return {
				kind: 'mutated update',
				bytes: syncMessage(1 + d.int(2), mutate(d, d.pick(samples)))
			};
		case 7:
			return { kind: 'count bomb', bytes: syncMessage(1 + d.int(2), countBomb(d)) };
		case 8:
			return {
				kind: 'garbage state vector',
				bytes: syncMessage(
					0,
					d.rand() < 0.5 ? d.bytes(d.int(40)) : new Uint8Array([0xff, 0xff, 0xff, 0x0f, 1])
				)
			};
		case 9:
			return {
				kind: 'garbage awareness',
				bytes: message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, d.bytes(d.int(60))))
			};
		case 10:
			return {
				kind: 'unknown sync step',
				bytes: message(MESSAGE_SYNC, (e) => encoding.writeVarUint(e, 3 + d.int(300)))
			};
		default:
			return { kind: 'text frame', bytes: String.fromCharCode(...d.bytes(1 + d.int(40))) };
	}
}

/** Frames that break RFC 6455 itself. */
function wireFrame(d: Dice): Buffer {
	const payload = d.bytes(d.int(20));
	switch (d.int(9)) {
		case 0:
			return frame({ opcode: 2, payload, rsv: d.pick([0x40, 0x20, 0x10]) });
		case 1:
			return frame({ opcode: d.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload });
		case 2:
			return frame({ opcode: 2, payload, masked: false });
		case 3:
			return frame({ opcode: 9, payload: d.bytes(126 + d.int(100)) });
		case 4:
			return frame({ opcode: 9, payload, fin: false });
		case 5:
			return frame({ opcode: 0, payload });
		case 6:
			return frame({
				opcode: 8,
				payload: new Uint8Array(d.pick([[0x03, 0xe7], [0x03, 0xed], [0x01]]))
			});
		case 7:
			return frame({ opcode: 1, payload: new Uint8Array([0xc3, 0x28, 0xff]) });
		default:
			return frame({
				opcode: 2,
				claimedLength: d.pick([2n ** 63n - 1n, 2n ** 53n + 1n, 2n ** 40n])
			});
	}
}

export async function runFrameFuzz({
	server,
	cookie,
	docName,
	seed,
	frames
}: {
	server: TestServer;
	cookie: string;
	docName: string;
	seed: number;
	frames: number;
}): Promise<FrameFuzzReport> {
	const d = dice(seeded(seed));
	const samples = sampleUpdates(d);
	const report: FrameFuzzReport = {
		frames,
		closed: 0,
		answered: 0,
		wire: 0,
		slowest: { kind: '', ms: 0 }
	};
	const timed = (kind: string, started: number) => {
		const ms = performance.now() - started;
		if (ms > report.slowest.ms) report.slowest = { kind, ms: Math.round(ms) };
	};
	let client: RawClient | null = null;
	for (let n = 0; n < frames; n++) {
		if (d.rand() < 0.1) {
			const raw = await rawUpgrade(server, docName, cookie);
			const started = performance.now();
			raw.socket.write(wireFrame(d));
			await raw.closed;
			timed('wire', started);
			report.wire++;
			report.closed++;
			continue;
		}
		client ??= await RawClient.connect(server, docName, cookie);
		const { kind, bytes } = appFrame(d, samples);
		const started = performance.now();
		if (typeof bytes === 'string') client.ws.send(bytes);
		else client.send(bytes);
		// A probe after it: sync step 1 is answered unless the socket was closed.
		const outcome = await probe(client);
		timed(kind, started);
		if (outcome === 'closed') {
			report.closed++;
			client = null;
		} else report.answered++;
	}
	client?.close();
	return report;
}

/** Sends sync step 1 and waits for its answer or for the socket to close, whichever is first. */
function probe(client: RawClient): Promise<'answered' | 'closed'> {
	if (client.closeInfo) return Promise.resolve('closed');
	return new Promise((resolve) => {
		const onMessage = (data: Buffer) => {
			if (data[0] === MESSAGE_SYNC && data[1] === 1) finish('answered');
		};
		const onClose = () => finish('closed');
		const finish = (outcome: 'answered' | 'closed') => {
			client.ws.off('message', onMessage);
			client.ws.off('close', onClose);
			resolve(outcome);
		};
		client.ws.on('message', onMessage);
		client.ws.once('close', onClose);
		client.send(syncStep1(new Y.Doc()));
	});
}
