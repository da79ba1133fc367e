import { clearDocument } from 'y-indexeddb';
import * as Y from 'yjs';
import { readCampaignMeta, readCounties } from '$lib/domain/campaign';
import { campaignDocName, parseDocName } from '$lib/domain/docs';
import { t } from '$lib/i18n/index.svelte';
import { watchCards } from '$lib/local/card-index';
import { localDatabase, readCatalogEntry } from '$lib/local/db';
import { session } from '$lib/session.svelte';
import { away } from '$lib/state/away.svelte';
import { notices } from '$lib/state/notices.svelte';
import { DocHandle } from './doc-handle.svelte';
import { hasLocalCopy } from './local-copy';
import {
	fetchServerState,
	rebuild,
	recentlyRebuilt,
	rememberOutcome,
	storeRebuilt,
	takeOutcome
} from './recover';
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
/** How long the notice of a damaged or lost local copy stays. */
const DAMAGED_NOTICE_MS = 20_000;

/** Why a doc's local copy was not downloaded again. */
export type RedownloadRefusal = 'pending' | 'offline';

/** Resolves once the handle has caught up with the server. */
export function whenSynced(handle: DocHandle): Promise<void> {
	if (handle.synced) return Promise.resolve();
	return new Promise((resolve) => {
		const onSync = (synced: boolean) => {
			if (!synced) return;
			handle.provider.off('sync', onSync);
			resolve();
		};
		handle.provider.on('sync', onSync);
	});
}

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
				onLocalSaveFailed: () => this.#warnStorageFull(),
				onCatchUp: (caughtUp, states) => away.report(caughtUp.name, states),
				onLocalCopyDamaged: (damaged) => {
					const doc = this.title(damaged.name);
					notices.toast(t('sync.localDamaged', { doc }), undefined, DAMAGED_NOTICE_MS);
				},
				onChangeRefused: (refused) => void this.#recover(refused),
				onLocalChangesLost: (lost, count) => {
					const doc = this.title(lost.name);
					notices.toast(t('sync.localChangesLost', { doc, count }), undefined, DAMAGED_NOTICE_MS);
				}
			});
			this.#handles.set(name, handle);
			watchCards(name, handle.doc, { loaded: handle.whenLoaded, synced: whenSynced(handle) });
			// Docs are opened while rendering; the list is reactive state, so update it afterwards.
			queueMicrotask(() => (this.#list = [...this.#handles.values()]));
			if (!this.#shouldConnect()) handle.disconnect();
		}
		return handle;
	}

	/**
	 * Opens a doc only if this device holds a copy of it, so that an address naming no real doc
	 * leaves nothing behind; resolves to its handle, or null.
	 */
	async openIfStored(name: string): Promise<DocHandle | null> {
		const open = this.#handles.get(name);
		if (open) return open;
		return (await hasLocalCopy(name)) ? this.open(name) : null;
	}

	/**
	 * The server refused this device's changes to a doc (offline edits to a problem the city
	 * closed meanwhile): the local copy is rebuilt from the server's state plus every change the
	 * record allows (sync/recover.ts), and the page reloads into it. Nothing is cleared before the
	 * rebuilt copy exists; a second refusal right after one stops the doc and says so.
	 */
	async #recover(handle: DocHandle) {
		const doc = this.title(handle.name);
		const user = session.user;
		const refused = () =>
			notices.toast(t('sync.changeRefused', { doc }), undefined, DAMAGED_NOTICE_MS);
		if (!user || recentlyRebuilt(handle.name)) {
			console.warn(`${handle.name}: changes refused again after a rebuild`);
			return refused();
		}
		let rebuilt;
		try {
			const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
			const server = await fetchServerState(`${scheme}://${location.host}/sync`, handle.name);
			const local = new Y.Doc();
			Y.applyUpdate(local, Y.encodeStateAsUpdate(handle.doc));
			rebuilt = rebuild(server, local, {
				username: user.username,
				name: user.displayName,
				role: user.role
			});
			local.destroy();
		} catch (error) {
			console.warn(`rebuilding ${handle.name} failed`, error);
			return refused();
		}
		this.#handles.delete(handle.name);
		await handle.destroyWithLocalCopy();
		await storeRebuilt(handle.name, rebuilt);
		rememberOutcome(handle.name, { doc, leftOut: rebuilt.leftOut });
		location.reload();
	}

	/** After a rebuild and reload: what was kept and what was left out, said once. */
	reportRecovery() {
		const outcome = takeOutcome();
		if (!outcome) return;
		if (outcome.leftOut.length === 0) {
			notices.toast(t('sync.rebuilt', { doc: outcome.doc }), undefined, DAMAGED_NOTICE_MS);
			return;
		}
		const titles = outcome.leftOut.map((p) => `「${p.title}」`).join('、');
		notices.toast(
			t('sync.rebuiltLeftOut', { doc: outcome.doc, count: outcome.leftOut.length, titles }),
			undefined,
			DAMAGED_NOTICE_MS * 3
		);
	}

	/** A person's name for a doc: the county's board, or the campaign's records. */
	title(name: string): string {
		const ref = parseDocName(name);
		if (!ref) return name;
		const campaign = this.#handles.get(campaignDocName(ref.campaign))?.doc;
		if (ref.kind === 'county') {
			const county = campaign && readCounties(campaign).find((c) => c.id === ref.county);
			return t('device.countyBoard', { county: county ? county.name : ref.county });
		}
		const meta = campaign && readCampaignMeta(campaign);
		return t('device.campaignRecords', { campaign: meta?.name || ref.campaign });
	}

	/** Every doc open on this page. */
	get handles(): readonly DocHandle[] {
		return this.#list;
	}

	/** The open handle of a doc, if it is open. */
	get(name: string): DocHandle | undefined {
		return this.#handles.get(name);
	}

	/** Resolves once every change made on this page is written to this device's storage. */
	async whenStoredLocally(): Promise<void> {
		await Promise.all([...this.#handles.values()].map((h) => h.whenStoredLocally()));
		// The catalog's unsynced-change markers are written a microtask after each change.
		await new Promise<void>((resolve) => queueMicrotask(resolve));
		await localDatabase()
			?.transaction('rw', 'catalog', () => undefined)
			.catch(() => undefined);
	}

	/**
	 * Drops this device's copy of a doc and downloads it again from the server. Refused while the
	 * doc has changes the server has not confirmed (they would be lost) or sync is not possible.
	 */
	async redownload(name: string): Promise<RedownloadRefusal | null> {
		const open = this.#handles.get(name);
		const stored = open ? null : await readCatalogEntry(name);
		const pending = open ? open.pendingCount : (stored?.pending.length ?? 0);
		if (pending > 0) return 'pending';
		if (!this.#shouldConnect()) return 'offline';
		this.#handles.delete(name);
		this.#list = [...this.#handles.values()];
		if (open) await open.destroyWithLocalCopy();
		else await clearDocument(name);
		await localDatabase()
			?.catalog.delete(name)
			.catch(() => undefined);
		await whenSynced(this.open(name));
		return null;
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
		// While the sign-in is being checked the docs wait to connect; they are not offline. A doc
		// trying to connect that has not reached the server (reach.ts) is offline.
		if (
			!this.#online ||
			(!session.checking && this.#list.every((h) => h.connection === 'offline' || h.unreachable))
		) {
			return { kind: 'offline', pending };
		}
		if (pending > 0 || this.#list.some((h) => !h.synced)) return { kind: 'syncing', pending };
		return { kind: 'saved', pending: 0 };
	}
}

export const docs = new DocRegistry();
