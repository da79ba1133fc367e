import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	AckedState,
	markerOf,
	stillPending,
	type ChangeMarker
} from '../../../src/lib/sync/pending.ts';
import { MESSAGE_ACK } from '../../../src/lib/sync/protocol.ts';
import WebSocket from 'ws';
import { RawClient } from '../../server/clients.ts';
import type { TestServer } from '../../server/harness.ts';

/**
 * A client as the app runs one, minus the browser: a Y.Doc synced by the stock y-websocket
 * provider that opts in to acknowledgements and counts its unacknowledged local changes with the
 * same markers the app's DocHandle uses. It also keeps every update it made and every update
 * the server sent it, so a test can ask afterwards what was acknowledged and what was seen.
 */
export class TrackedClient {
	readonly doc: Y.Doc;
	readonly provider: WebsocketProvider;
	/** Each local transaction's update, in order. */
	readonly localUpdates: Uint8Array[] = [];
	/** Every update that came from the server (sync step 2 and relays). */
	readonly receivedUpdates: Uint8Array[] = [];
	/** The latest acknowledgement: what the server said it has stored. */
	acked: Y.Snapshot | null = null;
	acks = 0;
	#pending: ChangeMarker[] = [];
	#server: TestServer;
	#destroyed = false;

	constructor(
		server: TestServer,
		docName: string,
		cookie: string,
		{ connect = true, doc = new Y.Doc() }: { connect?: boolean; doc?: Y.Doc } = {}
	) {
		this.doc = doc;
		this.#server = server;
		// The origin is read at each connection attempt: a restarted server has a new port.
		const origin = () => this.#server.origin;
		class CookieWebSocket extends WebSocket {
			constructor(address: string | URL, protocols?: string | string[]) {
				super(address, protocols, { headers: { cookie, origin: origin() } });
			}
		}
		this.provider = new WebsocketProvider(server.wsUrl + '/sync', docName, doc, {
			connect: false,
			disableBc: true,
			maxBackoffTime: 500,
			WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket
		});
		this.provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
			this.acked = Y.decodeSnapshot(decoding.readVarUint8Array(decoder));
			this.acks++;
			this.#pending = stillPending(this.#pending, new AckedState(this.acked));
		};
		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.provider.ws?.send(new Uint8Array([MESSAGE_ACK]));
		});
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this.provider) this.receivedUpdates.push(update);
			else this.localUpdates.push(update);
		});
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			if (tr.origin === this.provider) return;
			const marker = markerOf(tr);
			if (marker) this.#pending.push(marker);
		});
		if (connect) this.provider.connect();
	}

	/** Local changes the server has not acknowledged, as the app's sync indicator counts them. */
	get pendingCount(): number {
		return this.#pending.length;
	}

	get synced(): boolean {
		return this.provider.synced;
	}

	/** Follows the server to its new address (a restarted server gets a new port). */
	pointTo(server: TestServer): void {
		this.#server = server;
		this.provider.serverUrl = server.wsUrl + '/sync';
	}

	/** The local updates the latest acknowledgement covers. */
	acknowledgedUpdates(): Uint8Array[] {
		const acked = this.acked;
		return acked ? this.localUpdates.filter((u) => Y.snapshotContainsUpdate(acked, u)) : [];
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.provider.destroy();
		this.doc.destroy();
	}
}

/** The state a fresh client gets from the server now, as a doc. */
export async function serverState(
	server: TestServer,
	docName: string,
	cookie: string
): Promise<Y.Doc> {
	const client = await RawClient.connect(server, docName, cookie);
	try {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await client.roundTrip());
		return doc;
	} finally {
		client.close();
	}
}

/** True when `doc` holds everything `update` inserted and deleted. */
export const contains = (doc: Y.Doc, update: Uint8Array): boolean =>
	Y.snapshotContainsUpdate(Y.snapshot(doc), update);

/** JSON with object keys sorted, so equal contents compare equal as strings. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Uint8Array)
			? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner
	);
}
