import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { cookieWebSocket, openDoc } from './clients.ts';
import { ADMIN_PASSWORD, TestServer, waitFor } from './harness.ts';

const DOC = 'county.2022.haigang';
let server: TestServer | null = null;

afterEach(async () => {
	await server?.dispose();
	server = null;
});

/** Sets `key` in the doc through a real client and waits until the server has it. */
async function edit(target: TestServer, key: string, value: string): Promise<void> {
	const synced = await openDoc(target, DOC, await target.adminCookie());
	try {
		synced.doc.getMap('problems').set(key, value);
		await waitFor(
			async () => {
				const check = await openDoc(target, DOC, await target.adminCookie());
				const seen = check.doc.getMap('problems').get(key);
				check.destroy();
				return seen === value;
			},
			{ what: `${key} to be stored` }
		);
	} finally {
		synced.destroy();
	}
}

/** What a fresh client is served for the doc. */
async function served(target: TestServer): Promise<Record<string, unknown>> {
	const synced = await openDoc(target, DOC, await target.adminCookie());
	try {
		return synced.doc.getMap('problems').toJSON();
	} finally {
		synced.destroy();
	}
}

/** Rewrites `from` as `to` (same length) inside a stored blob, as a failing disk might. */
function flip(dbPath: string, sql: { select: string; update: string }, from: string, to: string) {
	const db = new Database(dbPath);
	try {
		const rows = db.prepare(sql.select).all(DOC) as { key: number | string; data: Buffer }[];
		const hit = rows.find((row) => row.data.includes(from));
		if (!hit) throw new Error(`no stored blob holds ${from}`);
		const data = Buffer.from(hit.data);
		data.write(to, data.indexOf(from));
		db.prepare(sql.update).run(data, hit.key);
		return hit.key;
	} finally {
		db.close();
	}
}

const SNAPSHOT = {
	select: 'SELECT name AS key, snapshot AS data FROM docs WHERE name = ?',
	update: 'UPDATE docs SET snapshot = ? WHERE name = ?'
};
const PREVIOUS = {
	select: 'SELECT doc AS key, snapshot AS data FROM previous_snapshots WHERE doc = ?',
	update: 'UPDATE previous_snapshots SET snapshot = ? WHERE doc = ?'
};
const ROWS = {
	select: 'SELECT id AS key, data FROM updates WHERE doc = ?',
	update: `UPDATE updates SET data = ? WHERE doc = '${DOC}' AND id = ?`
};

/**
 * A doc stored across three runs: `first` compacted at the first stop, `second` at the second
 * (the first snapshot becomes the previous one), `third` a row after the snapshot (kill -9).
 */
async function storedInThreeRuns(env: Record<string, string> = {}): Promise<TestServer> {
	const target = await TestServer.start({ env });
	await edit(target, 'first', 'one');
	expect(await target.stop()).toBe(0);
	await target.restart();
	await edit(target, 'second', 'two');
	expect(await target.stop()).toBe(0);
	await target.restart();
	await edit(target, 'third', 'three');
	await target.kill9();
	return target;
}

async function health(target: TestServer) {
	const response = await target.api('GET', '/healthz');
	return { status: response.status, body: response.body as { ok: boolean; reasons?: string[] } };
}

