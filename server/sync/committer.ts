import * as Y from 'yjs';
import { errorText, log } from '../log.ts';
import type { AuditRecord } from '../audit/audit-log.ts';
import type { AppendEntry, DocStore } from '../persistence/doc-store.ts';

/** A room's queued updates and the audit records of what they changed, stored together. */
export interface CommitBatch {
	updates: Uint8Array[];
	records: AuditRecord[];
}

/** What the committer needs from a room: its queued updates, and where to report the outcome. */
export interface Committable {
	readonly name: string;
	/** Hands over the queued updates; the room treats them as in flight until told the outcome. */
	takeBatch(): CommitBatch;
	/** The batch is stored, as one row per room: `ids` holds that row's id. */
	committed(ids: number[]): void;
	commitFailed(error: unknown): void;
}

/** This many updates arriving within STREAM_SPAN_MS (800 a second or more) are a stream. */
export const STREAM_UPDATES = 8;
export const STREAM_SPAN_MS = 10;
/**
 * `commitNow` takes an update alone only if no other arrived within this long before it: updates
 * that come close together (several in one read, a client's clump) are still committed as one.
 */
export const LONE_GAP_MS = 2;
/** In a stream, the commit waits until no update arrived for this long … */
export const STREAM_QUIET_MS = 8;
/** … or until the first held update has waited this long. */
export const STREAM_WINDOW_MS = 100;

/**
 * Group commit. A room's updates are stored as ONE row per commit (`Y.mergeUpdates` of what it
 * queued), every dirty room in ONE transaction, and only then is each room told to relay and
 * acknowledge. One commit runs at a time, so row ids follow the order updates were applied in.
 *
 * When: a lone update (nothing else waiting, none other within LONE_GAP_MS, no stream) is
 * committed at once by `commitNow` in the step that received it (when the store can commit
 * synchronously); else on the next tick (setImmediate), so an edit is relayed at once, and what
 * arrived in one tick is one commit. While updates arrive as a stream (STREAM_UPDATES within STREAM_SPAN_MS: a burst of edits, a county coming
 * back online; people editing by hand come nowhere near) the commit waits until the stream
 * pauses for STREAM_QUIET_MS or for at most STREAM_WINDOW_MS, so that a commit carries many
 * updates. Every SQLite commit writes whole pages to the WAL and the checkpoint
 * writes them again, so a commit per 80-byte edit costs 30–200× its size; a commit per window
 * costs about 2–3×, at the price of up to STREAM_WINDOW_MS of latency under such load.
 */
export class Committer {
	readonly #store: DocStore;
	readonly #dirty = new Set<Committable>();
	/**
	 * Rooms whose batch is over the store's `pieceBytes` and being stored apart (in steps); not
	 * taken again until it is, so a room's rows keep the order its updates were applied in.
	 */
	readonly #apart = new Set<Committable>();
	#scheduled = false;
	#running = false;
	/** Arrival times (performance.now()) of the last STREAM_UPDATES updates, a ring. */
	readonly #arrivals = new Float64Array(STREAM_UPDATES).fill(-Infinity);
	#arrivalIndex = 0;
	/** While holding a stream: when the first held update and the latest one arrived. */
	#holdingSince = 0;
	#lastArrival = 0;

	constructor(store: DocStore) {
		this.#store = store;
	}

	/**
	 * Queues the room for the next commit. `arrivalCounted`: `commitNow` already counted this
	 * update as an arrival (and declined it).
	 */
	schedule(room: Committable, arrivalCounted = false): void {
		this.#dirty.add(room);
		if (!arrivalCounted) this.#arrive();
		this.#kick();
	}

