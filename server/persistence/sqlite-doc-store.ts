import type { AuditRecord } from '../audit/audit-log.ts';
import type { Db } from '../db.ts';

/** Where the audit records that come with appended updates are written (same transaction). */
export interface AuditSink {
	record(records: AuditRecord[]): void;
}
import type { AppendEntry, DocStats, DocStore, ReplacedDoc, StoredDoc } from './doc-store.ts';

/** DocStore over the `docs` and `updates` tables (`updates` keyed by (doc, id), see the second
 * migration in db.ts). better-sqlite3 is synchronous, so every call runs in one go and the
 * returned promise is already settled. */
export class SqliteDocStore implements DocStore {
	readonly #selectSnapshot;
	readonly #selectUpdates;
	readonly #insertUpdate;
	readonly #selectLastId;
	readonly #upsertSnapshot;
	readonly #deleteUpdates;
	readonly #selectStats;
	readonly #appendAll;
	readonly #compact;
	readonly #selectNames;
	readonly #replace;

	constructor(db: Db, audit: AuditSink | null = null) {
		this.#selectSnapshot = db.prepare<[string], { snapshot: Buffer | null }>(
			'SELECT snapshot FROM docs WHERE name = ?'
		);
		this.#selectUpdates = db.prepare<[string], { id: number; data: Buffer }>(
			'SELECT id, data FROM updates WHERE doc = ? ORDER BY id'
		);
		this.#insertUpdate = db.prepare<[string, number, Buffer]>(
			'INSERT INTO updates (doc, id, data) VALUES (?, ?, ?)'
		);
		this.#selectLastId = db
			.prepare<[string], number | null>('SELECT MAX(id) FROM updates WHERE doc = ?')
			.pluck();
		this.#upsertSnapshot = db.prepare<[string, Buffer, number, string]>(
			`INSERT INTO docs (name, snapshot, snapshot_bytes, updated_at) VALUES (?, ?, ?, ?)
			 ON CONFLICT(name) DO UPDATE SET snapshot = excluded.snapshot,
			   snapshot_bytes = excluded.snapshot_bytes, updated_at = excluded.updated_at`
		);
		this.#deleteUpdates = db.prepare<[string, number]>(
			'DELETE FROM updates WHERE doc = ? AND id <= ?'
		);
		this.#selectStats = db.prepare<
			[string, string],
			{ snapshotBytes: number | null; updateRows: number; updateBytes: number | null }
		>(
			`SELECT (SELECT snapshot_bytes FROM docs WHERE name = ?) AS snapshotBytes,
			   COUNT(*) AS updateRows, SUM(LENGTH(data)) AS updateBytes
			 FROM updates WHERE doc = ?`
		);
		// Ids are per doc: one more than the doc's last row (a read of the leaf page the insert
		// writes anyway). After a compaction that deleted every row they start again at 1, which
		// keeps them increasing among the rows that exist.
		this.#appendAll = db.transaction((entries: AppendEntry[]) => {
			const next = new Map<string, number>();
			return entries.map((entry) => {
				const id = (next.get(entry.doc) ?? this.#selectLastId.get(entry.doc) ?? 0) + 1;
				next.set(entry.doc, id);
				this.#insertUpdate.run(entry.doc, id, toBuffer(entry.data));
				if (audit && entry.records && entry.records.length > 0) audit.record(entry.records);
				return id;
			});
		});
		this.#compact = db.transaction((name: string, snapshot: Uint8Array, upToId: number) => {
			this.#upsertSnapshot.run(
				name,
				toBuffer(snapshot),
				snapshot.byteLength,
				new Date().toISOString()
			);
			this.#deleteUpdates.run(name, upToId);
		});
		this.#selectNames = db.prepare<[], { name: string }>(
			'SELECT name FROM docs UNION SELECT DISTINCT doc AS name FROM updates ORDER BY name'
		);
		const deleteAllUpdates = db.prepare<[string]>('DELETE FROM updates WHERE doc = ?');
		this.#replace = db.transaction((docs: ReplacedDoc[], alongside?: () => void) => {
			const now = new Date().toISOString();
			for (const doc of docs) {
				deleteAllUpdates.run(doc.name);
				this.#upsertSnapshot.run(doc.name, toBuffer(doc.state), doc.state.byteLength, now);
			}
			alongside?.();
		});
	}

	async load(name: string): Promise<StoredDoc> {
		const row = this.#selectSnapshot.get(name);
		const rows = this.#selectUpdates.all(name);
		return {
			snapshot: row?.snapshot ? new Uint8Array(row.snapshot) : null,
			updates: rows.map((r) => new Uint8Array(r.data)),
			lastId: rows.length > 0 ? rows[rows.length - 1]!.id : 0
		};
	}

	async appendBatch(entries: AppendEntry[]): Promise<number[]> {
		return this.appendNow(entries);
	}

	appendNow(entries: AppendEntry[]): number[] {
		if (entries.length === 0) return [];
		return this.#appendAll.immediate(entries);
	}

	async compact(name: string, snapshot: Uint8Array, upToId: number): Promise<void> {
		this.#compact.immediate(name, snapshot, upToId);
	}

	async listDocNames(): Promise<string[]> {
		return this.#selectNames.all().map((row) => row.name);
	}

	async replaceDocs(docs: ReplacedDoc[], alongside?: () => void): Promise<void> {
		this.#replace.immediate(docs, alongside);
	}

	async stats(name: string): Promise<DocStats> {
		const row = this.#selectStats.get(name, name);
		return {
			snapshotBytes: row?.snapshotBytes ?? 0,
			updateRows: row?.updateRows ?? 0,
			updateBytes: row?.updateBytes ?? 0
		};
	}
}

const toBuffer = (bytes: Uint8Array): Buffer =>
	Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
