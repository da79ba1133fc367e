import { errorText, log } from '../log.ts';
import type { DocStore } from '../persistence/doc-store.ts';

/** What the committer needs from a room: its queued updates, and where to report the outcome. */
export interface Committable {
	readonly name: string;
	/** Hands over the queued updates; the room treats them as in flight until told the outcome. */
	takeBatch(): Uint8Array[];
	committed(ids: number[]): void;
	commitFailed(error: unknown): void;
}

/**
 * Group commit: every room that queued updates during one tick is written in ONE transaction on
 * the next (setImmediate), and only then told to relay and acknowledge. One commit runs at a time,
 * so row ids follow the order in which updates were applied.
 */
export class Committer {
	readonly #store: DocStore;
	readonly #dirty = new Set<Committable>();
	#scheduled = false;
	#running = false;

	constructor(store: DocStore) {
		this.#store = store;
	}

	schedule(room: Committable): void {
		this.#dirty.add(room);
		this.#kick();
	}

	/** Forgets a room that will not be committed any more (it failed or was dropped). */
	forget(room: Committable): void {
		this.#dirty.delete(room);
	}

	#kick(): void {
		if (this.#scheduled || this.#running || this.#dirty.size === 0) return;
		this.#scheduled = true;
		setImmediate(() => {
			this.#scheduled = false;
			this.#running = true;
			this.#commit()
				.catch((error) => log('commit.bug', { error: errorText(error) }))
				.finally(() => {
					this.#running = false;
					this.#kick();
				});
		});
	}

	async #commit(): Promise<void> {
		const batches = [...this.#dirty]
			.map((room) => ({ room, updates: room.takeBatch() }))
			.filter((batch) => batch.updates.length > 0);
		this.#dirty.clear();
		if (batches.length === 0) return;
		const entries = batches.flatMap(({ room, updates }) =>
			updates.map((data) => ({ doc: room.name, data }))
		);
		let ids: number[];
		try {
			ids = await this.#store.appendBatch(entries);
		} catch (error) {
			log('storage.failed', {
				docs: batches.map((b) => b.room.name).join(','),
				updates: entries.length,
				error: errorText(error)
			});
			for (const { room } of batches) room.commitFailed(error);
			return;
		}
		let offset = 0;
		for (const { room, updates } of batches) {
			const roomIds = ids.slice(offset, offset + updates.length);
			offset += updates.length;
			try {
				room.committed(roomIds);
			} catch (error) {
				log('commit.relay_failed', { doc: room.name, error: errorText(error) });
			}
		}
	}
}
