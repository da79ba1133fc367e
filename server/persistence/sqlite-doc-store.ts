import type { Db } from '../db.ts';
import type { AppendEntry, DocStats, DocStore, StoredDoc } from './doc-store.ts';

/** DocStore over the `docs` and `updates` tables. better-sqlite3 is synchronous, so every call
 * runs in one go and the returned promise is already settled. */
export class SqliteDocStore implements DocStore {
	readonly #selectSnapshot;
	readonly #selectUpdates;
	readonly #insertUpdate;
	readonly #upsertSnapshot;
	readonly #deleteUpdates;
	readonly #selectStats;
	readonly #appendAll;
	readonly #compact;

	constructor(db: Db) {
		this.#selectSnapshot = db.prepare<[string], { snapshot: Buffer | null }>(
			'SELECT snapshot FROM docs WHERE name = ?'
		);
		this.#selectUpdates = db.prepare<[string], { id: number; data: Buffer }>(
			'SELECT id, data FROM updates WHERE doc = ? ORDER BY id'
		);
		this.#insertUpdate = db.prepare<[string, Buffer]>(
			'INSERT INTO updates (doc, data) VALUES (?, ?)'
		);
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
		this.#appendAll = db.transaction((entries: AppendEntry[]) =>
			entries.map((entry) =>
				Number(this.#insertUpdate.run(entry.doc, toBuffer(entry.data)).lastInsertRowid)
			)
		);
		this.#compact = db.transaction((name: string, snapshot: Uint8Array, upToId: number) => {
			this.#upsertSnapshot.run(
				name,
				toBuffer(snapshot),
				snapshot.byteLength,
				new Date().toISOString()
			);
			this.#deleteUpdates.run(name, upToId);
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
		if (entries.length === 0) return [];
		return this.#appendAll.immediate(entries);
	}

	async compact(name: string, snapshot: Uint8Array, upToId: number): Promise<void> {
		this.#compact.immediate(name, snapshot, upToId);
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
