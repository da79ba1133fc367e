import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { AwayStates } from '../domain/away';
import { readCatalogEntry, writeCatalogEntry } from '$lib/local/db';
import { AwayTracker } from './away-tracker';
import { compactWhenIdle } from './local-compaction';
import { loadLocalCopy, whenWritten, type LocalLoad } from './local-copy';
import {
	AckedState,
	foreignMarkersOf,
	heldBy,
	markerOf,
	stillPending,
	type ChangeMarker
} from './pending';
import { CLOSE_FORBIDDEN_CHANGE, CLOSE_UNAUTHORIZED, MESSAGE_ACK, MESSAGE_SYNC } from './protocol';
import { ReachWatch } from './reach';

export type Connection = 'connecting' | 'connected' | 'offline';

export interface DocHandleHooks {
	/** Called when a connection closes, so the session can tell a lost network from a lost sign-in. */
	onConnectionLost(handle: DocHandle, code: number | null): void;
	/** Called when this device could not keep a change (storage full): it still syncs. */
	onLocalSaveFailed?(handle: DocHandle): void;
	/** Called when this device's copy could not be read whole; the server's copy fills in. */
	onLocalCopyDamaged?(handle: DocHandle, load: Extract<LocalLoad, { kind: 'damaged' }>): void;
	/**
	 * Called when changes this device had not synced yet were lost with its local copy (deleted
	 * or unreadable): `count` of them, no longer counted as pending.
	 */
	onLocalChangesLost?(handle: DocHandle, count: number): void;
	/** Called when the server refused a change as not this user's to make; syncing has stopped. */
	onChangeRefused?(handle: DocHandle, reason: string): void;
	/** Called when the first sync after a time apart brought in others' changes. */
	onCatchUp?(handle: DocHandle, states: AwayStates): void;
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
	/** Settles once the local copy has been read (or given up on), as `loaded` turns true. */
	readonly whenLoaded: Promise<void>;
	#markLoaded: () => void = () => {};
	readonly provider: WebsocketProvider;
	readonly #local: IndexeddbPersistence | null;
	readonly #stopCompaction: () => void;
	readonly #hooks: DocHandleHooks;

	#connection = $state<Connection>('connecting');
	/** The server has not been reached lately (reach.ts); the connection may still be trying. */
	#unreachable = $state(false);
	readonly #reach = new ReachWatch((unreachable) => (this.#unreachable = unreachable));
	#loaded = $state(false);
	#synced = $state(false);
	#pending = $state.raw<ChangeMarker[]>([]);
	#lastSavedAt = $state<string | null>(null);
	#lastSyncedAt = $state<string | null>(null);
	#acked: AckedState | null = null;
	#catalogLoaded = false;
	#persistScheduled = false;
	#wanted = true;

