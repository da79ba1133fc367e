import type { Db } from '../db.ts';
import type { FieldChange } from './diff.ts';

export interface AuditRecord extends FieldChange {
	at: string;
	account: string;
	doc: string;
}

export class AuditLog {
	readonly #insert;

	constructor(db: Db) {
		this.#insert = db.prepare(
			'INSERT INTO audit (at, account, doc, problem, field, kind, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
		);
	}

	record(records: AuditRecord[]): void {
		for (const r of records) {
			this.#insert.run(r.at, r.account, r.doc, r.problem, r.field, r.kind, r.old, r.new);
		}
	}
}
