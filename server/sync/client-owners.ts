import type { Db } from '../db.ts';
import type { ClientOwners } from './guard.ts';

/**
 * Owners of Yjs client ids, in the `client_ids` table: the first account that writes with an id
 * owns it on this server. Another account's items under it would take clocks the owner will
 * use, and the owner's own later edits would then be acknowledged (the server has those clocks)
 * but never stored.
 */
export class SqliteClientOwners implements ClientOwners {
	readonly #cache = new Map<number, string>();
	readonly #select;
	readonly #insert;

	constructor(db: Db) {
		this.#select = db
			.prepare<[number], string>('SELECT account FROM client_ids WHERE client = ?')
			.pluck();
		this.#insert = db.prepare<[number, string, string]>(
			'INSERT OR IGNORE INTO client_ids (client, account, first_at) VALUES (?, ?, ?)'
		);
	}

	ownerOf(client: number): string | null {
		let owner = this.#cache.get(client);
		if (owner === undefined) {
			owner = this.#select.get(client);
			if (owner === undefined) return null;
			this.#cache.set(client, owner);
		}
		return owner;
	}

	claim(clients: Iterable<number>, account: string): void {
		const now = new Date().toISOString();
		for (const client of clients) {
			if (this.ownerOf(client) !== null) continue;
			this.#insert.run(client, account, now);
			this.#cache.set(client, account);
		}
	}
}

/** The same in memory, for rooms without a database (tests, tools). */
export class MemoryClientOwners implements ClientOwners {
	readonly #owners = new Map<number, string>();

	ownerOf(client: number): string | null {
		return this.#owners.get(client) ?? null;
	}

	claim(clients: Iterable<number>, account: string): void {
		for (const client of clients) if (!this.#owners.has(client)) this.#owners.set(client, account);
	}
}
