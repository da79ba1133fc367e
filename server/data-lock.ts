import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'qingdan.lock';

/** Another live process holds the data directory; the message names it and its pid. */
export class DataDirLockedError extends Error {}

/**
 * True when a process with this pid runs (EPERM: it exists but belongs to someone else). A
 * zombie (killed, not yet reaped by its parent) holds nothing: on Linux its state says so.
 */
function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return true;
	}
}

function holderOf(lockPath: string): number | null {
	try {
		const pid = Number(fs.readFileSync(lockPath, 'utf8').split('\n')[0]);
		return Number.isInteger(pid) && pid > 0 ? pid : null;
	} catch {
		return null;
	}
}

/**
 * Takes `<dataDir>/qingdan.lock` for this process, so two servers (or a server and a restore)
 * never write one data directory at once; SQLite alone would let both run and interleave
 * their rooms' rows. The lock holds the pid. A lock whose process is gone (kill -9, power cut),
 * or that names this very pid (a container restarted, pid 1 again), is taken over. Released on
 * exit of any kind but SIGKILL, and then taken over by the next start.
 * Throws DataDirLockedError when a live process holds it.
 */
export function lockDataDir(dataDir: string, purpose = 'Qingdan server'): () => void {
	fs.mkdirSync(dataDir, { recursive: true });
	const lockPath = path.join(dataDir, LOCK_FILE);
	// Written aside and hard-linked into place: the link fails if a lock exists, and a reader
	// never sees the lock file without its pid.
	const mine = path.join(dataDir, `${LOCK_FILE}.${process.pid}`);
	fs.writeFileSync(mine, `${process.pid}\n${purpose}\n`);
	try {
		for (let attempt = 0; ; attempt++) {
			try {
				fs.linkSync(mine, lockPath);
				break;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
			}
			const holder = holderOf(lockPath);
			if (holder !== null && holder !== process.pid && isAlive(holder)) {
				throw new DataDirLockedError(
					`The data directory ${dataDir} is in use by another process (pid ${holder}; see ${lockPath}). ` +
						'Stop that process first. Only one server may use a data directory at a time.'
				);
			}
			fs.rmSync(lockPath, { force: true });
		}
	} finally {
		fs.rmSync(mine, { force: true });
	}
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		if (holderOf(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
	};
	process.once('exit', release);
	return release;
}
