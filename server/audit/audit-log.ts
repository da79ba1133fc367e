import type { Db } from '../db.ts';
import type { ChangeKind, FieldChange } from './diff.ts';

/** A change as the server attributes it: who (account), when, in which doc. */
export interface AuditRecord extends FieldChange {
	/** ISO 8601 in UTC as `Date.toISOString()` writes it (so text order is time order). */
	at: string;
	/** The username of the session whose update made the change. */
	account: string;
	doc: string;
}

/** A stored record with its row id. */
export interface AuditEntry extends AuditRecord {
	id: number;
}

/** Consecutive edits of one field by one account within this time are one record. */
export const COALESCE_MS = 10 * 60 * 1000;

/** The most records a problem's history answers with (the newest). */
export const HISTORY_LIMIT = 2000;

interface Row {
	id: number;
	at: string;
	account: string;
	doc: string;
	problem: string | null;
	field: string;
	kind: string;
	old: string | null;
	new: string | null;
}

const toEntry = (row: Row): AuditEntry => ({ ...row, kind: row.kind as ChangeKind });

/** The audit trail in SQLite; written only by the server's sync path, never by clients. */
export class AuditLog {
	readonly #insert;
	readonly #last;
	readonly #extend;
	readonly #forProblem;
	readonly #between;

	constructor(db: Db) {
		this.#insert = db.prepare<
			[string, string, string, string | null, string, string, string | null, string | null]
		>(
			'INSERT INTO audit (at, account, doc, problem, field, kind, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
		);
		this.#last = db.prepare<[string, string | null], Row>(
			'SELECT * FROM audit WHERE doc = ? AND problem IS ? ORDER BY id DESC LIMIT 1'
		);
		this.#extend = db.prepare<[string, string | null, number]>(
			'UPDATE audit SET at = ?, new = ? WHERE id = ?'
		);
		this.#forProblem = db.prepare<[string, string, number], Row>(
			'SELECT * FROM audit WHERE doc = ? AND problem = ? ORDER BY id DESC LIMIT ?'
		);
		this.#between = db.prepare<[string, string], Row>(
			'SELECT * FROM audit WHERE at >= ? AND at < ? ORDER BY at, id'
		);
	}

	/**
	 * Stores records; called inside the transaction that stores the update. Typing makes one
	 * update per keystroke, so an 'edited' record that continues the problem's last record (same
	 * field, same account, starting from the text it ended with, within COALESCE_MS of it) moves
	 * that row's `new` and `at` forward and keeps its `old`: the record reads "from what it was to
	 * what it became". The text check keeps edits of two different measures apart.
	 */
	record(records: AuditRecord[]): void {
		for (const r of records) {
			if (r.kind === 'edited') {
				const last = this.#last.get(r.doc, r.problem);
				if (
					last &&
					last.kind === 'edited' &&
					last.field === r.field &&
					last.account === r.account &&
					last.new === r.old &&
					Date.parse(r.at) - Date.parse(last.at) <= COALESCE_MS &&
					Date.parse(r.at) >= Date.parse(last.at)
				) {
					this.#extend.run(r.at, r.new, last.id);
					continue;
				}
			}
			this.#insert.run(r.at, r.account, r.doc, r.problem, r.field, r.kind, r.old, r.new);
		}
	}

	/** One problem's history, newest first (at most HISTORY_LIMIT records). */
	forProblem(doc: string, problem: string): AuditEntry[] {
		return this.#forProblem.all(doc, problem, HISTORY_LIMIT).map(toEntry);
	}

	/**
	 * Every record with `from <= at < to` (ISO UTC), oldest first, read lazily. The connection
	 * cannot write while this is open: consume it synchronously.
	 */
	*between(from: string, to: string): Iterable<AuditEntry> {
		for (const row of this.#between.iterate(from, to)) yield toEntry(row);
	}
}
