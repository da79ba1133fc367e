import http from 'node:http';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_ACK, MESSAGE_SYNC } from '../../src/lib/sync/protocol.ts';
import { waitFor, type TestServer } from './harness.ts';

/** A `ws` WebSocket class that sends the session cookie and a same-origin `Origin`. */
export function cookieWebSocket(
	cookie: string,
	origin: string
): new (address: string | URL, protocols?: string | string[]) => WebSocket {
	return class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers: { cookie, origin } });
		}
	};
}

export interface SyncedDoc {
	doc: Y.Doc;
	provider: WebsocketProvider;
	destroy(): void;
}

/** A Y.Doc synced with the server through the stock y-websocket provider, as the app does. */
export async function openDoc(
	server: TestServer,
	docName: string,
	cookie: string,
	doc = new Y.Doc()
): Promise<SyncedDoc> {
	const provider = new WebsocketProvider(server.wsUrl + '/sync', docName, doc, {
		connect: true,
		disableBc: true,
		WebSocketPolyfill: cookieWebSocket(
			cookie,
			server.origin
		) as unknown as typeof globalThis.WebSocket
	});
	await waitFor(() => provider.synced, { what: `${docName} to sync` });
	return {
		doc,
		provider,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export interface CloseInfo {
	code: number;
	reason: string;
}

/** A protocol-level client: raw frames in, decoded messages out. */
export class RawClient {
	readonly messages: Uint8Array[] = [];
	closeInfo: CloseInfo | null = null;
	readonly closed: Promise<CloseInfo>;

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data: Buffer) => this.messages.push(new Uint8Array(data)));
		ws.on('error', () => {});
		this.closed = new Promise((resolve) =>
			ws.once('close', (code, reason) => {
				this.closeInfo = { code, reason: reason.toString() };
				resolve(this.closeInfo);
			})
		);
	}

	static async connect(server: TestServer, docName: string, cookie: string): Promise<RawClient> {
		const ws = new WebSocket(`${server.wsUrl}/sync/${docName}`, {
			headers: { cookie, origin: server.origin }
		});
		const client = new RawClient(ws);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
			ws.once('error', reject);
		});
		return client;
	}

	send(message: Uint8Array | Buffer): void {
		this.ws.send(message);
	}

	/** Waits for a message matching `accept` that arrived after index `from`; returns it. */
	async next(accept: (message: Uint8Array) => boolean, from = 0): Promise<Uint8Array> {
		return waitFor(() => this.messages.slice(from).find(accept), { what: 'a message' });
	}

	/**
	 * Sends sync step 1 and waits for the answer: messages are handled in order, so everything
	 * sent before has been dealt with. Returns the server's state as an update.
	 */
	async roundTrip(): Promise<Uint8Array> {
		const from = this.messages.length;
		this.send(syncStep1(new Y.Doc()));
		const reply = await this.next((m) => m[0] === MESSAGE_SYNC && m[1] === 1, from);
		const decoder = decoding.createDecoder(reply);
		decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		return decoding.readVarUint8Array(decoder);
	}

	close(): void {
		this.ws.close();
	}
}

export function syncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/** `[sync, step, update]`; step 1 = sync step 2, 2 = update. */
export function syncMessage(step: 1 | 2, update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export const ackOptIn = (): Uint8Array => new Uint8Array([MESSAGE_ACK]);

/** The snapshot carried by an ack message, or null for other messages. */
export function decodeAck(message: Uint8Array): Y.Snapshot | null {
	const decoder = decoding.createDecoder(message);
	if (decoding.readVarUint(decoder) !== MESSAGE_ACK) return null;
	return Y.decodeSnapshot(decoding.readVarUint8Array(decoder));
}

/** A doc holding what the server sent (for checking what it has). */
export function docFromUpdate(update: Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	return doc;
}

/** The status of a WebSocket upgrade request with a raw (unnormalised) path: 101 or the refusal. */
export function upgradeStatus(
	server: TestServer,
	rawPath: string,
	headers: Record<string, string> = {}
): Promise<number> {
	const { port } = new URL(server.url);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: '127.0.0.1',
			port,
			path: rawPath,
			headers: {
				connection: 'Upgrade',
				upgrade: 'websocket',
				'sec-websocket-version': '13',
				'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
				...headers
			}
		});
		req.on('upgrade', (res, socket) => {
			socket.destroy();
			resolve(res.statusCode ?? 0);
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}
