import type { AuditRecord } from '../audit/audit-log.ts';
import type { Db } from '../db.ts';

/** Where the audit records that come with appended updates are written (same transaction). */
export interface AuditSink {
	record(records: AuditRecord[]): void;
}
import { createHash } from 'node:crypto';
import { errorText, log } from '../log.ts';
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
	/** The row's own bytes (a Buffer from SQLite), or the value read from its pieces. */
	snapshot: Uint8Array | null;
	checksum: string | null;
	upTo: number;
	/** The `blobs` entry holding the snapshot in pieces, or null when `snapshot` holds it. */
	blob: number | null;
}

/**
 * Values larger than this are stored in pieces of this size (migration 5 in db.ts), one small
 * transaction each with a step of the event loop between them, and read back the same way: a
 * 13 MB snapshot written or read in one statement held the loop 60–340 ms (docs/security.md,
 * 13j). 256 KiB is 256 pages of 1 KiB, a write of a few milliseconds.
 */
export const PIECE_BYTES = 256 * 1024;

/** A large value written in pieces, not yet named by any row. */
interface Staged {
	blob: number;
	checksum: string;
}

/** Lets other work run between the pieces of a large value. */
const nextStep = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** True when the bytes match the checksum stored with them (NULL: written before checksums). */
const intact = (bytes: Uint8Array, checksum: string | null): boolean =>
	checksum === null || checksumOf(bytes) === checksum;

/** DocStore over the `docs` and `updates` tables (`updates` keyed by (doc, id), see the second
 * migration in db.ts). better-sqlite3 is synchronous: small values are written and read in one
 * go; values over PIECE_BYTES in pieces, one step each (`blobs`, migration 5). Every snapshot
 * and row carries the SHA-256 of its bytes, checked on load: a damaged row is left out, a
 * damaged snapshot is replaced by the previous snapshot and the rows kept after it (step 4 in
 * db.ts), and each is logged and reported. */
export class SqliteDocStore implements DocStore {
	readonly pieceBytes = PIECE_BYTES;
	readonly #db: Db;
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
	readonly #insertBlob;
	readonly #insertPiece;
	readonly #selectBlobBytes;
	readonly #selectPiece;
	readonly #dropBlob;
	readonly #selectLoosePiece;
	readonly #deletePiece;
	/** Docs whose current snapshot is damaged: a compaction must not keep it as the previous. */
	readonly #damagedSnapshots = new Set<string>();
	/** What was found damaged, per doc, until the doc is compacted or replaced. */
	readonly #damage = new Map<string, string[]>();
	/** Set while loose pieces are being freed. */
	#sweeping = false;

