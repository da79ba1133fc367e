import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDoc, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

/**
 * The schema exactly as the first migration created it (user_version 1): updates in a rowid
 * table with AUTOINCREMENT ids shared by all docs, and an index by (doc, id).
 */
const SCHEMA_V1 = `
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
`;

/** Docs stored in the old data dir: a snapshot and/or rows, the rows of all docs interleaved. */
const WITH_SNAPSHOT = 'county.2022.funing';
const ONLY_ROWS = 'county.2022.qinglong';
const EDITS_PER_DOC = 30;

/** Writes a version-1 data dir the way the old server left it: WAL mode, 4 KiB pages. */
function oldDataDir(): string {
	const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-migrate-')), 'data');
	fs.mkdirSync(dataDir);
	const db = new Database(path.join(dataDir, 'qingdan.sqlite'));
	db.pragma('journal_mode = WAL');
	db.exec(SCHEMA_V1);
	db.pragma('user_version = 1');
	const now = new Date().toISOString();
	const base = new Y.Doc();
	base.getMap('problems').set('from-snapshot', 'kept');
	const snapshot = Y.encodeStateAsUpdate(base);
	db.prepare(
		'INSERT INTO docs (name, snapshot, snapshot_bytes, updated_at) VALUES (?, ?, ?, ?)'
	).run(WITH_SNAPSHOT, Buffer.from(snapshot), snapshot.byteLength, now);
	const insert = db.prepare('INSERT INTO updates (doc, data) VALUES (?, ?)');
	const docs = new Map([
		[WITH_SNAPSHOT, base],
		[ONLY_ROWS, new Y.Doc()]
	]);
	for (let i = 0; i < EDITS_PER_DOC; i++) {
		for (const [name, doc] of docs) {
			const before = Y.encodeStateVector(doc);
			doc.getMap('problems').set(`edit-${i}`, i);
			insert.run(name, Buffer.from(Y.encodeStateAsUpdate(doc, before)));
		}
	}
	db.close();
	return dataDir;
}

let server: TestServer | null = null;
const open: SyncedDoc[] = [];
afterAll(async () => {
	for (const synced of open.splice(0)) synced.destroy();
	await server?.dispose();
});

async function problemsOf(docName: string): Promise<Map<string, unknown>> {
	const synced = await openDoc(server!, docName, await server!.adminCookie());
	open.push(synced);
	return new Map(synced.doc.getMap('problems').entries());
}

describe('a data dir made by the first schema', () => {
	it('is upgraded in place and keeps every doc, then stores new edits after the old rows', async () => {
		const dataDir = oldDataDir();
		server = await TestServer.start({ dataDir });

		// The database as it was is copied aside first, whole and still at version 1.
		const copies = fs.readdirSync(dataDir).filter((n) => /^qingdan\.sqlite\.before-v1-/.test(n));
		expect(copies).toHaveLength(1);
		const aside = new Database(path.join(dataDir, copies[0]!), { readonly: true });
		try {
			expect(aside.pragma('user_version', { simple: true })).toBe(1);
			expect((aside.prepare('SELECT COUNT(*) AS n FROM updates').get() as { n: number }).n).toBe(
				EDITS_PER_DOC * 2
			);
			expect(aside.pragma('integrity_check', { simple: true })).toBe('ok');
		} finally {
			aside.close();
		}

		const schema = server.withDb((db) => ({
			version: db.pragma('user_version', { simple: true }),
			updates: (
				db.prepare("SELECT sql FROM sqlite_master WHERE name = 'updates'").get() as {
					sql: string;
				}
			).sql,
			sequenceRows: (
				db.prepare("SELECT COUNT(*) AS n FROM sqlite_sequence WHERE name = 'updates'").get() as {
					n: number;
				}
			).n
		}));
		expect(schema.version).toBe(6);
		expect(schema.updates).toMatch(/WITHOUT ROWID/);
		expect(schema.sequenceRows).toBe(0);

		const withSnapshot = await problemsOf(WITH_SNAPSHOT);
		const onlyRows = await problemsOf(ONLY_ROWS);
		expect(withSnapshot.get('from-snapshot')).toBe('kept');
		for (let i = 0; i < EDITS_PER_DOC; i++) {
			expect(withSnapshot.get(`edit-${i}`)).toBe(i);
			expect(onlyRows.get(`edit-${i}`)).toBe(i);
		}
		expect(withSnapshot.size).toBe(EDITS_PER_DOC + 1);
		expect(onlyRows.size).toBe(EDITS_PER_DOC);

		// A new edit is stored after the migrated rows (ids go on increasing within the doc).
		const oldLastId = server.withDb(
			(db) =>
				(
					db.prepare('SELECT MAX(id) AS id FROM updates WHERE doc = ?').get(ONLY_ROWS) as {
						id: number;
					}
				).id
		);
		open[1]!.doc.getMap('problems').set('after-upgrade', true);
		await waitFor(
			() =>
				server!.withDb(
					(db) =>
						(
							db.prepare('SELECT MAX(id) AS id FROM updates WHERE doc = ?').get(ONLY_ROWS) as {
								id: number;
							}
						).id > oldLastId
				),
			{ what: 'the new edit to be stored' }
		);
		for (const synced of open.splice(0)) synced.destroy();
		await server.kill9();
		await server.restart();

		const reloaded = await problemsOf(ONLY_ROWS);
		expect(reloaded.get('after-upgrade')).toBe(true);
		expect(reloaded.size).toBe(EDITS_PER_DOC + 1);
		expect((await problemsOf(WITH_SNAPSHOT)).size).toBe(EDITS_PER_DOC + 1);
		expect(server.withDb((db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
		// A start with nothing to migrate copies nothing.
		expect(fs.readdirSync(dataDir).filter((n) => n.includes('.before-v'))).toEqual(copies);
	});
});
