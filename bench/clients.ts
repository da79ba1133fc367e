import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';

/**
 * Raw WebSocket clients, one harness for every server: the same socket library, the same
 * message handling, only the framing differs.
 *
 * - `y-websocket`: `[type, …]`, used by ours and by the reference server. Type 0 is sync
 *   (sub-type 0 step 1, 1 step 2, 2 update), 1 awareness; ours also sends 100 (acks) to clients
 *   that opt in, which these clients never do.
 * - `hocuspocus`: every message starts with the document name (varString), then the type; the
 *   client must authenticate each document first (`[name, 2 auth, 0 token, token]`), and the
 *   server answers updates with `[name, 8 sync status, saved]`.
 */
export type Protocol = 'y-websocket' | 'hocuspocus';

export interface ClientTarget {
	protocol: Protocol;
	/** The WebSocket address for this document. */
	url: string;
	docName: string;
	headers: Record<string, string>;
}

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
/** Ours only: acknowledgements after commit, for clients that send `[100]`. */
export const MESSAGE_ACK = 100;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
/** Hocuspocus auth sub-types (from @hocuspocus/common). */
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;
const AUTH_AUTHENTICATED = 2;

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** Called with the Yjs update of every `sync/update` message, and the time it was handled. */
export type UpdateListener = (update: Uint8Array, at: number) => void;

export class SyncClient {
	readonly ws: WebSocket;
	readonly #prefix: Uint8Array;
	readonly #doc: Y.Doc | null;
	#step2Waiters: { resolve(update: Uint8Array): void; reject(error: Error): void }[] = [];
	#authWaiter: { resolve(): void; reject(error: Error): void } | null = null;
	#answered!: () => void;
	/** Resolves once this client answered the server's sync step 1 (so sent what it holds). */
	readonly answeredStep1 = new Promise<void>((resolve) => (this.#answered = resolve));
	readonly closed: Promise<void>;
	onUpdate: UpdateListener | null = null;
	/** Called with the snapshot of each acknowledgement (ours, for clients that opted in). */
	onAck: ((snapshot: Uint8Array) => void) | null = null;
	/** Payload bytes received, and the bytes of their WebSocket frame headers. */
	bytesReceived = 0;
	frameHeaderBytes = 0;
	messagesReceived = 0;

	private constructor(target: ClientTarget, ws: WebSocket, doc: Y.Doc | null) {
		this.ws = ws;
		this.#doc = doc;
		this.#prefix = target.protocol === 'hocuspocus' ? varString(target.docName) : new Uint8Array();
		ws.on('message', (data: Buffer) => this.#receive(data));
		ws.on('error', () => {});
		this.closed = new Promise((resolve) =>
			ws.once('close', (code: number, reason: Buffer) => {
				// A server that refuses what this client sent closes the socket: whoever waits for an
				// answer learns why at once instead of waiting forever.
				const error = new Error(`socket closed (${code} ${reason.toString()})`);
				for (const waiter of this.#step2Waiters.splice(0)) waiter.reject(error);
				resolve();
			})
		);
	}

	/**
	 * Opens a socket (and, for Hocuspocus, authenticates the document). `doc` is what this client
	 * holds: it answers the server's sync step 1 from it. Without one the client holds nothing.
	 */
	static async open(target: ClientTarget, doc: Y.Doc | null = null): Promise<SyncClient> {
		const ws = new WebSocket(target.url, { headers: target.headers, perMessageDeflate: false });
		const client = new SyncClient(target, ws, doc);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('unexpected-response', (_req, res) =>
				reject(new Error(`${target.url}: HTTP ${res.statusCode}`))
			);
			ws.once('error', reject);
		});
		if (target.protocol === 'hocuspocus') {
			const authenticated = new Promise<void>(
				(resolve, reject) => (client.#authWaiter = { resolve, reject })
			);
			const encoder = client.#encoder(MESSAGE_AUTH);
			encoding.writeVarUint(encoder, AUTH_TOKEN);
			encoding.writeVarString(encoder, '');
			client.#send(encoder);
			await authenticated;
		}
		return client;
	}

	/** Sends sync step 1 and resolves with the server's sync step 2 (the update it sent). */
	sync(): Promise<Uint8Array> {
		if (this.ws.readyState !== WebSocket.OPEN) {
			return Promise.reject(new Error('sync on a socket that is not open'));
		}
		const answer = new Promise<Uint8Array>((resolve, reject) =>
			this.#step2Waiters.push({ resolve, reject })
		);
		const encoder = this.#encoder(MESSAGE_SYNC);
		encoding.writeVarUint(encoder, STEP1);
		encoding.writeVarUint8Array(
			encoder,
			this.#doc ? Y.encodeStateVector(this.#doc) : EMPTY_STATE_VECTOR
		);
		this.#send(encoder);
		return answer;
	}

	/** Sends a Yjs update as a `sync/update` message. */
	sendUpdate(update: Uint8Array): void {
		this.ws.send(this.updateMessage(update));
	}

	/** The framed message for an update (to build messages ahead of a timed run). */
	updateMessage(update: Uint8Array): Uint8Array {
		const encoder = this.#encoder(MESSAGE_SYNC);
		encoding.writeVarUint(encoder, UPDATE);
		encoding.writeVarUint8Array(encoder, update);
		return encoding.toUint8Array(encoder);
	}

	sendRaw(message: Uint8Array): void {
		this.ws.send(message);
	}

	async close(): Promise<void> {
		if (this.ws.readyState === WebSocket.CLOSED) return;
		this.ws.close();
		const timer = setTimeout(() => this.ws.terminate(), 5_000);
		await this.closed;
		clearTimeout(timer);
	}

	#encoder(type: number): encoding.Encoder {
		const encoder = encoding.createEncoder();
		encoding.writeUint8Array(encoder, this.#prefix);
		encoding.writeVarUint(encoder, type);
		return encoder;
	}

	#send(encoder: encoding.Encoder): void {
		this.ws.send(encoding.toUint8Array(encoder));
	}

	#receive(data: Buffer): void {
		const at = performance.now();
		this.bytesReceived += data.byteLength;
		this.frameHeaderBytes += data.byteLength < 126 ? 2 : data.byteLength < 65536 ? 4 : 10;
		this.messagesReceived++;
		const start = this.#prefix.byteLength;
		// The hot path (an update) without a decoder: [prefix] 0 2 varUint8Array.
		if (data[start] === MESSAGE_SYNC && data[start + 1] === UPDATE) {
			if (this.onUpdate) this.onUpdate(readPayload(data, start + 2), at);
			return;
		}
		const decoder = decoding.createDecoder(data);
		decoder.pos = start;
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_SYNC) {
			const step = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (step === STEP1) this.#answerStep1(payload);
			else if (step === STEP2) this.#step2Waiters.shift()?.resolve(payload);
		} else if (type === MESSAGE_ACK) {
			this.onAck?.(decoding.readVarUint8Array(decoder));
		} else if (type === MESSAGE_AUTH && this.#authWaiter) {
			const kind = decoding.readVarUint(decoder);
			if (kind === AUTH_AUTHENTICATED) this.#authWaiter.resolve();
			else if (kind === AUTH_PERMISSION_DENIED) {
				this.#authWaiter.reject(new Error(`permission denied: ${decoding.readVarString(decoder)}`));
			}
			this.#authWaiter = null;
		}
	}

