import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db.ts';

/** Attachment types we accept, and whether a browser may show them inline. */
export const FILE_TYPES: ReadonlyMap<string, { inline: boolean }> = new Map([
	['image/jpeg', { inline: true }],
	['image/png', { inline: true }],
	['image/webp', { inline: true }],
	['image/gif', { inline: true }],
	['application/pdf', { inline: true }],
	['text/plain', { inline: false }],
	['application/msword', { inline: false }],
	['application/vnd.ms-excel', { inline: false }],
	['application/vnd.ms-powerpoint', { inline: false }],
	['application/vnd.openxmlformats-officedocument.wordprocessingml.document', { inline: false }],
	['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', { inline: false }],
	['application/vnd.openxmlformats-officedocument.presentationml.presentation', { inline: false }]
]);

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export interface StoredFile {
	sha256: string;
	type: string;
	size: number;
}

export type PutResult =
	| { ok: true; created: boolean; file: StoredFile }
	| { ok: false; reason: 'too_large' | 'hash_mismatch' };

/**
 * Content-addressed attachments: `<dir>/<first two hex>/<sha256>` on disk, a row per blob and a
 * row per doc it was uploaded for (reading goes through the doc's access rules).
 */
export class FileStore {
	readonly #db: Db;
	readonly #dir: string;
	readonly maxBytes: number;

	constructor(db: Db, dir: string, maxBytes: number) {
		this.#db = db;
		this.#dir = dir;
		this.maxBytes = maxBytes;
		fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
	}

	/** The blob if it was uploaded for this doc. */
	find(sha256: string, doc: string): StoredFile | null {
		return (
			this.#db
				.prepare<[string, string], StoredFile>(
					`SELECT f.sha256, f.type, f.size FROM files f
					 JOIN file_docs d ON d.sha256 = f.sha256 WHERE f.sha256 = ? AND d.doc = ?`
				)
				.get(sha256, doc) ?? null
		);
	}

	pathOf(sha256: string): string {
		return path.join(this.#dir, sha256.slice(0, 2), sha256);
	}

	/** Stores a blob streamed from `body`, checking its size and its hash; links it to `doc`. */
	async put(
		sha256: string,
		doc: string,
		type: string,
		body: AsyncIterable<Buffer>
	): Promise<PutResult> {
		const existing = this.#db
			.prepare<[string], StoredFile>('SELECT sha256, type, size FROM files WHERE sha256 = ?')
			.get(sha256);
		if (existing) {
			this.#link(sha256, doc);
			return { ok: true, created: false, file: existing };
		}
		const temp = path.join(this.#dir, 'tmp', randomBytes(12).toString('hex'));
		const hash = createHash('sha256');
		let size = 0;
		let stored = false;
		try {
			const handle = await fs.promises.open(temp, 'w');
			try {
				for await (const chunk of body) {
					size += chunk.byteLength;
					if (size > this.maxBytes) return { ok: false, reason: 'too_large' };
					hash.update(chunk);
					await handle.write(chunk);
				}
				if (hash.digest('hex') !== sha256) return { ok: false, reason: 'hash_mismatch' };
				await handle.sync();
			} finally {
				await handle.close();
			}
			const target = this.pathOf(sha256);
			await fs.promises.mkdir(path.dirname(target), { recursive: true });
			await fs.promises.rename(temp, target);
			stored = true;
		} finally {
			if (!stored) await fs.promises.rm(temp, { force: true });
		}
		const file = { sha256, type, size };
		this.#db.transaction(() => {
			this.#db
				.prepare('INSERT OR IGNORE INTO files (sha256, type, size, created_at) VALUES (?, ?, ?, ?)')
				.run(sha256, type, size, new Date().toISOString());
			this.#link(sha256, doc);
		})();
		return { ok: true, created: true, file };
	}

	/** Every stored blob with the docs it belongs to, for backups. */
	listAll(): (StoredFile & { docs: string[] })[] {
		const files = this.#db
			.prepare<[], StoredFile>('SELECT sha256, type, size FROM files ORDER BY sha256')
			.all();
		const links = this.#db
			.prepare<[], { sha256: string; doc: string }>(
				'SELECT sha256, doc FROM file_docs ORDER BY doc'
			)
			.all();
		return files.map((file) => ({
			...file,
			docs: links.filter((link) => link.sha256 === file.sha256).map((link) => link.doc)
		}));
	}

	/** Number of stored blobs. */
	count(): number {
		return this.#db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM files').get()!.n;
	}

	/**
	 * For restores: moves an already verified blob into place (content-addressed, so an existing
	 * one is the same bytes) and returns the row writer to run inside the restore transaction.
	 */
	async placeVerified(file: StoredFile & { docs: string[] }, from: string): Promise<() => void> {
		const target = this.pathOf(file.sha256);
		await fs.promises.mkdir(path.dirname(target), { recursive: true });
		// Copied next to the store first, so a blob under its hash is never half written.
		const temp = path.join(this.#dir, 'tmp', randomBytes(12).toString('hex'));
		await fs.promises.copyFile(from, temp);
		await fs.promises.rename(temp, target);
		return () => {
			this.#db
				.prepare('INSERT OR IGNORE INTO files (sha256, type, size, created_at) VALUES (?, ?, ?, ?)')
				.run(file.sha256, file.type, file.size, new Date().toISOString());
			for (const doc of file.docs) this.#link(file.sha256, doc);
		};
	}

	/** Removes temp files a crash may have left behind. */
	cleanTemp(): void {
		const tmp = path.join(this.#dir, 'tmp');
		for (const name of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, name), { force: true });
	}

	#link(sha256: string, doc: string): void {
		this.#db
			.prepare('INSERT OR IGNORE INTO file_docs (sha256, doc) VALUES (?, ?)')
			.run(sha256, doc);
	}
}