	constructor(name: string, serverUrl: string, hooks: DocHandleHooks) {
		this.name = name;
		this.whenLoaded = new Promise((resolve) => (this.#markLoaded = resolve));
		this.#hooks = hooks;
		this.#local =
			typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(name, this.doc);
		this.#stopCompaction = this.#local ? compactWhenIdle(this.#local, this.doc) : () => {};
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
		// Every sync message from the server shows it is reached.
		const onSyncMessage = this.provider.messageHandlers[MESSAGE_SYNC]!;
		this.provider.messageHandlers[MESSAGE_SYNC] = (...args) => {
			this.#reach.heard();
			onSyncMessage(...args);
		};
		this.provider.on('connection-close', () => {
			if (!this.provider.wsconnected) this.#reach.failed();
		});
		this.provider.on('status', ({ status }) => {
			if (status === 'connecting') this.#reach.attempting();
			if (status === 'connected') {
				this.#connection = 'connected';
				const optIn = encoding.createEncoder();
				encoding.writeVarUint(optIn, MESSAGE_ACK);
				this.provider.ws?.send(encoding.toUint8Array(optIn));
			} else if (status === 'disconnected') {
				if (this.#synced) this.#markSynced();
				this.#connection = 'offline';
				this.#synced = false;
			}
		});
		this.provider.on('sync', (synced) => {
			this.#synced = synced;
			if (synced) this.#markSynced();
		});
		new AwayTracker(name, this.doc, this.provider, (states) =>
			this.#hooks.onCatchUp?.(this, states)
		);
		this.provider.on('connection-close', (event) => {
			this.#hooks.onConnectionLost(this, event?.code ?? null);
		});
		this.provider.on('closed', ({ code, reason }) => {
			// The server refused for good (4400–4499): wait until connect() is called again.
			this.#wanted = false;
			this.#reach.stopped();
			this.#connection = 'offline';
			if (code === CLOSE_UNAUTHORIZED) this.#hooks.onConnectionLost(this, code);
			if (code === CLOSE_FORBIDDEN_CHANGE) this.#hooks.onChangeRefused?.(this, reason);
		});
		this.doc.on('afterTransaction', (tr) => {
			if (!tr.local) return;
			const markers = [markerOf(tr), ...foreignMarkersOf(tr)].filter((m) => m !== null);
			if (markers.length === 0) return;
			this.#pending = [...this.#pending, ...markers];
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
			this.#lastSyncedAt = entry.lastSyncedAt ?? entry.lastSavedAt;
		}
		this.#catalogLoaded = true;
		this.#schedulePersist();
		if (this.#local) {
			const load = await Promise.race([
				loadLocalCopy(this.#local, this.doc),
				new Promise<null>((resolve) => setTimeout(() => resolve(null), LOCAL_LOAD_TIMEOUT_MS))
			]);
			if (load?.kind === 'damaged') this.#hooks.onLocalCopyDamaged?.(this, load);
			if (load?.kind === 'loaded' || load?.kind === 'damaged') this.#dropLostMarkers();
		}
		this.#loaded = true;
		this.#markLoaded();
		if (this.#wanted) this.provider.connect();
	}

	/**
	 * Markers of changes the local copy just read does not hold: the copy they were in is gone, so
	 * the server can never acknowledge them and the doc would show as syncing for ever.
	 */
	#dropLostMarkers() {
		const held = this.#pending.filter((marker) => heldBy(this.doc, marker));
		const lost = this.#pending.length - held.length;
		if (lost === 0) return;
		this.#pending = held;
		this.#schedulePersist();
		this.#hooks.onLocalChangesLost?.(this, lost);
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

	/** Caught up with the server now: remembered as when this doc last synced. */
	#markSynced() {
		this.#lastSyncedAt = new Date().toISOString();
		this.#schedulePersist();
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
				lastSyncedAt: this.#lastSyncedAt,
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

	/**
	 * Trying to sync, but the server has not been reached: a connection closed before it opened,
	 * or nothing came from the server for a few seconds (reach.ts).
	 */
	get unreachable() {
		return this.#unreachable;
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

	/** When this doc was last caught up with the server (ISO time), null if never. */
	get lastSyncedAt() {
		return this.#lastSyncedAt;
	}

	/**
	 * The state vector the server last acknowledged in this session, or null when unknown (not
	 * connected since the page opened): what a changes file may leave out.
	 */
	get serverStateVector(): Uint8Array | null {
		return this.#acked ? Y.encodeStateVector(new Map(this.#acked.stateVector)) : null;
	}

	/** Resolves once every change made so far is written to this device's storage. */
	async whenStoredLocally(): Promise<void> {
		const db = await this.#local?._db.catch(() => null);
		if (db) await whenWritten(db).catch(() => undefined);
	}

	/** Stops syncing (offline, or signed out); local editing goes on. */
	disconnect() {
		if (!this.#wanted) return;
		this.#wanted = false;
		this.provider.disconnect();
		this.#reach.stopped();
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
		this.#reach.stopped();
		this.#stopCompaction();
		this.provider.destroy();
		void this.#local?.destroy();
		this.doc.destroy();
	}

	/** Closes the doc and deletes this device's copy of it; the caller made sure none is unsynced. */
	async destroyWithLocalCopy(): Promise<void> {
		this.#stopCompaction();
		this.provider.destroy();
		await this.#local?.destroy();
		this.doc.destroy();
		await clearDocument(this.name);
	}
}
