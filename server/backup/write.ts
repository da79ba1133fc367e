import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as Y from 'yjs';
import type { UserService } from '../auth/users.ts';
import type { CampaignRegistry } from '../campaigns.ts';
import type { FileStore } from '../files.ts';
import { DamagedDocError, type DocStore, type StoredDoc } from '../persistence/doc-store.ts';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	docJson,
	type BackupCounts,
	type BackupRecord
} from './format.ts';

/** What a backup reads from; the same services the server runs on. */
export interface BackupSources {
	store: DocStore;
	users: UserService;
	registry: CampaignRegistry;
	files: FileStore;
	serverVersion: string;
}

/**
 * What storage holds for one doc, every piece matching its checksum. A backup or a restore
 * check never works from a doc with a piece left out: it would differ from what was stored.
 */
export async function loadVerified(store: DocStore, name: string): Promise<StoredDoc> {
	const stored = await store.load(name);
	const damaged = stored.damaged ?? [];
	if (damaged.length > 0) {
		const pieces = damaged.map((p) => (p.row === undefined ? 'its snapshot' : `row ${p.row}`));
		throw new DamagedDocError(
			`Document ${name}: ${pieces.join(', ')} of what is stored does not match its checksum. ` +
				'The board is served from the last good state; once it has been saved anew (when its ' +
				'last client has left it for ROOM_GRACE_MS, 30 s by default) a backup can be written.'
		);
	}
	return stored;
}

/** Every doc checked against its checksums (before a backup starts streaming). */
export async function verifyStoredDocs(store: DocStore): Promise<void> {
	for (const name of await store.listDocNames()) await loadVerified(store, name);
}

/** The state of one stored doc, snapshot and tail merged through a Y.Doc. */
export async function loadDoc(store: DocStore, name: string): Promise<Y.Doc> {
	const stored = await loadVerified(store, name);
	const doc = new Y.Doc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc;
}

/** The records of a backup, one at a time: a doc or a file is read only when its turn comes. */
export async function* backupRecords(sources: BackupSources): AsyncGenerator<BackupRecord> {
	const counts: BackupCounts = { campaigns: 0, users: 0, docs: 0, files: 0 };
	yield {
		kind: 'header',
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		createdAt: new Date().toISOString(),
		server: { name: 'qingdan', version: sources.serverVersion }
	};
	for (const campaign of sources.registry.list()) {
		counts.campaigns++;
		yield { kind: 'campaign', ...campaign };
	}
	for (const row of sources.users.exportRows()) {
		counts.users++;
		yield {
			kind: 'user',
			username: row.username,
			displayName: row.display_name,
			role: row.role,
			county: row.county,
			passwordHash: row.password_hash,
			createdAt: row.created_at,
			updatedAt: row.updated_at
		};
	}
	for (const name of await sources.store.listDocNames()) {
		const doc = await loadDoc(sources.store, name);
		try {
			counts.docs++;
			yield {
				kind: 'doc',
				name,
				state: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'),
				json: docJson(doc)
			};
		} finally {
			doc.destroy();
		}
	}
	for (const file of sources.files.listAll()) {
		const data = await fs.promises.readFile(sources.files.pathOf(file.sha256));
		counts.files++;
		yield { kind: 'file', ...file, data: data.toString('base64') };
	}
	yield { kind: 'end', counts };
}

/** Streams a whole backup (gzip of JSON lines) into `out`, which is ended afterwards. */
export async function writeBackup(sources: BackupSources, out: Writable): Promise<void> {
	async function* lines() {
		for await (const record of backupRecords(sources)) yield `${JSON.stringify(record)}\n`;
	}
	await pipeline(Readable.from(lines()), createGzip(), out);
}
