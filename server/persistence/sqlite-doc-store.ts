import type { AuditRecord } from '../audit/audit-log.ts';
import type { Db } from '../db.ts';

/** Where the audit records that come with appended updates are written (same transaction). */
export interface AuditSink {
	record(records: AuditRecord[]): void;
}
import { log } from '../log.ts';
import { checksumOf } from './checksum.ts';
import {
	DamagedDocError,
	type AppendEntry,
	type DamagedPiece,
	type DocStats,
	type DocStore,
	type ReplacedDoc,
	type StoredDoc
} from './doc-store.ts';

interface SnapshotRow {
	snapshot: Buffer | null;
	checksum: string | null;
	upTo: number;
}

/** True when the bytes match the checksum stored with them (NULL: written before checksums). */
const intact = (bytes: Buffer, checksum: string | null): boolean =>
	checksum === null || checksumOf(bytes) === checksum;

/** DocStore over the `docs` and `updates` tables (`updates` keyed by (doc, id), see the second
 * migration in db.ts). better-sqlite3 is synchronous, so every call runs in one go and the
 * returned promise is already settled. Every snapshot and row carries the SHA-256 of its bytes,
 * checked on load: a damaged row is left out, a damaged snapshot is replaced by the previous
 * snapshot and the rows kept after it (step 4 in db.ts), and each is logged and reported. */
export class SqliteDocStore implements DocStore {
	readonly #selectSnapshot;
	readonly #selectPrevious;
	readonly #selectUpdates;
	readonly #insertUpdate;
	readonly #selectLastId;
	readonly #upsertSnapshot;
	readonly #selectStats;
	readonly #appendAll;
	readonly #compact;
	readonly #selectNames;
	readonly #replace;
	/** Docs whose current snapshot is damaged: a compaction must not keep it as the previous. */
	readonly #damagedSnapshots = new Set<string>();
	/** What was found damaged, per doc, until the doc is compacted or replaced. */
	readonly #damage = new Map<string, string[]>();

