import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
 * Append new steps, never edit old ones.
 */
const MIGRATIONS: string[] = [
	`
	CREATE TABLE users (
		username TEXT PRIMARY KEY,
		display_name TEXT NOT NULL,
		role TEXT NOT NULL,
		county TEXT,
		password_hash TEXT NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE ON UPDATE CASCADE,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX sessions_by_username ON sessions(username);
	CREATE TABLE docs (
		name TEXT PRIMARY KEY,
		snapshot BLOB,
		snapshot_bytes INTEGER NOT NULL DEFAULT 0,
		updated_at TEXT NOT NULL
	);
	CREATE TABLE updates (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		doc TEXT NOT NULL,
		data BLOB NOT NULL
	);
	CREATE INDEX updates_by_doc ON updates(doc, id);
	CREATE TABLE campaigns (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE campaign_counties (
		campaign TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
		county TEXT NOT NULL,
		name TEXT NOT NULL,
		position INTEGER NOT NULL,
		PRIMARY KEY (campaign, county)
	);
	CREATE TABLE files (
		sha256 TEXT PRIMARY KEY,
		type TEXT NOT NULL,
		size INTEGER NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE file_docs (
		sha256 TEXT NOT NULL REFERENCES files(sha256) ON DELETE CASCADE,
		doc TEXT NOT NULL,
		PRIMARY KEY (sha256, doc)
	);
	`,
	// 2: updates keyed by (doc, id) in one B-tree, so an append writes one leaf page instead of
	// three (table leaf, index leaf, sqlite_sequence). Ids stay increasing within each doc; the
	// old global ids are kept as they are.
	`
	CREATE TABLE updates_new (
		doc TEXT NOT NULL,
		id INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (doc, id)
	) WITHOUT ROWID;
	INSERT INTO updates_new (doc, id, data) SELECT doc, id, data FROM updates;
	DROP TABLE updates;
	ALTER TABLE updates_new RENAME TO updates;
	`,
	// 3: the record (issue 14). `audit`: what each committed change did, attributed by the server
	// (account, time, doc, problem, field); `client_ids`: which account owns each Yjs client id
	// (the first to write with it); checksums of stored snapshots and update rows (SHA-256, hex;
	// NULL on rows written before this step, which are trusted as they are).
	`
	CREATE TABLE audit (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at TEXT NOT NULL,
		account TEXT NOT NULL,
		doc TEXT NOT NULL,
		problem TEXT,
		field TEXT NOT NULL,
		kind TEXT NOT NULL,
		old TEXT,
		new TEXT
	);
	CREATE INDEX audit_by_problem ON audit(doc, problem, id);
	CREATE INDEX audit_by_time ON audit(at);
	CREATE TABLE client_ids (
		client INTEGER PRIMARY KEY,
		account TEXT NOT NULL,
		first_at TEXT NOT NULL
	);
	ALTER TABLE docs ADD COLUMN snapshot_checksum TEXT;
	ALTER TABLE updates ADD COLUMN checksum TEXT;
	`,
	// 4: a damaged snapshot falls back to the one before it (issue 14). \`snapshot_up_to\`: the
	// last row the snapshot holds (0 before this step: every remaining row follows it). A
	// compaction moves the snapshot it replaces to \`previous_snapshots\` and keeps the rows
	// after that one, so the previous snapshot and those rows hold the same content as the
	// current snapshot. \`health_probe\`: the row /healthz writes to see that writes succeed.
	`
	ALTER TABLE docs ADD COLUMN snapshot_up_to INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE previous_snapshots (
		doc TEXT PRIMARY KEY,
		snapshot BLOB NOT NULL,
		checksum TEXT,
		up_to INTEGER NOT NULL
	);
	CREATE TABLE health_probe (
		id INTEGER PRIMARY KEY,
		at TEXT NOT NULL
	);
	`,
	// 5: large values in pieces (issue 14, item 2). A snapshot or update row over PIECE_BYTES
	// (persistence/sqlite-doc-store.ts) is written as \`blob_pieces\`, one small transaction
	// each, and the row then names its \`blobs\` entry (its own \`data\` / \`snapshot\` empty or
	// NULL; its checksum still covers the whole value). So no single write or read of SQLite
	// handles megabytes at once. A \`blobs\` row no longer named by any row is deleted in the
	// transaction that drops the last reference; its pieces are then freed a few at a time.
	`
	CREATE TABLE blobs (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		bytes INTEGER NOT NULL
	);
	CREATE TABLE blob_pieces (
		blob INTEGER NOT NULL,
		n INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (blob, n)
	);
	ALTER TABLE updates ADD COLUMN blob INTEGER;
	ALTER TABLE docs ADD COLUMN snapshot_blob INTEGER;
	ALTER TABLE previous_snapshots ADD COLUMN blob INTEGER;
	`,
	// 6: campaigns managed in the app (issue 16). \`archived_at\`: when the campaign was archived
	// (its docs read-only for everyone); NULL while it is active.
	`
	ALTER TABLE campaigns ADD COLUMN archived_at TEXT;
	`
];

/**
 * Page size of a new database. Every commit writes whole pages to the WAL (and the checkpoint
 * writes them again), so small pages keep a small commit small; big snapshots span more
 * overflow pages, which costs little to read. Fixed once the database exists.
 */
const PAGE_SIZE = 1024;
/**
 * The WAL is checkpointed every 1,000 pages (SQLite's default, 1 MiB at 1 KiB pages); after a
 * checkpoint its file is truncated back to at most this size.
 */
const JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024;

/** How long a write waits for another connection's write lock before it fails (SQLITE_BUSY). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) `<dataDir>/qingdan.sqlite` and brings its schema up to date. */
export function openDatabase(dataDir: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Db {
	fs.mkdirSync(dataDir, { recursive: true });
	const db = new Database(path.join(dataDir, 'qingdan.sqlite'));
	// Only takes effect on a new, empty file (before the first table and before WAL mode).
	db.pragma(`page_size = ${PAGE_SIZE}`);
	db.pragma('journal_mode = WAL');
	// With WAL, NORMAL loses nothing when the process dies (kill -9): a commit is in the WAL
	// file (the OS page cache) before it returns. Only an OS crash or power loss can drop the
	// last commits before the next checkpoint's fsync; the database itself stays consistent.
	db.pragma('synchronous = NORMAL');
	db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
	db.pragma(`busy_timeout = ${busyTimeoutMs}`);
	db.pragma('foreign_keys = ON');
	migrate(db);
	return db;
}

/**
 * Before a schema migration changes an existing database, a consistent copy of it as it was is
 * written beside it (`qingdan.sqlite.before-v<version>-<time>`), so a failed or regretted
 * upgrade can go back by moving that file into place (with the previous version of the app).
 */
function copyAside(db: Db, version: number): string {
	const stamp = new Date()
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d+Z$/, 'Z');
	const copy = `${db.name}.before-v${version}-${stamp}`;
	db.prepare('VACUUM INTO ?').run(copy);
	return copy;
}

function migrate(db: Db): void {
	const version = db.pragma('user_version', { simple: true }) as number;
	if (version > MIGRATIONS.length) {
		throw new Error(
			`database schema version ${version} is newer than this server (${MIGRATIONS.length})`
		);
	}
	if (version > 0 && version < MIGRATIONS.length) copyAside(db, version);
	for (let step = version; step < MIGRATIONS.length; step++) {
		db.transaction(() => {
			db.exec(MIGRATIONS[step]!);
			db.pragma(`user_version = ${step + 1}`);
		}).immediate();
	}
}
