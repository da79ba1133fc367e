import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserService } from '../auth/users.ts';
import { applyRestore } from '../backup/apply.ts';
import { BackupError, readBackup } from '../backup/read.ts';
import { CampaignRegistry } from '../campaigns.ts';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../data-lock.ts';
import { openDatabase } from '../db.ts';
import { FileStore } from '../files.ts';
import { SqliteDocStore } from '../persistence/sqlite-doc-store.ts';

const USAGE = `Restore a Qingdan backup into an empty data directory.

Usage: npm run restore -- <backup.qdbackup> [--data-dir DIR]

DIR defaults to DATA_DIR, else ./data. It must not exist yet or be empty: a restore never
overwrites. The whole file is checked before anything is written. Then start the server on it.
`;

class CliError extends Error {}

function isEmptyDir(dir: string): boolean {
	// Our own lock is all a new data directory holds while the restore runs.
	return fs.readdirSync(dir).every((name) => name === LOCK_FILE);
}

async function run(argv: string[]): Promise<string> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
			allowPositionals: true
		});
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n\n${USAGE}`);
	}
	const { values, positionals } = parsed;
	if (values.help) return USAGE;
	const file = positionals[0];
	if (!file || positionals.length > 1) throw new CliError(`Give one backup file.\n\n${USAGE}`);
	const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data');
	if (!fs.existsSync(file)) throw new CliError(`There is no file ${file}.`);
	const created = !fs.existsSync(dataDir);
	if (!created && !fs.statSync(dataDir).isDirectory()) {
		throw new CliError(`${dataDir} is not a directory.`);
	}
	// Held until the process exits: no server may start on the directory while it is written.
	lockDataDir(dataDir, 'Qingdan restore');
	if (!isEmptyDir(dataDir)) {
		throw new CliError(
			`${dataDir} is not empty. A restore goes into a new, empty data directory; it never overwrites one.`
		);
	}
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-restore-'));
	try {
		const plan = await readBackup(fs.createReadStream(file), staging);
		const db = openDatabase(dataDir);
		try {
			const registry = new CampaignRegistry(db);
			await applyRestore(plan, {
				store: new SqliteDocStore(db),
				users: new UserService(db, registry),
				registry,
				files: new FileStore(db, path.join(dataDir, 'files'), Number.MAX_SAFE_INTEGER)
			});
		} finally {
			db.close();
		}
		const { campaigns, users, docs, files } = plan.counts;
		return `Restored ${docs} documents, ${users} users, ${files} files and ${campaigns} campaigns (backup of ${plan.header.createdAt}) into ${dataDir}.`;
	} catch (error) {
		if (created) fs.rmSync(dataDir, { recursive: true, force: true });
		throw error;
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

try {
	console.log(await run(process.argv.slice(2)));
} catch (error) {
	if (
		error instanceof CliError ||
		error instanceof BackupError ||
		error instanceof DataDirLockedError
	) {
		console.error(`Not restored: ${error.message}`);
		process.exit(1);
	}
	throw error;
}