	constructor(db: Db, audit: AuditSink | null = null) {
		this.#db = db;
		this.#selectSnapshot = db.prepare<[string], SnapshotRow>(
			`SELECT snapshot, snapshot_checksum AS checksum, snapshot_up_to AS upTo,
			   snapshot_blob AS blob
			 FROM docs WHERE name = ?`
		);
		this.#selectPrevious = db.prepare<[string], SnapshotRow>(
			'SELECT snapshot, checksum, up_to AS upTo, blob FROM previous_snapshots WHERE doc = ?'
		);
		this.#selectUpdates = db.prepare<
			[string, number],
			{ id: number; data: Buffer; checksum: string | null; blob: number | null }
		>('SELECT id, data, checksum, blob FROM updates WHERE doc = ? AND id > ? ORDER BY id');
		this.#insertUpdate = db.prepare<[string, number, Buffer, string, number | null]>(
			'INSERT INTO updates (doc, id, data, checksum, blob) VALUES (?, ?, ?, ?, ?)'
		);
		this.#selectLastId = db
			.prepare<[string], number | null>('SELECT MAX(id) FROM updates WHERE doc = ?')
			.pluck();
		this.#upsertSnapshot = db.prepare<
			[string, Buffer | null, number, string, string, number, number | null]
		>(
			`INSERT INTO docs (name, snapshot, snapshot_bytes, updated_at, snapshot_checksum,
			   snapshot_up_to, snapshot_blob)
			 VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT(name) DO UPDATE SET snapshot = excluded.snapshot,
			   snapshot_bytes = excluded.snapshot_bytes, updated_at = excluded.updated_at,
			   snapshot_checksum = excluded.snapshot_checksum, snapshot_up_to = excluded.snapshot_up_to,
			   snapshot_blob = excluded.snapshot_blob`
		);
		// Pieces: a `blobs` entry is made first, so pieces never lack one while they are written;
		// pieces whose entry is gone are loose and freed by `#sweep`.
		this.#insertBlob = db.prepare<[number]>('INSERT INTO blobs (bytes) VALUES (?)');
		this.#insertPiece = db.prepare<[number, number, Buffer]>(
			'INSERT INTO blob_pieces (blob, n, data) VALUES (?, ?, ?)'
		);
		this.#selectBlobBytes = db
			.prepare<[number], number>('SELECT bytes FROM blobs WHERE id = ?')
			.pluck();
		this.#selectPiece = db
			.prepare<[number, number], Buffer>('SELECT data FROM blob_pieces WHERE blob = ? AND n = ?')
			.pluck();
		this.#dropBlob = db.prepare<[number | null]>('DELETE FROM blobs WHERE id = ?');
		this.#selectLoosePiece = db.prepare<[], { blob: number; n: number }>(
			`SELECT blob, n FROM blob_pieces WHERE blob NOT IN (SELECT id FROM blobs) LIMIT 1`
		);
		this.#deletePiece = db.prepare<[number, number]>(
			'DELETE FROM blob_pieces WHERE blob = ? AND n = ?'
		);
		const selectPreviousBlob = db
			.prepare<[string], number | null>('SELECT blob FROM previous_snapshots WHERE doc = ?')
			.pluck();
		const selectCurrentBlob = db
			.prepare<[string], number | null>('SELECT snapshot_blob FROM docs WHERE name = ?')
			.pluck();
		const keepAsPrevious = db.prepare<[string]>(
			`INSERT INTO previous_snapshots (doc, snapshot, checksum, up_to, blob)
			 SELECT name, COALESCE(snapshot, x''), snapshot_checksum, snapshot_up_to, snapshot_blob
			 FROM docs
			 WHERE name = ? AND (snapshot IS NOT NULL OR snapshot_blob IS NOT NULL)
			 ON CONFLICT(doc) DO UPDATE SET snapshot = excluded.snapshot,
			   checksum = excluded.checksum, up_to = excluded.up_to, blob = excluded.blob`
		);
		// Rows the previous snapshot holds; the ones after it stay (they rebuild the current).
		const upToPrevious = `COALESCE((SELECT up_to FROM previous_snapshots WHERE doc = ?), 0)`;
		const dropUpdateBlobs = db.prepare<[string, string]>(
			`DELETE FROM blobs WHERE id IN (SELECT blob FROM updates
			 WHERE doc = ? AND blob IS NOT NULL AND id <= ${upToPrevious})`
		);
		const deleteUpdates = db.prepare<[string, string]>(
			`DELETE FROM updates WHERE doc = ? AND id <= ${upToPrevious}`
		);
		this.#selectStats = db.prepare<
			[string, string],
			{ snapshotBytes: number | null; updateRows: number; updateBytes: number | null }
		>(
			`SELECT (SELECT snapshot_bytes FROM docs WHERE name = ?) AS snapshotBytes,
			   COUNT(*) AS updateRows,
			   SUM(COALESCE((SELECT bytes FROM blobs WHERE id = updates.blob), LENGTH(data)))
			     AS updateBytes
			 FROM updates WHERE doc = ?`
		);
		// Ids are per doc: one more than the doc's last row (a read of the leaf page the insert
		// writes anyway). The rows the current snapshot holds are kept until the next compaction,
		// so ids never fall back to or below the snapshot's `up_to`.
		this.#appendAll = db.transaction(
			(entries: AppendEntry[], staged: ReadonlyMap<number, Staged>) => {
				const next = new Map<string, number>();
				return entries.map((entry, i) => {
					const id = (next.get(entry.doc) ?? this.#selectLastId.get(entry.doc) ?? 0) + 1;
					next.set(entry.doc, id);
					const piece = staged.get(i);
					if (piece) {
						this.#claim(piece);
						this.#insertUpdate.run(entry.doc, id, EMPTY, piece.checksum, piece.blob);
					} else {
						const data = toBuffer(entry.data);
						this.#insertUpdate.run(entry.doc, id, data, checksumOf(data), null);
					}
					if (audit && entry.records && entry.records.length > 0) audit.record(entry.records);
					return id;
				});
			}
		);
		this.#compact = db.transaction(
			(name: string, snapshot: Uint8Array, upToId: number, staged: Staged | null) => {
				if (staged) this.#claim(staged);
				if (this.#damagedSnapshots.has(name)) {
					// The damaged snapshot is dropped, not kept as the previous one.
					this.#dropBlob.run(selectCurrentBlob.get(name) ?? null);
				} else {
					const current = selectCurrentBlob.get(name) ?? null;
					const previous = selectPreviousBlob.get(name) ?? null;
					if (previous !== null && previous !== current) this.#dropBlob.run(previous);
					keepAsPrevious.run(name);
				}
				const data = staged ? null : toBuffer(snapshot);
				this.#upsertSnapshot.run(
					name,
					data,
					snapshot.byteLength,
					new Date().toISOString(),
					staged ? staged.checksum : checksumOf(data!),
					upToId,
					staged ? staged.blob : null
				);
				dropUpdateBlobs.run(name, name);
				deleteUpdates.run(name, name);
			}
		);
		this.#selectNames = db.prepare<[], { name: string }>(
			'SELECT name FROM docs UNION SELECT DISTINCT doc AS name FROM updates ORDER BY name'
		);
		const dropAllBlobs = db.prepare<[string, string, string]>(
			`DELETE FROM blobs WHERE id IN (
			   SELECT blob FROM updates WHERE doc = ? AND blob IS NOT NULL
			   UNION SELECT blob FROM previous_snapshots WHERE doc = ? AND blob IS NOT NULL
			   UNION SELECT snapshot_blob FROM docs WHERE name = ? AND snapshot_blob IS NOT NULL)`
		);
		const deleteAllUpdates = db.prepare<[string]>('DELETE FROM updates WHERE doc = ?');
		const deletePrevious = db.prepare<[string]>('DELETE FROM previous_snapshots WHERE doc = ?');
		this.#replace = db.transaction((docs: ReplacedDoc[], alongside?: () => void) => {
			const now = new Date().toISOString();
			for (const doc of docs) {
				dropAllBlobs.run(doc.name, doc.name, doc.name);
				deleteAllUpdates.run(doc.name);
				deletePrevious.run(doc.name);
				const data = toBuffer(doc.state);
				this.#upsertSnapshot.run(
					doc.name,
					data,
					doc.state.byteLength,
					now,
					checksumOf(data),
					0,
					null
				);
			}
			alongside?.();
		});
	}

	/**
	 * After a crash: `blobs` entries no row names (pieces written for a row that was never
	 * stored) are dropped and their pieces freed. Call once at start, before serving, by the
	 * process that holds the data directory's lock (a staging in progress is also unnamed).
	 */
	dropUnnamedBlobs(): number {
		const dropped = this.#db
			.prepare(
				`DELETE FROM blobs WHERE id NOT IN (SELECT blob FROM updates WHERE blob IS NOT NULL)
				 AND id NOT IN (SELECT snapshot_blob FROM docs WHERE snapshot_blob IS NOT NULL)
				 AND id NOT IN (SELECT blob FROM previous_snapshots WHERE blob IS NOT NULL)`
			)
			.run().changes;
		this.#sweep();
		return dropped;
	}

	async load(name: string): Promise<StoredDoc> {
		const damaged: DamagedPiece[] = [];
		const base = await this.#verifiedBase(name, damaged);
		const updates: Uint8Array[] = [];
		let lastId = base.upTo;
		for (const row of this.#selectUpdates.all(name, base.upTo)) {
			lastId = row.id;
			// A row's own bytes are copied (as before pieces); a value read from pieces is new.
			const data = row.blob === null ? new Uint8Array(row.data) : await this.#readBlob(row.blob);
			if (data && intact(data, row.checksum)) {
				updates.push(data);
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
			// The row's own bytes are copied out of SQLite's Buffer; a value read from pieces is
			// already a new array (copying 13 MB again would be a step of its own).
			snapshot:
				base.snapshot === null
					? null
					: base.blob === null
						? new Uint8Array(base.snapshot)
						: base.snapshot,
			updates,
			lastId,
			damaged
		};
	}

	/** The current snapshot if intact, else the previous one (the rows after it rebuild it). */
	async #verifiedBase(name: string, damaged: DamagedPiece[]): Promise<SnapshotRow> {
		const current = await this.#withBytes(this.#selectSnapshot.get(name));
		if (!current || (current.snapshot === null && current.blob === null)) {
			return { snapshot: null, checksum: null, upTo: current?.upTo ?? 0, blob: null };
		}
		if (current.snapshot && intact(current.snapshot, current.checksum)) {
			this.#damagedSnapshots.delete(name);
			return current;
		}
		// Damaged: its bytes do not match, or pieces of it are missing.
		this.#damagedSnapshots.add(name);
		const previous = await this.#withBytes(this.#selectPrevious.get(name));
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

	/** The row with its snapshot read from its pieces when it has them (null when any is missing). */
	async #withBytes(row: SnapshotRow | undefined): Promise<SnapshotRow | undefined> {
		if (!row || row.blob === null) return row;
		return { ...row, snapshot: await this.#readBlob(row.blob) };
	}

	/**
	 * A value stored in pieces, read one piece per step; null when its entry or a piece is
	 * missing (then it cannot match its checksum either).
	 */
	async #readBlob(blob: number): Promise<Uint8Array | null> {
		const bytes = this.#selectBlobBytes.get(blob);
		if (bytes === undefined) return null;
		const value = new Uint8Array(bytes);
		let filled = 0;
		for (let n = 0; filled < bytes; n++) {
			const piece = this.#selectPiece.get(blob, n);
			if (!piece || filled + piece.byteLength > bytes) return null;
			value.set(piece, filled);
			filled += piece.byteLength;
			if (filled < bytes) await nextStep();
		}
		return value;
	}

	/**
	 * Writes a large value as pieces, each its own small transaction, computing its checksum
	 * as it goes. Nothing names it yet: a crash leaves an unnamed entry `dropUnnamedBlobs`
	 * removes at the next start; a failure here drops it at once.
	 */
	async #stage(value: Uint8Array): Promise<Staged> {
		const blob = Number(this.#insertBlob.run(value.byteLength).lastInsertRowid);
		try {
			const hash = createHash('sha256');
			for (let n = 0, at = 0; at < value.byteLength; n++, at += PIECE_BYTES) {
				const piece = value.subarray(at, at + PIECE_BYTES);
				hash.update(piece);
				this.#insertPiece.run(blob, n, toBuffer(piece));
				await nextStep();
			}
			return { blob, checksum: hash.digest('hex') };
		} catch (error) {
			this.#release(blob);
			throw error;
		}
	}

	/** Inside the transaction that names a staged value: it must still be there. */
	#claim(staged: Staged): void {
		if (this.#selectBlobBytes.get(staged.blob) === undefined) {
			throw new Error(`stored pieces ${staged.blob} went missing before they were named`);
		}
	}

	/** Drops a staged value that will not be named (its write failed). */
	#release(blob: number): void {
		try {
			this.#dropBlob.run(blob);
			this.#sweep();
		} catch (error) {
			// Left unnamed: the next start drops it.
			log('storage.release_failed', { blob, error: errorText(error) });
		}
	}

	/** Frees the pieces of dropped values, one piece per step, in the background. */
	#sweep(): void {
		if (this.#sweeping) return;
		this.#sweeping = true;
		const step = (): void => {
			try {
				const loose = this.#db.open ? this.#selectLoosePiece.get() : undefined;
				if (!loose) {
					this.#sweeping = false;
					return;
				}
				this.#deletePiece.run(loose.blob, loose.n);
				setImmediate(step).unref();
			} catch (error) {
				// Tried again after the next compaction, or at the next start.
				this.#sweeping = false;
				log('storage.sweep_failed', { error: errorText(error) });
			}
		};
		setImmediate(step).unref();
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

	/** Large values are first written in pieces, a step each; then every row in one transaction. */
	async appendBatch(entries: AppendEntry[]): Promise<number[]> {
		if (entries.length === 0) return [];
		const staged = new Map<number, Staged>();
		try {
			for (const [i, entry] of entries.entries()) {
				if (entry.data.byteLength > PIECE_BYTES) staged.set(i, await this.#stage(entry.data));
			}
			return this.#appendAll.immediate(entries, staged);
		} catch (error) {
			for (const piece of staged.values()) this.#release(piece.blob);
			throw error;
		}
	}

	appendNow(entries: AppendEntry[]): number[] {
		if (entries.length === 0) return [];
		return this.#appendAll.immediate(entries, NONE_STAGED);
	}

	async compact(name: string, snapshot: Uint8Array, upToId: number): Promise<void> {
		const staged = snapshot.byteLength > PIECE_BYTES ? await this.#stage(snapshot) : null;
		try {
			this.#compact.immediate(name, snapshot, upToId, staged);
		} catch (error) {
			if (staged) this.#release(staged.blob);
			throw error;
		}
		this.#sweep();
		// The doc is stored anew from the state it was served with.
		this.#damagedSnapshots.delete(name);
		this.#damage.delete(name);
	}

	async listDocNames(): Promise<string[]> {
		return this.#selectNames.all().map((row) => row.name);
	}

	async replaceDocs(docs: ReplacedDoc[], alongside?: () => void): Promise<void> {
		this.#replace.immediate(docs, alongside);
		this.#sweep();
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

const EMPTY = Buffer.alloc(0);
const NONE_STAGED: ReadonlyMap<number, Staged> = new Map();

const toBuffer = (bytes: Uint8Array): Buffer =>
	Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
