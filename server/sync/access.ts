import type { SessionStore } from '../auth/sessions.ts';
import type { Connection } from './connection.ts';

/** How often sockets are pinged and their sessions checked for expiry. */
const HEARTBEAT_MS = 30_000;

/**
 * Every open connection, by user, so that a change to a user (role, county, password, deletion,
 * sign-out) reaches their open sockets at once.
 */
export class ConnectionIndex {
	readonly #sessions: SessionStore;
	readonly #byUser = new Map<string, Set<Connection>>();
	readonly #heartbeat: NodeJS.Timeout;

	constructor(sessions: SessionStore) {
		this.#sessions = sessions;
		this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
		this.#heartbeat.unref();
	}

	get size(): number {
		let n = 0;
		for (const set of this.#byUser.values()) n += set.size;
		return n;
	}

	/** Open connections of one user. */
	countOf(username: string): number {
		return this.#byUser.get(username)?.size ?? 0;
	}

	add(connection: Connection): void {
		let set = this.#byUser.get(connection.username);
		if (!set) this.#byUser.set(connection.username, (set = new Set()));
		set.add(connection);
	}

	remove(connection: Connection): void {
		const set = this.#byUser.get(connection.username);
		if (!set?.delete(connection)) return;
		if (set.size === 0) this.#byUser.delete(connection.username);
	}

	/** Re-reads the session of each of the user's connections and applies what changed. */
	userChanged(username: string): void {
		for (const connection of [...(this.#byUser.get(username) ?? [])]) {
			connection.refreshAccess(this.#sessions.fromHash(connection.tokenHash));
		}
	}

	closeAll(code: number, reason: string): void {
		clearInterval(this.#heartbeat);
		for (const set of [...this.#byUser.values()]) {
			for (const connection of [...set]) connection.close(code, reason);
		}
	}

	/** Pings every socket and re-reads its session, so changes made elsewhere (the users CLI)
	 * reach open connections within one beat. */
	#beat(): void {
		const now = Date.now();
		for (const set of [...this.#byUser.values()]) {
			for (const connection of [...set]) {
				connection.refreshAccess(this.#sessions.fromHash(connection.tokenHash));
				connection.heartbeat(now);
			}
		}
	}
}
