import { t } from '$lib/i18n/index.svelte';
import { session } from '$lib/session.svelte';
import { notices } from '$lib/state/notices.svelte';
import { DocHandle } from './doc-handle.svelte';
import { CLOSE_UNAUTHORIZED } from './protocol';

export type SyncSummary =
	| { kind: 'saved'; pending: 0 }
	| { kind: 'syncing'; pending: number }
	| { kind: 'offline'; pending: number }
	| { kind: 'signed-out'; pending: number }
	| { kind: 'idle'; pending: 0 };

/** What code that only needs to open docs depends on. */
export interface DocRegistryLike {
	open(name: string): DocHandle;
}

/** How long the storage-full notice stays, and how often it may come back. */
const STORAGE_FULL_REPEAT_MS = 60_000;

/**
 * The documents open on this device. Each stays open for the life of the page: the handful a
 * person works with are small, and keeping them makes moving between boards instant.
 */
class DocRegistry {
	#handles = new Map<string, DocHandle>();
	#list = $state.raw<DocHandle[]>([]);
	#online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	#storageFullToldAt = 0;

	constructor() {
		if (typeof window === 'undefined') return;
		window.addEventListener('online', () => {
			this.#online = true;
			this.applyConnectivity();
		});
		window.addEventListener('offline', () => {
			this.#online = false;
			this.applyConnectivity();
		});
	}

	get online() {
		return this.#online;
	}

	/** This device's storage is full: say so (once a minute at most); syncing goes on. */
	#warnStorageFull() {
		if (Date.now() - this.#storageFullToldAt < STORAGE_FULL_REPEAT_MS) return;
		this.#storageFullToldAt = Date.now();
		notices.toast(t('sync.storageFull'), undefined, STORAGE_FULL_REPEAT_MS);
	}

	/** Opens (or returns the already open) handle of a doc. */
	open(name: string): DocHandle {
		let handle = this.#handles.get(name);
		if (!handle) {
			const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
			handle = new DocHandle(name, `${scheme}://${location.host}/sync`, {
				onConnectionLost: (_handle, code) => {
					if (code === CLOSE_UNAUTHORIZED) session.expire();
					// Only a lost sign-in stops the provider; a lost network is left to its backoff.
					const check = code === CLOSE_UNAUTHORIZED ? Promise.resolve() : session.verify();
					void check.then(() => {
						if (!session.canSync) this.applyConnectivity();
					});
				},
				onLocalSaveFailed: () => this.#warnStorageFull()
			});
			this.#handles.set(name, handle);
			// Docs are opened while rendering; the list is reactive state, so update it afterwards.
			queueMicrotask(() => (this.#list = [...this.#handles.values()]));
			if (!this.#shouldConnect()) handle.disconnect();
		}
		return handle;
	}

	#shouldConnect() {
		return this.#online && session.canSync;
	}

	/** Connects or disconnects every doc after a change of network or sign-in. */
	applyConnectivity() {
		const connect = this.#shouldConnect();
		for (const handle of this.#handles.values()) {
			if (connect) handle.connect();
			else if (handle.connection !== 'offline') handle.disconnect();
		}
	}

	/** The latest time the server confirmed having everything of some open doc. */
	get lastSavedAt(): string | null {
		let latest: string | null = null;
		for (const h of this.#list)
			if (h.lastSavedAt && (!latest || h.lastSavedAt > latest)) latest = h.lastSavedAt;
		return latest;
	}

	/** What the sync indicator shows, over every open doc. */
	get summary(): SyncSummary {
		const pending = this.#list.reduce((sum, h) => sum + h.pendingCount, 0);
		if (session.state === 'expired' || session.state === 'signed-out') {
			return { kind: 'signed-out', pending };
		}
		if (this.#list.length === 0) return { kind: 'idle', pending: 0 };
		if (!this.#online || this.#list.every((h) => h.connection === 'offline')) {
			return { kind: 'offline', pending };
		}
		if (pending > 0 || this.#list.some((h) => !h.synced)) return { kind: 'syncing', pending };
		return { kind: 'saved', pending: 0 };
	}
}

export const docs = new DocRegistry();