describe('checksums of stored snapshots and rows (issue 14)', () => {
	it('a flipped snapshot and a flipped row are reported, and the last good content is served, never the flipped one', async () => {
		server = await storedInThreeRuns({ ROOM_GRACE_MS: '300' });
		flip(server.dbPath, SNAPSHOT, 'two', 'TWO');
		const row = flip(server.dbPath, ROWS, 'three', 'THREE');
		await server.restart();

		const content = await served(server);
		// The previous snapshot and the rows kept after it: the damaged snapshot's own content.
		expect(content).toEqual({ first: 'one', second: 'two' });
		expect(JSON.stringify(content)).not.toMatch(/TWO|THREE/);

		const output = server.output;
		expect(output).toMatch(
			new RegExp(
				`storage\\.checksum_mismatch doc=${DOC} piece=snapshot outcome=".*previous snapshot`
			)
		);
		expect(output).toMatch(
			new RegExp(`storage\\.checksum_mismatch doc=${DOC} piece="row ${row}" outcome="left out;`)
		);
		const unhealthy = await health(server);
		expect(unhealthy.status).toBe(503);
		expect(unhealthy.body.ok).toBe(false);
		expect(unhealthy.body.reasons!.join('\n')).toContain(
			`checksum mismatch: ${DOC} snapshot does not match its checksum`
		);
		expect(unhealthy.body.reasons!.join('\n')).toContain(
			`checksum mismatch: ${DOC} update row ${row} does not match its checksum`
		);

		// A backup never carries a doc with a piece left out.
		const cookie = await server.adminCookie();
		const refused = await server.api('GET', '/api/admin/backup', undefined, cookie);
		expect(refused.status).toBe(409);
		expect(refused.body.code).toBe('damaged');
		expect(refused.body.error).toContain(`Document ${DOC}`);

		// Once the room unloads it is stored anew from the state it was served with.
		await waitFor(async () => (await health(server!)).status === 200, {
			what: 'the doc to be compacted'
		});
		const backup = await server.api('GET', '/api/admin/backup', undefined, cookie);
		expect(backup.status).toBe(200);
		await server.restart();
		expect(await served(server)).toEqual({ first: 'one', second: 'two' });
		expect(server.output.split('listening').at(-1)).not.toContain('checksum_mismatch');
	}, 90_000);

	it('a doc whose snapshot and previous snapshot are both damaged is not served at all', async () => {
		server = await storedInThreeRuns();
		flip(server.dbPath, SNAPSHOT, 'two', 'TWO');
		flip(server.dbPath, PREVIOUS, 'one', 'ONE');
		await server.restart();

		const cookie = await server.adminCookie();
		const doc = new Y.Doc();
		const provider = new WebsocketProvider(server.wsUrl + '/sync', DOC, doc, {
			disableBc: true,
			WebSocketPolyfill: cookieWebSocket(
				cookie,
				server.origin
			) as unknown as typeof globalThis.WebSocket
		});
		try {
			await waitFor(() => /room\.load_failed doc=county\.2022\.haigang/.test(server!.output), {
				what: 'the load to fail'
			});
			const unhealthy = await health(server);
			expect(unhealthy.status).toBe(503);
			expect(unhealthy.body.reasons!.join('\n')).toMatch(
				/room county\.2022\.haigang failed: it could not be loaded \(Document county\.2022\.haigang: the snapshot is damaged and no earlier verified copy exists/
			);
			expect(provider.synced).toBe(false);
			expect(doc.getMap('problems').toJSON()).toEqual({});
		} finally {
			provider.destroy();
			doc.destroy();
		}
		expect(await server.stop()).toBe(0);
	}, 90_000);
});

describe('/healthz and failing storage (issue 14)', () => {
	it('is 503 with the reason while writes fail, sign-in answers a plain error, and both recover', async () => {
		server = await TestServer.start({ env: { SQLITE_BUSY_TIMEOUT_MS: '200' } });
		expect(await health(server)).toEqual({ status: 200, body: { ok: true } });
		// Another connection holds the write lock, as a stuck process or a full disk would stop
		// every write.
		const holder = new Database(server.dbPath);
		holder.exec('BEGIN EXCLUSIVE');
		try {
			const signIn = await server.api('POST', '/api/session', {
				username: 'admin',
				password: ADMIN_PASSWORD
			});
			expect(signIn.status).toBe(503);
			expect(signIn.body.code).toBe('storage_unavailable');
			expect(signIn.body.error).toContain('服务器暂时无法保存数据');
			expect(signIn.body.error).toContain('The server cannot save right now');
			const unhealthy = await health(server);
			expect(unhealthy.status).toBe(503);
			expect(unhealthy.body.reasons).toEqual([
				expect.stringMatching(/^storage cannot be written: database is locked \(since /)
			]);
		} finally {
			holder.exec('ROLLBACK');
			holder.close();
		}
		await waitFor(async () => (await health(server!)).status === 200, {
			what: '/healthz to see that writes work again'
		});
		expect(await health(server)).toEqual({ status: 200, body: { ok: true } });
		expect(server.output).toMatch(/storage\.recovered/);
		expect(
			(
				await server.api('POST', '/api/session', {
					username: 'admin',
					password: ADMIN_PASSWORD
				})
			).status
		).toBe(200);
	});
});