	constructor(db: Db, audit: AuditSink | null = null) {
		this.#selectSnapshot = db.prepare<[string], SnapshotRow>(
			`SELECT snapshot, snapshot_checksum AS checksum, snapshot_up_to AS upTo
			 FROM docs WHERE name = ?`
		);
		this.#selectPrevious = db.prepare<[string], SnapshotRow>(
			'SELECT snapshot, checksum, up_to AS upTo FROM previous_snapshots WHERE doc = ?'
		);
		this.#selectUpdates = db.prepare<
			[string, number],
			{ id: number; data: Buffer; checksum: string | null }
		>('SELECT id, data, checksum FROM updates WHERE doc = ? AND id > ? ORDER BY id');
		this.#insertUpdate = db.prepare<[string, number, Buffer, string]>(
			'INSERT INTO updates (doc, id, data, checksum) VALUES (?, ?, ?, ?)'
		);
		this.#selectLastId = db
			.prepare<[string], number | null>('SELECT MAX(id) FROM updates WHERE doc = ?')
			.pluck();
		this.#upsertSnapshot = db.prepare<[string, Buffer, number, string, string, number]>(
			`INSERT INTO docs (name, snapshot, snapshot_bytes, updated_at, snapshot_checksum, snapshot_up_to)
			 VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT(name) DO UPDATE SET snapshot = excluded.snapshot,
			   snapshot_bytes = excluded.snapshot_bytes, updated_at = excluded.updated_at,
			   snapshot_checksum = excluded.snapshot_checksum, snapshot_up_to = excluded.snapshot_up_to`
		);
		const keepAsPrevious = db.prepare<[string]>(
			`INSERT INTO previous_snapshots (doc, snapshot, checksum, up_to)
			 SELECT name, snapshot, snapshot_checksum, snapshot_up_to FROM docs
			 WHERE name = ? AND snapshot IS NOT NULL
			 ON CONFLICT(doc) DO UPDATE SET snapshot = excluded.snapshot,
			   checksum = excluded.checksum, up_to = excluded.up_to`
		);
		// Rows the previous snapshot holds; the ones after it stay (they rebuild the current).
		const deleteUpdates = db.prepare<[string, string]>(
			`DELETE FROM updates WHERE doc = ?
			 AND id <= COALESCE((SELECT up_to FROM previous_snapshots WHERE doc = ?), 0)`
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
		// writes anyway). The rows the current snapshot holds are kept until the next compaction,
		// so ids never fall back to or below the snapshot's `up_to`.
		this.#appendAll = db.transaction((entries: AppendEntry[]) => {
			const next = new Map<string, number>();
			return entries.map((entry) => {
				const id = (next.get(entry.doc) ?? this.#selectLastId.get(entry.doc) ?? 0) + 1;
				next.set(entry.doc, id);
				const data = toBuffer(entry.data);
				this.#insertUpdate.run(entry.doc, id, data, checksumOf(data));
				if (audit && entry.records && entry.records.length > 0) audit.record(entry.records);
				return id;
			});
		});
		this.#compact = db.transaction((name: string, snapshot: Uint8Array, upToId: number) => {
			if (!this.#damagedSnapshots.has(name)) keepAsPrevious.run(name);
			const data = toBuffer(snapshot);
			this.#upsertSnapshot.run(
				name,
				data,
				snapshot.byteLength,
				new Date().toISOString(),
				checksumOf(data),
				upToId
			);
			deleteUpdates.run(name, name);
		});
		this.#selectNames = db.prepare<[], { name: string }>(
			'SELECT name FROM docs UNION SELECT DISTINCT doc AS name FROM updates ORDER BY name'
		);
		const deleteAllUpdates = db.prepare<[string]>('DELETE FROM updates WHERE doc = ?');
		const deletePrevious = db.prepare<[string]>('DELETE FROM previous_snapshots WHERE doc = ?');
		this.#replace = db.transaction((docs: ReplacedDoc[], alongside?: () => void) => {
			const now = new Date().toISOString();
			for (const doc of docs) {
				deleteAllUpdates.run(doc.name);
				deletePrevious.run(doc.name);
				const data = toBuffer(doc.state);
				this.#upsertSnapshot.run(doc.name, data, doc.state.byteLength, now, checksumOf(data), 0);
			}
			alongside?.();
		});
	}

	async load(name: string): Promise<StoredDoc> {
		const damaged: DamagedPiece[] = [];
		const base = this.#verifiedBase(name, damaged);
		const updates: Uint8Array[] = [];
		let lastId = base.upTo;
		for (const row of this.#selectUpdates.all(name, base.upTo)) {
			lastId = row.id;
			if (intact(row.data, row.checksum)) {
				updates.push(new Uint8Array(row.data));
			} else {
				damaged.push({
					doc: name,
					row: row.id,
					outcome:
						'left out; clients that still hold this edit send it again when they sync, ' +
						'otherwise restore the board from a backup'
				});
			}
		}
		if (damaged.length > 0) this.#report(name, damaged);
		return {
			snapshot: base.snapshot ? new Uint8Array(base.snapshot) : null,
			updates,
			lastId,
			damaged
		};
	}

	/** The current snapshot if intact, else the previous one (the rows after it rebuild it). */
	#verifiedBase(name: string, damaged: DamagedPiece[]): SnapshotRow {
		const current = this.#selectSnapshot.get(name);
		if (!current?.snapshot) return { snapshot: null, checksum: null, upTo: current?.upTo ?? 0 };
		if (intact(current.snapshot, current.checksum)) {
			this.#damagedSnapshots.delete(name);
			return current;
		}
		this.#damagedSnapshots.add(name);
		const previous = this.#selectPrevious.get(name);
		if (previous?.snapshot && intact(previous.snapshot, previous.checksum)) {
			damaged.push({
				doc: name,
				outcome:
					'the snapshot was left out; the board is served from the previous snapshot and ' +
					'the rows kept after it, which hold the same content'
			});
			return previous;
		}
		const outcome =
			'the snapshot is damaged and no earlier verified copy exists, so the board is not ' +
			'served; restore it from a backup (clients keep their own copies meanwhile)';
		this.#report(name, [{ doc: name, outcome }]);
		throw new DamagedDocError(`Document ${name}: ${outcome}.`);
	}

	#report(name: string, pieces: DamagedPiece[]): void {
		const lines = pieces.map(
			(piece) =>
				`${name} ${piece.row === undefined ? 'snapshot' : `update row ${piece.row}`} does not match its checksum: ${piece.outcome}`
		);
		for (const piece of pieces) {
			log('storage.checksum_mismatch', {
				doc: name,
				piece: piece.row === undefined ? 'snapshot' : `row ${piece.row}`,
				outcome: piece.outcome
			});
		}
		this.#damage.set(name, lines);
	}

	/** Damage found by loads since the start, one plain sentence each (for /healthz). */
	damageReport(): string[] {
		return [...this.#damage.values()].flat();
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
		// The doc is stored anew from the state it was served with.
		this.#damagedSnapshots.delete(name);
		this.#damage.delete(name);
	}

	async listDocNames(): Promise<string[]> {
		return this.#selectNames.all().map((row) => row.name);
	}

	async replaceDocs(docs: ReplacedDoc[], alongside?: () => void): Promise<void> {
		this.#replace.immediate(docs, alongside);
		for (const doc of docs) {
			this.#damagedSnapshots.delete(doc.name);
			this.#damage.delete(doc.name);
		}
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
