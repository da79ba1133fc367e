import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../src/lib/domain/model.ts';
import type { Db } from '../db.ts';
import { rowToUser, type UserRow } from './users.ts';

export const SESSION_COOKIE = 'qd_session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface Session {
	/** sha256 of the token, hex: what the database keeps and what connections remember. */
	tokenHash: string;
	user: User;
	expiresAt: number;
}

export const hashToken = (token: string): string =>
	createHash('sha256').update(token).digest('hex');

/** Server-side sessions: the cookie holds a random token, the database only its hash. */
export class SessionStore {
	readonly #insert;
	readonly #select;
	readonly #delete;
	readonly #deleteForUser;
	readonly #deleteOthers;
	readonly #purge;

	constructor(db: Db) {
		this.#insert = db.prepare<[string, string, number, number]>(
			'INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)'
		);
		this.#select = db.prepare<[string, number], UserRow & { expires_at: number }>(
			`SELECT u.*, s.expires_at FROM sessions s JOIN users u ON u.username = s.username
			 WHERE s.token_hash = ? AND s.expires_at > ?`
		);
		this.#delete = db.prepare<[string], { username: string }>(
			'DELETE FROM sessions WHERE token_hash = ? RETURNING username'
		);
		this.#deleteForUser = db.prepare<[string]>('DELETE FROM sessions WHERE username = ?');
		this.#deleteOthers = db.prepare<[string, string]>(
			'DELETE FROM sessions WHERE username = ? AND token_hash <> ?'
		);
		this.#purge = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
	}

	/** Starts a session; returns the token for the cookie (never stored, never logged). */
	create(username: string): { token: string; expiresAt: number } {
		const token = randomBytes(32).toString('base64url');
		const now = Date.now();
		const expiresAt = now + SESSION_TTL_MS;
		this.#insert.run(hashToken(token), username, now, expiresAt);
		return { token, expiresAt };
	}

	/** The live session for a cookie token, or null. */
	fromToken(token: string | undefined): Session | null {
		if (!token || token.length > 128) return null;
		return this.fromHash(hashToken(token));
	}

	/** The live session with this token hash, or null (expired, logged out, user deleted). */
	fromHash(tokenHash: string): Session | null {
		const row = this.#select.get(tokenHash, Date.now());
		return row ? { tokenHash, user: rowToUser(row), expiresAt: row.expires_at } : null;
	}

	/** Ends one session; returns whose it was. */
	revoke(tokenHash: string): string | null {
		return this.#delete.get(tokenHash)?.username ?? null;
	}

	/** Ends every session of a user, or all but `keepTokenHash`. */
	revokeAll(username: string, keepTokenHash?: string): void {
		if (keepTokenHash) this.#deleteOthers.run(username, keepTokenHash);
		else this.#deleteForUser.run(username);
	}

	purgeExpired(): number {
		return this.#purge.run(Date.now()).changes;
	}
}
