// A child process for the compaction crash test (guarantee 2), run as
//   node --import tsx tests/faults/scenarios/compact-and-die.ts <dataDir> <docName> <point>
// It opens the data dir with the server's own modules, loads the doc into a room and compacts it
// through the server's code path; the statement named by <point> kills the process with SIGKILL
// (the same as `kill -9` from outside, at an exact place instead of a random one).
import { openDatabase } from '../../../server/db.ts';
import { SqliteDocStore } from '../../../server/persistence/sqlite-doc-store.ts';
import { Committer } from '../../../server/sync/committer.ts';
import type { Peer } from '../../../server/sync/room.ts';
import { SqliteClientOwners } from '../../../server/sync/client-owners.ts';
import { Rooms } from '../../../server/sync/rooms.ts';

export const CRASH_POINTS = {
	/** Before the snapshot is written. */
	'before-snapshot': { sql: /^\s*INSERT INTO docs/, when: 'before' },
	/** The snapshot is written, the rows it replaces are not deleted yet. */
	'between-snapshot-and-delete': { sql: /^\s*DELETE FROM updates/, when: 'before' },
	/** Both are done, the transaction is not committed yet. */
	'before-commit': { sql: /^\s*DELETE FROM updates/, when: 'after' }
} as const;

export type CrashPoint = keyof typeof CRASH_POINTS;

async function main(dataDir: string, docName: string, point: CrashPoint): Promise<void> {
	const crash = CRASH_POINTS[point];
	const db = openDatabase(dataDir);
	const prepare = db.prepare.bind(db);
	db.prepare = ((sql: string, ...internal: unknown[]) => {
		const statement = (prepare as (...args: unknown[]) => ReturnType<typeof prepare>)(
			sql,
			...internal
		);
		if (!crash.sql.test(sql)) return statement;
		const run = statement.run.bind(statement) as (...args: unknown[]) => unknown;
		statement.run = ((...args: unknown[]) => {
			if (crash.when === 'before') process.kill(process.pid, 'SIGKILL');
			const result = run(...args);
			process.kill(process.pid, 'SIGKILL');
			return result;
		}) as typeof statement.run;
		return statement;
	}) as typeof db.prepare;

	const store = new SqliteDocStore(db);
	const rooms = new Rooms({
		store,
		committer: new Committer(store),
		owners: new SqliteClientOwners(db),
		graceMs: 60_000
	});
	const peer: Peer = { label: 'crash', isClosed: false, wantsAcks: false, send() {}, close() {} };
	const room = await rooms.join(docName, peer);
	await room!.compactFully();
	// Reaching this line means the crash point was never passed.
	process.exit(3);
}

if (process.argv[1]?.endsWith('compact-and-die.ts')) {
	const [dataDir, docName, point] = process.argv.slice(2) as [string, string, CrashPoint];
	await main(dataDir, docName, point);
}
