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
	`
];

/** Opens (creating if needed) `<dataDir>/qingdan.sqlite` and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
	fs.mkdirSync(dataDir, { recursive: true });
	const db = new Database(path.join(dataDir, 'qingdan.sqlite'));
	db.pragma('journal_mode = WAL');
	// With WAL, NORMAL loses nothing when the process dies (kill -9); only an OS crash or power
	// loss can drop the last commits.
	db.pragma('synchronous = NORMAL');
	db.pragma('busy_timeout = 5000');
	db.pragma('foreign_keys = ON');
	migrate(db);
	return db;
}

function migrate(db: Db): void {
	const version = db.pragma('user_version', { simple: true }) as number;
	if (version > MIGRATIONS.length) {
		throw new Error(
			`database schema version ${version} is newer than this server (${MIGRATIONS.length})`
		);
	}
	for (let step = version; step < MIGRATIONS.length; step++) {
		db.transaction(() => {
			db.exec(MIGRATIONS[step]!);
			db.pragma(`user_version = ${step + 1}`);
		}).immediate();
	}
}
