import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { readCatalogEntry, writeCatalogEntry } from '$lib/local/db';
import { AckedState, markerOf, stillPending, type ChangeMarker } from './pending';
import { CLOSE_UNAUTHORIZED, MESSAGE_ACK } from './protocol';

export type Connection = 'connecting' | 'connected' | 'offline';

export interface DocHandleHooks {
	/** Called when a connection closes, so the session can tell a lost network from a lost sign-in. */
	onConnectionLost(handle: DocHandle, code: number | null): void;
	/** Called when this device could not keep a change (storage full): it still syncs. */
	onLocalSaveFailed?(handle: DocHandle): void;
}

/** How long to wait for IndexedDB before syncing without the local copy (it may be broken). */
const LOCAL_LOAD_TIMEOUT_MS = 5_000;

/**
 * One shared document on this device: a Y.Doc kept in IndexedDB (y-indexeddb) and synced with the
 * server (y-websocket), plus what the UI needs to know about it: is the local copy loaded, are we
 * connected, and which local changes has the server acknowledged as stored.
 */
export class DocHandle {
	readonly name: string;
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly #local: IndexeddbPersistence | null;
	readonly #hooks: DocHandleHooks;

	#connection = $state<Connection>('connecting');
	#loaded = $state(false);
	#synced = $state(false);
	#pending = $state.raw<ChangeMarker[]>([]);
	#lastSavedAt = $state<string | null>(null);
	#acked: AckedState | null = null;
	#catalogLoaded = false;
	#persistScheduled = false;
	#wanted = true;

	constructor(name: string, serverUrl: string, hooks: DocHandleHooks) {
		this.name = name;
		this.#hooks = hooks;
		this.#local =
			typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(name, this.doc);
		// y-indexeddb does not report writes that fail (storage quota exceeded). Every IndexedDB
		// transaction's abort bubbles up to its database, so that is where to hear about them.
		this.#local?._db.then((db) => db.addEventListener('abort', this.#onLocalAbort)).catch(() => {});
		this.provider = new WebsocketProvider(serverUrl, name, this.doc, {
			connect: false,
			disableBc: true,
			maxBackoffTime: 5_000
		});
		this.provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
			this.#onAck(decoding.readVarUint8Array(decoder));
		};
		this.provider.on('status', ({ status }) => {
			if (status === 'connected') {
				this.#connection = 'connected';
				const optIn = encoding.createEncoder();
				encoding.writeVarUint(optIn, MESSAGE_ACK);
				this.provider.ws?.send(encoding.toUint8Array(optIn));
			} else if (status === 'disconnected') {
				this.#connection = 'offline';
				this.#synced = false;
			}
		});
		this.provider.on('sync', (synced) => (this.#synced = synced));
		this.provider.on('connection-close', (event) => {
			this.#hooks.onConnectionLost(this, event?.code ?? null);
		});
		this.provider.on('closed', ({ code }) => {
			// The server refused for good (4400–4499): wait until connect() is called again.
			this.#wanted = false;
			this.#connection = 'offline';
			if (code === CLOSE_UNAUTHORIZED) this.#hooks.onConnectionLost(this, code);
		});
		this.doc.on('afterTransaction', (tr) => {
			if (!tr.local) return;
			const marker = markerOf(tr);
			if (!marker) return;
			this.#pending = [...this.#pending, marker];
			this.#schedulePersist();
		});
		void this.#start();
	}

	async #start() {
		const entry = await readCatalogEntry(this.name);
		if (entry) {
			// Markers made before the catalog loaded come after the stored ones.
			this.#pending = [...entry.pending, ...this.#pending];
			this.#lastSavedAt = entry.lastSavedAt;
		}
		this.#catalogLoaded = true;
		this.#schedulePersist();
		if (this.#local) {
			await Promise.race([
				this.#local.whenSynced,
				new Promise((resolve) => setTimeout(resolve, LOCAL_LOAD_TIMEOUT_MS))
			]);
		}
		this.#loaded = true;
		if (this.#wanted) this.provider.connect();
	}

	readonly #onLocalAbort = (event: Event) => {
		const error = (event.target as IDBTransaction | null)?.error;
		if (error?.name === 'QuotaExceededError') this.#hooks.onLocalSaveFailed?.(this);
	};

	#onAck(bytes: Uint8Array) {
		try {
			this.#acked = AckedState.decode(bytes);
		} catch {
			return;
		}
		const remaining = stillPending(this.#pending, this.#acked);
		if (remaining.length !== this.#pending.length || remaining.length === 0) {
			this.#pending = remaining;
			if (remaining.length === 0) this.#lastSavedAt = new Date().toISOString();
			this.#schedulePersist();
		}
	}

	#schedulePersist() {
		if (!this.#catalogLoaded || this.#persistScheduled) return;
		this.#persistScheduled = true;
		queueMicrotask(() => {
			this.#persistScheduled = false;
			void writeCatalogEntry({
				name: this.name,
				pending: $state.snapshot(this.#pending) as ChangeMarker[],
				lastSavedAt: this.#lastSavedAt,
				lastOpenedAt: new Date().toISOString()
			});
		});
	}

	get awareness(): Awareness {
		return this.provider.awareness;
	}

	/** The local copy (IndexedDB) has been read: the doc shows what this device knows. */
	get loaded() {
		return this.#loaded;
	}

	get connection() {
		return this.#connection;
	}

	/** Connected and caught up with the server in both directions (sync step 2 exchanged). */
	get synced() {
		return this.#synced;
	}

	/** Number of local changes the server has not yet confirmed as stored. */
	get pendingCount() {
		return this.#pending.length;
	}

	get lastSavedAt() {
		return this.#lastSavedAt;
	}

	/** Stops syncing (offline, or signed out); local editing goes on. */
	disconnect() {
		if (!this.#wanted) return;
		this.#wanted = false;
		this.provider.disconnect();
		this.#connection = 'offline';
	}

	/** Resumes syncing. Does nothing while already trying, so reconnection backoff is kept. */
	connect() {
		if (this.#wanted) return;
		this.#wanted = true;
		this.#connection = 'connecting';
		if (this.#loaded) this.provider.connect();
	}

	destroy() {
		this.provider.destroy();
		void this.#local?.destroy();
		this.doc.destroy();
	}
}