	/**
	 * Stores one update of `room` now, if nothing else is waiting to be committed, no commit is
	 * running, no update arrived in the last LONE_GAP_MS and updates are not arriving as a stream
	 * (otherwise they are gathered as before).
	 * Returns the row id, or null when the caller must apply the update and let it be queued.
	 * Throws when storage fails.
	 */
	commitNow(room: Committable, update: Uint8Array, records: AuditRecord[] = []): number | null {
		const previous = this.#lastArrival;
		const now = this.#arrive();
		const appendNow = this.#store.appendNow;
		if (!appendNow || this.#scheduled || this.#running || this.#dirty.size > 0) return null;
		if (now - previous < LONE_GAP_MS) return null;
		if (now - this.#arrivals[this.#arrivalIndex]! <= STREAM_SPAN_MS) return null;
		return appendNow.call(this.#store, [{ doc: room.name, data: update, records }])[0]!;
	}

	/** Forgets a room that will not be committed any more (it failed or was dropped). */
	forget(room: Committable): void {
		this.#dirty.delete(room);
	}

	/** Counts an update's arrival in the ring that tells a stream; returns the time. */
	#arrive(): number {
		this.#lastArrival = performance.now();
		this.#arrivals[this.#arrivalIndex] = this.#lastArrival;
		this.#arrivalIndex = (this.#arrivalIndex + 1) % STREAM_UPDATES;
		return this.#lastArrival;
	}

	/** Whether a dirty room can be taken (not one whose large batch is still being stored). */
	#anyReady(): boolean {
		for (const room of this.#dirty) if (!this.#apart.has(room)) return true;
		return false;
	}

	#kick(): void {
		if (this.#scheduled || this.#running || !this.#anyReady()) return;
		this.#scheduled = true;
		const now = performance.now();
		// The oldest of the last STREAM_UPDATES arrivals (the ring's next slot).
		const oldest = this.#arrivals[this.#arrivalIndex]!;
		if (now - oldest > STREAM_SPAN_MS) {
			setImmediate(this.#run);
		} else {
			this.#holdingSince = now;
			setTimeout(this.#whenQuiet, STREAM_QUIET_MS);
		}
	}

	readonly #whenQuiet = (): void => {
		const now = performance.now();
		const quietFor = now - this.#lastArrival;
		const heldFor = now - this.#holdingSince;
		if (quietFor < STREAM_QUIET_MS && heldFor < STREAM_WINDOW_MS) {
			const wait = Math.min(STREAM_QUIET_MS - quietFor, STREAM_WINDOW_MS - heldFor);
			setTimeout(this.#whenQuiet, Math.max(1, Math.ceil(wait)));
			return;
		}
		this.#run();
	};

	readonly #run = (): void => {
		this.#scheduled = false;
		this.#running = true;
		this.#commit()
			.catch((error) => log('commit.bug', { error: errorText(error) }))
			.finally(() => {
				this.#running = false;
				this.#kick();
			});
	};

	async #commit(): Promise<void> {
		const ready = [...this.#dirty].filter((room) => !this.#apart.has(room));
		for (const room of ready) this.#dirty.delete(room);
		const large = this.#store.pieceBytes ?? Infinity;
		const batches: { room: Committable; entry: AppendEntry; updates: number }[] = [];
		for (const room of ready) {
			const { updates, records } = room.takeBatch();
			if (updates.length === 0) continue;
			const data = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
			const entry = { doc: room.name, data, records };
			if (data.byteLength > large) this.#storeApart(room, entry, updates.length);
			else batches.push({ room, entry, updates: updates.length });
		}
		if (batches.length === 0) return;
		let ids: number[];
		try {
			ids = await this.#store.appendBatch(batches.map((batch) => batch.entry));
		} catch (error) {
			log('storage.failed', {
				docs: batches.map((b) => b.room.name).join(','),
				updates: batches.reduce((n, b) => n + b.updates, 0),
				error: errorText(error)
			});
			for (const { room } of batches) room.commitFailed(error);
			return;
		}
		batches.forEach(({ room }, i) => this.#tell(room, [ids[i]!]));
	}

	/**
	 * Stores one room's large batch on its own, in the store's steps, while other rooms keep
	 * committing; the room is not taken again until it is stored.
	 */
	#storeApart(room: Committable, entry: AppendEntry, updates: number): void {
		this.#apart.add(room);
		this.#store
			.appendBatch([entry])
			.then(
				(ids) => this.#tell(room, ids),
				(error: unknown) => {
					log('storage.failed', { docs: room.name, updates, error: errorText(error) });
					room.commitFailed(error);
				}
			)
			.finally(() => {
				this.#apart.delete(room);
				this.#kick();
			});
	}

	#tell(room: Committable, ids: number[]): void {
		try {
			room.committed(ids);
		} catch (error) {
			log('commit.relay_failed', { doc: room.name, error: errorText(error) });
		}
	}
}
