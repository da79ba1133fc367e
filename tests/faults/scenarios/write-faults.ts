import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ServerOptions, TestServer } from '../../server/harness.ts';

/**
 * Real ways to make SQLite fail to write under the real server process. Root can write to a
 * read-only file, so "read-only" is an immutable WAL file (chattr +i) and "full" is a tiny tmpfs
 * that is filled up; both need root (CAP_SYS_ADMIN, CAP_LINUX_IMMUTABLE). Without it the test
 * falls back to another process holding SQLite's write lock (SQLITE_BUSY after the server's
 * busy_timeout), which needs nothing but is slower.
 */
export interface WriteFault {
	readonly name: string;
	/** Sets the stage; returns how to start the server (a full disk holds its data dir). */
	prepare(): ServerOptions;
	break(server: TestServer): void;
	repair(server: TestServer): void;
	/** After the server has stopped. */
	cleanup(): void;
}

function tryRun(command: string, args: string[]): boolean {
	try {
		execFileSync(command, args, { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Mounts a tmpfs of `size` at a new directory; null when this process may not mount. */
function mountTmpfs(size: string): string | null {
	const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-disk-'));
	if (tryRun('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mount])) return mount;
	fs.rmdirSync(mount);
	return null;
}

function unmount(mount: string): void {
	tryRun('umount', ['-l', mount]);
	fs.rmSync(mount, { recursive: true, force: true });
}

/** A 16 MB tmpfs holding the data dir, filled to the last byte by a filler file. */
export function fullDisk(): WriteFault | null {
	const probe = mountTmpfs('1m');
	if (!probe) return null;
	unmount(probe);
	let mount: string | null = null;
	return {
		name: 'a full disk',
		prepare() {
			mount = mountTmpfs('16m');
			if (!mount) throw new Error('could not mount a tmpfs');
			return { dataDir: path.join(mount, 'data') };
		},
		break() {
			const filler = path.join(mount!, 'filler');
			const fd = fs.openSync(filler, 'w');
			try {
				for (const size of [1 << 20, 1 << 14, 1 << 10, 64, 1]) {
					const chunk = Buffer.alloc(size);
					try {
						for (;;) fs.writeSync(fd, chunk);
					} catch {
						// ENOSPC: try smaller pieces until not even one byte fits.
					}
				}
			} finally {
				fs.closeSync(fd);
			}
		},
		repair() {
			fs.rmSync(path.join(mount!, 'filler'), { force: true });
		},
		cleanup() {
			if (mount) unmount(mount);
			mount = null;
		}
	};
}

/** The database's WAL file made immutable: every write to it fails with EPERM, even for root. */
export function readOnlyFile(): WriteFault | null {
	const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-chattr-'));
	const file = path.join(probe, 'probe');
	fs.writeFileSync(file, '');
	const supported = tryRun('chattr', ['+i', file]) && tryRun('chattr', ['-i', file]);
	fs.rmSync(probe, { recursive: true, force: true });
	if (!supported) return null;
	let wal = '';
	return {
		name: 'a read-only database file',
		prepare: () => ({}),
		break(server) {
			wal = `${server.dbPath}-wal`;
			execFileSync('chattr', ['+i', wal]);
		},
		repair() {
			execFileSync('chattr', ['-i', wal]);
		},
		cleanup() {
			if (wal) tryRun('chattr', ['-i', wal]);
		}
	};
}

/** Another process holds the write lock: the server's writes fail after its busy timeout. */
export function lockedDatabase(): WriteFault {
	let blocker: Database.Database | null = null;
	return {
		name: 'a database locked by another process',
		prepare: () => ({}),
		break(server) {
			blocker = new Database(server.dbPath);
			blocker.exec('BEGIN IMMEDIATE');
		},
		repair() {
			blocker?.exec('ROLLBACK');
			blocker?.close();
			blocker = null;
		},
		cleanup() {
			blocker?.close();
		}
	};
}
