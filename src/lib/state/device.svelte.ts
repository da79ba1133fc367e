import { liveQuery, type Subscription } from 'dexie';
import * as Y from 'yjs';
import { api } from '$lib/api';
import { readCounties } from '$lib/domain/campaign';
import { campaignDocName, canRead, countyDocName, parseDocName } from '$lib/domain/docs';
import type { User } from '$lib/domain/model';
import { localDatabase, type CatalogEntry } from '$lib/local/db';
import { docs, whenSynced, type RedownloadRefusal } from '$lib/sync/docs.svelte';
import { localCopySize } from '$lib/sync/local-copy';

/** One document kept on this device, as the device page shows it. */
export interface DeviceDoc {
	name: string;
	kind: 'campaign' | 'county' | 'other';
	/** Local changes the server has not confirmed yet. */
	pending: number;
	/** When it was last caught up with the server (ISO time), null if never. */
	lastSyncedAt: string | null;
	/** Open and connected: it syncs as changes happen. */
	live: boolean;
	/** Approximate size of its content in bytes; null when unknown. */
	bytes: number | null;
}

export interface StorageInfo {
	usage: number;
	quota: number;
}

export interface SyncAllProgress {
	done: number;
	total: number;
}

/**
 * What this device keeps: the catalog of local documents (live from Dexie, with the state of the
 * ones open on this page), the browser's storage estimate and persistence, and the commands to
 * download every board the person may read or to download one again.
 */
export class DeviceState {
	#entries = $state.raw<CatalogEntry[]>([]);
	/** Stored sizes of the docs not open on this page, measured once each. */
	#sizes = $state.raw<ReadonlyMap<string, number | null>>(new Map());
	#catalogLoaded = $state(false);
	#storage = $state.raw<StorageInfo | null>(null);
	#persisted = $state<boolean | null>(null);
	#progress = $state.raw<SyncAllProgress | null>(null);
	#subscription: Subscription | null = null;

	constructor() {
		const database = localDatabase();
		if (database) {
			// Inside a transaction the query reads the database itself, not Dexie's optimistic cache,
			// whose results can miss entries written concurrently (Dexie.js #2058).
			const query = () =>
				database.transaction('r', database.catalog, () => database.catalog.toArray());
			this.#subscription = liveQuery(query).subscribe({
				next: (entries) => {
					this.#entries = entries;
					this.#catalogLoaded = true;
					void this.#measure(entries.map((e) => e.name));
				},
				error: () => (this.#catalogLoaded = true)
			});
		} else this.#catalogLoaded = true;
		void this.refreshStorage();
	}

	get catalogLoaded() {
		return this.#catalogLoaded;
	}

	get storage() {
		return this.#storage;
	}

	/** Whether the browser promised not to evict this site's data; null where it cannot tell. */
	get persisted() {
		return this.#persisted;
	}

	/** Progress of "download all my counties", null when it is not running. */
	get progress() {
		return this.#progress;
	}

	/** Every doc on this device: the catalog, with live numbers for the docs open on this page. */
	get docs(): DeviceDoc[] {
		const names = new Set(this.#entries.map((e) => e.name));
		for (const handle of docs.handles) names.add(handle.name);
		const entries = new Map(this.#entries.map((e) => [e.name, e]));
		return [...names].map((name) => {
			const handle = docs.get(name);
			const entry = entries.get(name);
			const kind = parseDocName(name)?.kind ?? 'other';
			if (handle) {
				return {
					name,
					kind,
					pending: handle.pendingCount,
					lastSyncedAt: handle.lastSyncedAt,
					live: handle.synced,
					bytes: Y.encodeStateAsUpdate(handle.doc).byteLength
				};
			}
			return {
				name,
				kind,
				pending: entry?.pending.length ?? 0,
				lastSyncedAt: entry?.lastSyncedAt ?? entry?.lastSavedAt ?? null,
				live: false,
				bytes: this.#sizes.get(name) ?? null
			};
		});
	}

	async #measure(names: string[]) {
		const unknown = names.filter((name) => !this.#sizes.has(name) && !docs.get(name));
		if (unknown.length === 0) return;
		const sizes = await Promise.all(unknown.map((name) => localCopySize(name)));
		const next = new Map(this.#sizes);
		unknown.forEach((name, i) => next.set(name, sizes[i] ?? null));
		this.#sizes = next;
	}

	async refreshStorage() {
		const storage = navigator.storage;
		if (!storage) return;
		const [estimate, persisted] = await Promise.all([
			storage.estimate?.().catch(() => null),
			storage.persisted?.().catch(() => null)
		]);
		if (estimate?.quota) this.#storage = { usage: estimate.usage ?? 0, quota: estimate.quota };
		this.#persisted = persisted ?? null;
	}

	/** Asks the browser again to keep this site's data (it may ask the person or decide alone). */
	async requestPersistence() {
		this.#persisted = (await navigator.storage?.persist?.().catch(() => false)) ?? null;
	}

	/**
	 * Opens every board `user` may read, in every campaign, and waits until each has caught up
	 * with the server, so all of them are on this device for working offline.
	 */
	async syncAll(user: User): Promise<void> {
		if (this.#progress) return;
		this.#progress = { done: 0, total: 0 };
		try {
			const { campaigns } = await api.campaigns();
			const campaignHandles = campaigns.map((c) => docs.open(campaignDocName(c.id)));
			this.#progress = { done: 0, total: campaignHandles.length };
			await Promise.all(campaignHandles.map((h) => this.#track(h)));
			const boards = campaigns.flatMap((c, i) =>
				readCounties(campaignHandles[i]!.doc)
					.filter((county) => canRead(user, { kind: 'county', campaign: c.id, county: county.id }))
					.map((county) => docs.open(countyDocName(c.id, county.id)))
			);
			this.#progress = { ...this.#progress, total: this.#progress.total + boards.length };
			await Promise.all(boards.map((h) => this.#track(h)));
		} finally {
			this.#progress = null;
			void this.refreshStorage();
		}
	}

	async #track(handle: Parameters<typeof whenSynced>[0]) {
		await whenSynced(handle);
		if (this.#progress) this.#progress = { ...this.#progress, done: this.#progress.done + 1 };
	}

	/** Downloads one doc again from the server; refused (with the reason) when that could lose work. */
	async redownload(name: string): Promise<RedownloadRefusal | null> {
		const refusal = await docs.redownload(name);
		void this.refreshStorage();
		return refusal;
	}

	destroy() {
		this.#subscription?.unsubscribe();
	}
}
