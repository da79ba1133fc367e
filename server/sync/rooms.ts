import { errorText, log } from '../log.ts';
import type { DocStore } from '../persistence/doc-store.ts';
import type { Committer } from './committer.ts';
import type { ClientOwners } from './guard.ts';
import { Room, type Peer } from './room.ts';

type Entry =
	| { state: 'loading'; ready: Promise<Room> }
	| { state: 'live'; room: Room; idleTimer: NodeJS.Timeout | null }
	| { state: 'unloading'; done: Promise<void> };

export interface RoomsOptions {
	store: DocStore;
	committer: Committer;
	/** Owners of Yjs client ids (guard.ts). */
	owners: ClientOwners;
	/** How long a room without peers stays loaded. */
	graceMs: number;
}

/**
 * The loaded rooms. A doc is loaded once however many peers ask at the same time; a room whose
 * last peer left is unloaded (flushed, compacted) after a grace period, and a peer that arrives
 * while that happens waits for it and then gets a fresh load.
 */
export class Rooms {
	readonly #entries = new Map<string, Entry>();
	readonly #options: RoomsOptions;
	/** Docs whose room failed or could not load, and why; cleared when the doc loads again. */
	readonly #failures = new Map<string, string>();
	#closing = false;

	constructor(options: RoomsOptions) {
		this.#options = options;
	}

	/** One plain sentence per doc whose room failed since it last loaded (for /healthz). */
	get failures(): string[] {
		return [...this.#failures].map(([doc, reason]) => `room ${doc} failed: ${reason}`);
	}

	get loadedCount(): number {
		return [...this.#entries.values()].filter((e) => e.state === 'live').length;
	}

	/** Adds the peer to the doc's room, loading it first; null if the peer left meanwhile. */
	async join(name: string, peer: Peer): Promise<Room | null> {
		if (this.#closing) return null;
		const room = await this.#open(name);
		if (peer.isClosed || room.failed || this.#closing) {
			this.#idleIfEmpty(room);
			return null;
		}
		room.addPeer(peer);
		return room;
	}

	leave(room: Room, peer: Peer): void {
		room.removePeer(peer);
		this.#idleIfEmpty(room);
	}

	/** For shutdown: closes every peer, then flushes, compacts and unloads every room. */
	async closeAll(code: number, reason: string): Promise<void> {
		this.#closing = true;
		await this.#unloadEvery(code, reason);
	}

	/**
	 * For a restore: closes every peer and unloads every room, then runs `work` while no room can
	 * open; afterwards docs load afresh from storage.
	 */
	async whileUnloaded<T>(code: number, reason: string, work: () => Promise<T>): Promise<T> {
		this.#closing = true;
		try {
			await this.#unloadEvery(code, reason);
			return await work();
		} finally {
			this.#closing = false;
		}
	}

	async #unloadEvery(code: number, reason: string): Promise<void> {
		const pending = [...this.#entries.values()].map(async (entry) => {
			if (entry.state === 'unloading') return entry.done;
			const room = entry.state === 'live' ? entry.room : await entry.ready.catch(() => null);
			if (!room) return;
			if (entry.state === 'live' && entry.idleTimer) clearTimeout(entry.idleTimer);
			for (const peer of [...room.peers]) peer.close(code, reason);
			await this.#flushAndDestroy(room);
			this.#entries.delete(room.name);
		});
		await Promise.all(pending);
	}

	async #open(name: string): Promise<Room> {
		for (;;) {
			const entry = this.#entries.get(name);
			if (!entry) {
				const ready = this.#load(name);
				this.#entries.set(name, { state: 'loading', ready });
				return ready;
			}
			if (entry.state === 'loading') return entry.ready;
			if (entry.state === 'live') {
				if (entry.idleTimer) clearTimeout(entry.idleTimer);
				entry.idleTimer = null;
				return entry.room;
			}
			await entry.done;
		}
	}

	async #load(name: string): Promise<Room> {
		const started = performance.now();
		try {
			const stored = await this.#options.store.load(name);
			const room = await Room.open(name, stored, {
				store: this.#options.store,
				committer: this.#options.committer,
				owners: this.#options.owners,
				onFailed: (failed, error) => this.#drop(failed, error)
			});
			this.#entries.set(name, { state: 'live', room, idleTimer: null });
			this.#failures.delete(name);
			log('room.loaded', {
				doc: name,
				rows: stored.updates.length,
				snapshotBytes: stored.snapshot?.byteLength ?? 0,
				ms: Math.round(performance.now() - started)
			});
			return room;
		} catch (error) {
			this.#entries.delete(name);
			this.#failures.set(name, `it could not be loaded (${errorText(error)})`);
			log('room.load_failed', { doc: name, error: errorText(error) });
			throw error;
		}
	}

	#idleIfEmpty(room: Room): void {
		if (room.peers.size > 0 || this.#closing) return;
		const entry = this.#entries.get(room.name);
		if (entry?.state !== 'live' || entry.room !== room || entry.idleTimer) return;
		entry.idleTimer = setTimeout(() => this.#unload(room), this.#options.graceMs);
		entry.idleTimer.unref();
	}

	#unload(room: Room): void {
		const current = this.#entries.get(room.name);
		if (current?.state !== 'live' || current.room !== room || room.peers.size > 0) return;
		const entry: Entry = { state: 'unloading', done: Promise.resolve() };
		entry.done = this.#flushAndDestroy(room).finally(() => {
			if (this.#entries.get(room.name) === entry) this.#entries.delete(room.name);
			log('room.unloaded', { doc: room.name });
		});
		this.#entries.set(room.name, entry);
	}

	async #flushAndDestroy(room: Room): Promise<void> {
		try {
			if (await room.whenSettled()) await room.compactFully();
		} catch (error) {
			log('room.unload_failed', { doc: room.name, error: errorText(error) });
		} finally {
			room.destroy();
		}
	}

	/** A room whose storage failed is forgotten at once; the next peer loads it from storage. */
	#drop(room: Room, error: unknown): void {
		this.#failures.set(room.name, `${errorText(error)}; it reloads when a client reconnects`);
		const entry = this.#entries.get(room.name);
		if (entry?.state === 'live' && entry.room === room) {
			if (entry.idleTimer) clearTimeout(entry.idleTimer);
			this.#entries.delete(room.name);
		}
		room.destroy();
	}
}