	#answerStep1(stateVector: Uint8Array): void {
		const encoder = this.#encoder(MESSAGE_SYNC);
		encoding.writeVarUint(encoder, STEP2);
		encoding.writeVarUint8Array(
			encoder,
			this.#doc ? Y.encodeStateAsUpdate(this.#doc, stateVector) : EMPTY_UPDATE
		);
		this.#send(encoder);
		this.#answered();
	}
}

function varString(text: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, text);
	return encoding.toUint8Array(encoder);
}

/** Reads a varUint-length-prefixed payload at `pos` without copying. */
function readPayload(data: Uint8Array, pos: number): Uint8Array {
	let length = 0;
	let shift = 0;
	for (;;) {
		const byte = data[pos++]!;
		length += (byte & 0x7f) * 2 ** shift;
		if (byte < 0x80) break;
		shift += 7;
	}
	return data.subarray(pos, pos + length);
}

/**
 * Identifies an update by its first struct: `client * 2^21 + clock` (a number, cheap to key on).
 * Every edit the benchmark sends inserts something, so this is unique per edit; null for an
 * update that only deletes. Reads the v1 header by hand: no Yjs decode on the hot path.
 */
export function updateKey(update: Uint8Array): number | null {
	let pos = 0;
	const read = () => {
		let value = 0;
		let shift = 0;
		for (;;) {
			const byte = update[pos++]!;
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) return value;
			shift += 7;
		}
	};
	const sections = read();
	if (sections === 0) return null;
	read(); // number of structs
	const client = read();
	const clock = read();
	return client * 2 ** 21 + clock;
}

/**
 * Syncs a client that brings content, and waits until the server has taken it: after the
 * client answered the server's step 1 with what it holds, one more step 1 / step 2 round trip
 * (each server handles one socket's messages in order; ours answers only once committed).
 */
export async function syncAndPush(client: SyncClient): Promise<void> {
	await client.sync();
	await client.answeredStep1;
	await client.sync();
}

/** Opens `count` clients, `parallel` at a time. */
export async function openMany(
	target: ClientTarget,
	count: number,
	parallel = 25
): Promise<SyncClient[]> {
	const clients: SyncClient[] = [];
	for (let i = 0; i < count; i += parallel) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(parallel, count - i) }, () => SyncClient.open(target))
		);
		clients.push(...batch);
	}
	return clients;
}

/** Syncs every client (each receives the server's full state). */
export async function syncAll(clients: SyncClient[], parallel = 25): Promise<void> {
	for (let i = 0; i < clients.length; i += parallel) {
		await Promise.all(clients.slice(i, i + parallel).map((client) => client.sync()));
	}
}

export async function closeAll(clients: SyncClient[]): Promise<void> {
	await Promise.all(clients.map((client) => client.close()));
}
