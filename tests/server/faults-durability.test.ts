import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CRASH_POINTS, type CrashPoint } from '../faults/scenarios/compact-and-die.ts';
import {
	fullDisk,
	lockedDatabase,
	readOnlyFile,
	type WriteFault
} from '../faults/scenarios/write-faults.ts';
import {
	TrackedClient,
	canonicalJson,
	contains,
	serverState
} from '../faults/scenarios/tracked-client.ts';
import { TestServer, waitFor } from './harness.ts';

const DOC = 'county.2022.changli';
const servers: TestServer[] = [];
const clients: TrackedClient[] = [];

async function startServer(options = {}): Promise<TestServer> {
	const server = await TestServer.start(options);
	servers.push(server);
	return server;
}

async function client(server: TestServer, options?: { connect?: boolean }): Promise<TrackedClient> {
	const tracked = new TrackedClient(server, DOC, await server.adminCookie(), options);
	clients.push(tracked);
	if (options?.connect !== false) {
		await waitFor(() => tracked.synced && tracked.acks > 0, { what: 'a client to sync' });
	}
	return tracked;
}

afterEach(async () => {
	for (const tracked of clients.splice(0)) tracked.destroy();
	for (const server of servers.splice(0)) await server.dispose();
});

const edits = (doc: Y.Doc) => doc.getMap<string>('edits');
const content = (doc: Y.Doc) =>
	canonicalJson({ edits: edits(doc).toJSON(), notes: doc.getText('notes').toString() });

/** The last update a client made, for asking who has it. */
function lastUpdate(tracked: TrackedClient): Uint8Array {
	return tracked.localUpdates.at(-1)!;
}

describe('SIGTERM', () => {
	it('while a client writes: commits what arrived, compacts, exits 0; nothing is lost', async () => {
		const server = await startServer();
		const writer = await client(server);
		const watcher = await client(server);
		for (let i = 0; i < 300; i++) {
			edits(writer.doc).set(`e${i}`, `${i}`);
			if (i === 150) void server.stop();
			if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
		}
		expect(await server.stop()).toBe(0);
		const log = server.output;
		expect(log).toMatch(/\bstopped\b/);
		expect(log).not.toMatch(/storage\.failed|shutdown\.timeout|bug\./);
		expect(server.updateRows(DOC), 'update rows left after the flush').toBe(0);

		const promised = [...writer.acknowledgedUpdates(), ...watcher.receivedUpdates];
		await server.restart();
		const restored = await serverState(server, DOC, await server.adminCookie());
		expect(promised.filter((u) => !contains(restored, u))).toHaveLength(0);

		for (const tracked of [writer, watcher]) tracked.pointTo(server);
		await waitFor(() => writer.pendingCount === 0 && watcher.synced, {
			what: 'the rest to arrive'
		});
		await waitFor(() => content(watcher.doc) === content(writer.doc), { what: 'convergence' });
		expect(edits(watcher.doc).size).toBe(300);
	});
});

// Guarantee 3: a write failure is never acknowledged or relayed; the client keeps its edit,
// counts it as not saved, and re-sends it once the server can write again.
const rootFaults = [fullDisk(), readOnlyFile()].filter((f): f is WriteFault => f !== null);
const writeFaults = rootFaults.length > 0 ? rootFaults : [lockedDatabase()];

