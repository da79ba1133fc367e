import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CLOSE_RESTORED } from '../../src/lib/sync/protocol.ts';
import type { Rooms } from '../sync/rooms.ts';
import { applyRestore, whyNotFresh } from './apply.ts';
import type { BackupCounts } from './format.ts';
import { readBackup } from './read.ts';
import { verifyStoredDocs, writeBackup, type BackupSources } from './write.ts';

/** A restore the server refuses because it already holds work; the message says what. */
export class NotFreshError extends Error {}

/** Backups of the running server, and restores into it while it is still fresh. */
export class Backups {
	readonly #sources: BackupSources;
	readonly #rooms: Rooms;
	#restoring = false;

	constructor(sources: BackupSources, rooms: Rooms) {
		this.#sources = sources;
		this.#rooms = rooms;
	}

	/** Throws DamagedDocError, naming the doc, when a stored piece fails its checksum. */
	verify(): Promise<void> {
		return verifyStoredDocs(this.#sources.store);
	}

	write(out: Writable): Promise<void> {
		return writeBackup(this.#sources, out);
	}

	/**
	 * Checks the whole file, then, with every room unloaded and its clients told to drop their
	 * local copies, replaces the seeded docs and adds the backup's users and files in one
	 * transaction. Refused (NotFreshError) once anyone has worked on this server.
	 */
	async restore(input: AsyncIterable<Buffer>): Promise<BackupCounts> {
		if (this.#restoring) throw new NotFreshError('A restore is already running.');
		this.#restoring = true;
		const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-restore-'));
		try {
			const before = await whyNotFresh(this.#sources);
			if (before) throw new NotFreshError(before);
			const plan = await readBackup(input, staging);
			await this.#rooms.whileUnloaded(CLOSE_RESTORED, 'restored from a backup', async () => {
				const now = await whyNotFresh(this.#sources);
				if (now) throw new NotFreshError(now);
				await applyRestore(plan, this.#sources);
			});
			return plan.counts;
		} finally {
			this.#restoring = false;
			fs.rmSync(staging, { recursive: true, force: true });
		}
	}
}
