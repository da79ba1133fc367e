import type { AuditRecord } from '../audit/audit-log.ts';

/** What storage holds for one doc: a snapshot and the updates appended after it. */
export interface StoredDoc {
	snapshot: Uint8Array | null;
	updates: Uint8Array[];
	/** Id of the last update row, 0 when there is none. */
	lastId: number;
	/**
	 * Stored pieces that failed their checksum and were left out (logged, and reported on
	 * /healthz until the doc is next compacted); absent or empty when all is well.
	 */
	damaged?: DamagedPiece[];
}

/** A snapshot or update row whose bytes no longer match the checksum written with them. */
export interface DamagedPiece {
	doc: string;
	/** The update row's id; absent for the snapshot. */
	row?: number;
	/** What the load did instead, in plain words. */
	outcome: string;
}

/** A doc that cannot be served as stored: no verified copy of its content exists. */
export class DamagedDocError extends Error {}

export interface AppendEntry {
	doc: string;
	data: Uint8Array;
	/** The audit trail of what `data` changed, stored in the same transaction. */
	records?: AuditRecord[];
}

export interface DocStats {
	snapshotBytes: number;
	updateRows: number;
	updateBytes: number;
}

/**
 * Durable storage of Y.Doc updates. SQLite today; the interface is async so a networked store
 * (PostgreSQL) can implement it later without changing the rooms.
 */
export interface DocStore {
	/**
	 * Values over this many bytes are written in steps, over several transactions (SQLite: in
	 * pieces), so the committer stores such a batch apart and other rooms' commits need not wait
	 * for it. Absent: every append is one step.
	 */
	readonly pieceBytes?: number;
	load(name: string): Promise<StoredDoc>;
	/** Appends all entries in one transaction; resolves with their ids, in order. */
	appendBatch(entries: AppendEntry[]): Promise<number[]>;
	/**
	 * The same, committed before it returns, for stores that can (SQLite): a lone update is then
	 * stored and relayed in the step that received it. Throws when storage fails.
	 */
	appendNow?(entries: AppendEntry[]): number[];
	/** In one transaction: makes `snapshot` the doc's snapshot and deletes its rows ≤ `upToId`. */
	compact(name: string, snapshot: Uint8Array, upToId: number): Promise<void>;
	stats(name: string): Promise<DocStats>;
	/** Names of every doc that has anything stored (for backups). */
	listDocNames(): Promise<string[]>;
	/**
	 * For restores, in one transaction: drops whatever is stored for each named doc, stores its
	 * state as the snapshot, and runs `alongside` (writes to other tables that must land with it).
	 */
	replaceDocs(docs: ReplacedDoc[], alongside?: () => void): Promise<void>;
}

export interface ReplacedDoc {
	name: string;
	state: Uint8Array;
}