describe.each(writeFaults.map((fault) => [fault.name, fault] as const))(
	'a write failure: %s',
	(_name, fault) => {
		// The server stops before the fault is cleaned up (a disk is unmounted), then goes.
		afterEach(async () => {
			for (const server of servers) await server.kill9();
			fault.cleanup();
		});

		it('is never acknowledged or relayed; the client keeps the edit and it is stored after recovery', async () => {
			const server = await startServer(fault.prepare());
			const writer = await client(server);
			const watcher = await client(server);
			edits(writer.doc).set('before', 'stored');
			await waitFor(() => writer.pendingCount === 0 && edits(watcher.doc).has('before'), {
				what: 'a first edit to be stored and relayed'
			});

			fault.break(server);
			const logBefore = server.output.length;
			writer.doc.getText('notes').insert(0, '断网也不丢：'.repeat(2_000));
			edits(writer.doc).set('during', 'kept by the client');
			const during = [writer.localUpdates.at(-2)!, lastUpdate(writer)];
			await waitFor(() => /storage\.failed/.test(server.output.slice(logBefore)), {
				what: 'the server to fail to store the edit',
				timeoutMs: 20_000
			});
			// While storage fails (the client keeps re-sending), nothing is acknowledged or relayed.
			const until = Date.now() + 1_500;
			while (Date.now() < until) {
				expect(writer.pendingCount).toBeGreaterThan(0);
				expect(
					writer.acked && during.some((u) => Y.snapshotContainsUpdate(writer.acked!, u))
				).toBeFalsy();
				expect(edits(watcher.doc).has('during')).toBe(false);
				expect(watcher.doc.getText('notes').length).toBe(0);
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			expect(server.output.slice(logBefore)).not.toMatch(/bug\./);

			fault.repair(server);
			await waitFor(() => writer.pendingCount === 0, {
				what: 'the re-sent edit to be acknowledged',
				timeoutMs: 30_000
			});
			await waitFor(() => edits(watcher.doc).get('during') === 'kept by the client', {
				what: 'the edit to reach the other client'
			});
			await server.kill9();
			await server.restart();
			const restored = await serverState(server, DOC, await server.adminCookie());
			for (const update of during) expect(contains(restored, update)).toBe(true);
			expect(server.withDb((db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
		}, 60_000);
	}
);

// Guarantee 2: compaction writes the new snapshot and deletes the rows it covers in one
// transaction; a kill -9 at any point inside leaves the doc as it was.
describe('kill -9 inside a compaction', () => {
	it('before the snapshot, between snapshot and row delete, before commit: the doc is unchanged', async () => {
		const server = await startServer();
		// An older snapshot (compacted at shutdown), then update rows after it.
		const first = await client(server);
		for (let i = 0; i < 50; i++) edits(first.doc).set(`old-${i}`, 'in the snapshot');
		await waitFor(() => first.pendingCount === 0, { what: 'the first edits to be stored' });
		first.destroy();
		expect(await server.stop()).toBe(0);
		await server.restart();
		const writer = await client(server);
		// In 12 groups, each stored before the next is made: the server merges what arrives
		// together into one row, so this leaves at least 12 rows after the snapshot.
		for (let i = 0; i < 120; i++) {
			edits(writer.doc).set(`new-${i}`, 'in a row');
			if (i % 3 === 0) edits(writer.doc).delete(`old-${i}`);
			writer.doc.getText('notes').insert(0, `${i % 10}`);
			if (i % 10 === 9) {
				await waitFor(() => writer.pendingCount === 0, { what: 'the new edits to be stored' });
			}
		}
		const expected = content(writer.doc);
		writer.destroy();

		for (const point of Object.keys(CRASH_POINTS) as CrashPoint[]) {
			await server.kill9();
			const before = stored(server);
			expect(before.rows, point).toBeGreaterThanOrEqual(12);
			expect(await runChild(server.dataDir, point), `${point} was reached`).toBe('SIGKILL');
			// One transaction: nothing of it is visible after the crash.
			expect(stored(server), point).toEqual(before);
			await server.restart();
			const restored = await serverState(server, DOC, await server.adminCookie());
			expect(content(restored), point).toBe(expected);
			expect(
				server.withDb((db) => db.pragma('integrity_check', { simple: true })),
				point
			).toBe('ok');
		}
		// The compaction that was cut short happens on the next occasion.
		expect(await server.stop()).toBe(0);
		expect(server.updateRows(DOC)).toBe(0);
		// Three crashes and restarts, each a child process: ~20 s alone, more beside a heavy test.
	}, 120_000);
});

function stored(server: TestServer): { rows: number; snapshot: string } {
	return server.withDb((db) => {
		const rows = (
			db.prepare('SELECT COUNT(*) AS n FROM updates WHERE doc = ?').get(DOC) as {
				n: number;
			}
		).n;
		const row = db.prepare('SELECT snapshot FROM docs WHERE name = ?').get(DOC) as
			{ snapshot: Buffer | null } | undefined;
		return { rows, snapshot: row?.snapshot?.toString('base64') ?? '' };
	});
}

function runChild(dataDir: string, point: CrashPoint): Promise<string | number | null> {
	const script = path.resolve(import.meta.dirname, '../faults/scenarios/compact-and-die.ts');
	const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, DOC, point], {
		stdio: 'ignore'
	});
	return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

// Guarantee 4: the server goes back to an older backup while the clients are away; when they
// come back, their newer edits flow back and everyone converges.
describe('restore from an older backup', () => {
	it("brings back every client's newer edits when they reconnect", async () => {
		const server = await startServer();
		const [a, b, c] = [await client(server), await client(server), await client(server)];
		edits(a.doc).set('before-backup', 'a');
		await waitFor(() => a.pendingCount === 0 && edits(c.doc).has('before-backup'), {
			what: 'the first edit everywhere'
		});
		const backup = path.join(path.dirname(server.dataDir), 'backup.sqlite');
		const source = new Database(server.dbPath, { readonly: true });
		await source.backup(backup);
		source.close();

		// After the backup: A and B are acknowledged (and C saw it), then C works offline.
		edits(a.doc).set('after-backup-a', 'a');
		b.doc.getText('notes').insert(0, 'B wrote this after the backup. ');
		await waitFor(() => a.pendingCount === 0 && b.pendingCount === 0, { what: 'acks' });
		await waitFor(() => edits(c.doc).has('after-backup-a') && c.doc.getText('notes').length > 0, {
			what: 'C to see them'
		});
		c.provider.disconnect();
		edits(c.doc).set('offline-c', 'c');
		edits(c.doc).delete('before-backup');
		for (const tracked of [a, b]) tracked.provider.disconnect();
		edits(a.doc).set('offline-a', 'a');

		expect(await server.stop()).toBe(0);
		for (const suffix of ['', '-wal', '-shm']) fs.rmSync(server.dbPath + suffix, { force: true });
		fs.copyFileSync(backup, server.dbPath);
		await server.restart();
		const restored = await serverState(server, DOC, await server.adminCookie());
		expect(edits(restored).has('before-backup')).toBe(true);
		expect(edits(restored).has('after-backup-a')).toBe(false);

		for (const tracked of [c, a, b]) {
			tracked.pointTo(server);
			tracked.provider.connect();
		}
		await waitFor(() => [a, b, c].every((t) => t.synced && t.pendingCount === 0), {
			what: 'every client to sync with the restored server'
		});
		const fresh = await client(server);
		await waitFor(() => [a, b, c].every((t) => content(t.doc) === content(fresh.doc)), {
			what: 'everyone, and a newcomer, to converge'
		});
		expect(edits(fresh.doc).toJSON()).toEqual({
			'after-backup-a': 'a',
			'offline-a': 'a',
			'offline-c': 'c'
		});
		expect(fresh.doc.getText('notes').toString()).toBe('B wrote this after the backup. ');
	});
});
