import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { UserService } from '../auth/users.ts';
import { shanghaiParts } from '../backup/format.ts';
import { writeBackup } from '../backup/write.ts';
import { CampaignRegistry } from '../campaigns.ts';
import { openDatabase } from '../db.ts';
import { FileStore } from '../files.ts';
import { SqliteDocStore } from '../persistence/sqlite-doc-store.ts';

const USAGE = `Write a backup of a Qingdan data directory, also while the server runs on it.

Usage: npm run backup -- --out DIR [--keep N] [--data-dir DATA_DIR]

The data directory defaults to DATA_DIR, else ./data. The backup is one file,
DIR/qingdan-<date>-<time>.qdbackup, in the format the restore reads (npm run restore, or the
administrator's backup page). It is a consistent copy of one moment: the database is first
copied with SQLite's VACUUM INTO, which waits for no one and stops no one. With --keep N only
the newest N backups in DIR are kept.
`;

const FILE_PATTERN = /^qingdan-\d{8}-\d{6}(-\d+)?\.qdbackup$/;

class CliError extends Error {}

function serverVersion(): string {
	const manifest = new URL('../../package.json', import.meta.url);
	return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** `qingdan-20261207-213455.qdbackup` in Asia/Shanghai time, made unique within DIR. */
function backupName(dir: string, now: Date): string {
	const parts = shanghaiParts(now);
	const stem = `qingdan-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}${parts.second}`;
	let name = `${stem}.qdbackup`;
	for (let n = 2; fs.existsSync(path.join(dir, name)); n++) name = `${stem}-${n}.qdbackup`;
	return name;
}

/** Removes all but the newest `keep` backups this command wrote into `dir`; returns their names. */
function prune(dir: string, keep: number): string[] {
	const ours = fs
		.readdirSync(dir)
		.filter((name) => FILE_PATTERN.test(name))
		.map((name) => ({ name, time: fs.statSync(path.join(dir, name)).mtimeMs }))
		.sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
	const removed = ours.slice(keep).map((f) => f.name);
	for (const name of removed) fs.rmSync(path.join(dir, name), { force: true });
	return removed;
}

async function run(argv: string[]): Promise<string> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			options: {
				out: { type: 'string' },
				keep: { type: 'string' },
				'data-dir': { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n\n${USAGE}`);
	}
	const { values } = parsed;
	if (values.help) return USAGE;
	if (!values.out) throw new CliError(`Say where the backup goes: --out DIR.\n\n${USAGE}`);
	let keep: number | null = null;
	if (values.keep !== undefined) {
		keep = Number(values.keep);
		if (!Number.isInteger(keep) || keep < 1) {
			throw new CliError(`--keep must be a whole number ≥ 1, got ${JSON.stringify(values.keep)}.`);
		}
	}
	const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data');
	const database = path.join(dataDir, 'qingdan.sqlite');
	if (!fs.existsSync(database)) throw new CliError(`There is no Qingdan database in ${dataDir}.`);
	const out = path.resolve(values.out);
	fs.mkdirSync(out, { recursive: true });

	// One moment of the live database, copied without stopping the server (it keeps writing to
	// its WAL meanwhile); the backup is then read from that copy alone.
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-backup-'));
	const name = backupName(out, new Date());
	const partial = path.join(out, `.${name}.partial`);
	try {
		const live = new Database(database, { readonly: true, fileMustExist: true });
		try {
			live.pragma('busy_timeout = 10000');
			live.prepare('VACUUM INTO ?').run(path.join(staging, 'qingdan.sqlite'));
		} finally {
			live.close();
		}
		const db = openDatabase(staging);
		try {
			const registry = new CampaignRegistry(db);
			// Attachments are read from the live directory: a stored file never changes.
			const files = new FileStore(db, path.join(dataDir, 'files'), Number.MAX_SAFE_INTEGER);
			await writeBackup(
				{
					store: new SqliteDocStore(db),
					users: new UserService(db, registry),
					registry,
					files,
					serverVersion: serverVersion()
				},
				fs.createWriteStream(partial)
			);
		} finally {
			db.close();
		}
		// Complete or absent: a half-written file never carries the backup's name.
		fs.renameSync(partial, path.join(out, name));
	} catch (error) {
		fs.rmSync(partial, { force: true });
		throw error;
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
	const bytes = fs.statSync(path.join(out, name)).size;
	const removed = keep === null ? [] : prune(out, keep);
	return (
		`Wrote ${path.join(out, name)} (${(bytes / 1024 / 1024).toFixed(1)} MB).` +
		(removed.length ? ` Removed ${removed.length} older: ${removed.join(', ')}.` : '')
	);
}

try {
	console.log(await run(process.argv.slice(2)));
} catch (error) {
	console.error(`No backup written: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
