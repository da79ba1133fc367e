import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProblem } from '../../src/lib/domain/commands.ts';
import { readProblems } from '../../src/lib/domain/problem.ts';
import { encodeSyncFile, toBase64 } from '../../src/lib/domain/sync-file.ts';
import { openDoc, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

const HAIGANG = 'county.2022.haigang';
const QINGLONG = 'county.2022.qinglong';
const zhang = { username: 'zhangxin', name: '张鑫' };

let server: TestServer;
let admin: string;
let county: string;
let otherCounty: string;
let viewer: string;
const open: SyncedDoc[] = [];

async function sync(docName: string, cookie: string): Promise<SyncedDoc> {
	const synced = await openDoc(server, docName, cookie);
	open.push(synced);
	return synced;
}

/** A doc made apart from the server: the server's state plus some problems, as a device offline. */
async function offlineEdits(docName: string, titles: string[]): Promise<Uint8Array> {
	const copy = await openDoc(server, docName, admin);
	copy.provider.disconnect();
	for (const title of titles) createProblem(copy.doc, { title }, zhang);
	const update = Y.encodeStateAsUpdate(copy.doc);
	copy.destroy();
	return update;
}

const fileOf = (docs: { name: string; update: Uint8Array }[]) =>
	encodeSyncFile({ exportedAt: new Date().toISOString(), exportedBy: zhang, docs });

const titles = (doc: Y.Doc) => readProblems(doc).map((p) => p.title);
const post = (body: string, cookie: string, headers: Record<string, string> = {}) =>
	server.api('POST', '/api/sync-file', body, cookie, headers);

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
	county = await server.createUser({
		username: 'zhangxin',
		password: 'county-password',
		role: 'county',
		county: 'haigang',
		displayName: '张鑫'
	});
	otherCounty = await server.createUser({
		username: 'lina',
		password: 'county-password',
		role: 'county',
		county: 'qinglong',
		displayName: '李娜'
	});
	viewer = await server.createUser({
		username: 'guest',
		password: 'viewer-password',
		role: 'viewer',
		displayName: '访客'
	});
});
afterAll(async () => {
	for (const synced of open) synced.destroy();
	await server?.dispose();
});

describe('POST /api/sync-file', () => {
	it('applies a file into the live room, relays it to a connected client, and stores it', async () => {
		const watcher = await sync(HAIGANG, admin);
		const file = fileOf([{ name: HAIGANG, update: await offlineEdits(HAIGANG, ['职工书屋缺书']) }]);
		const rowsBefore = server.updateRows(HAIGANG);

		const first = await post(file, county);
		expect(first.status).toBe(200);
		expect(first.body.docs).toEqual([{ name: HAIGANG, changed: true, incomplete: false }]);
		await waitFor(() => titles(watcher.doc).includes('职工书屋缺书'), { what: 'relay' });
		expect(server.updateRows(HAIGANG)).toBeGreaterThan(rowsBefore);

		// A fresh client reads it from the server: it was committed like any other update.
		const fresh = await sync(HAIGANG, county);
		expect(titles(fresh.doc)).toContain('职工书屋缺书');
	});

	it('importing the same file twice changes nothing', async () => {
		const file = fileOf([{ name: HAIGANG, update: await offlineEdits(HAIGANG, ['食堂排队']) }]);
		expect((await post(file, county)).body.docs[0].changed).toBe(true);
		const rows = server.updateRows(HAIGANG);
		const again = await post(file, county);
		expect(again.status).toBe(200);
		expect(again.body.docs).toEqual([{ name: HAIGANG, changed: false, incomplete: false }]);
		expect(server.updateRows(HAIGANG)).toBe(rows);
	});

	it('writes into storage a doc nobody has open', async () => {
		const update = await offlineEdits(QINGLONG, ['夜班通勤']);
		const answer = await post(fileOf([{ name: QINGLONG, update }]), otherCounty);
		expect(answer.status).toBe(200);
		expect(answer.body.docs[0].changed).toBe(true);
		const reader = await sync(QINGLONG, viewer);
		expect(titles(reader.doc)).toContain('夜班通勤');
	});

	it('refuses the whole file with 403 when one doc is not writable, and writes nothing', async () => {
		const haigang = await offlineEdits(HAIGANG, ['只应在许可下合并']);
		const qinglong = await offlineEdits(QINGLONG, ['越权的修改']);
		const rows = [server.updateRows(HAIGANG), server.updateRows(QINGLONG)];
		const mixed = fileOf([
			{ name: HAIGANG, update: haigang },
			{ name: QINGLONG, update: qinglong }
		]);

		const refused = await post(mixed, county);
		expect(refused.status).toBe(403);
		expect(refused.body.error).toContain(QINGLONG);
		expect(refused.body.error).not.toContain(HAIGANG);
		for (const cookie of [viewer, otherCounty]) {
			const answer = await post(fileOf([{ name: HAIGANG, update: haigang }]), cookie);
			expect(answer.status).toBe(403);
			expect(answer.body.error).toContain(HAIGANG);
		}
		expect([server.updateRows(HAIGANG), server.updateRows(QINGLONG)]).toEqual(rows);
		const check = await sync(HAIGANG, admin);
		expect(titles(check.doc)).not.toContain('只应在许可下合并');
	});

	it('answers garbage with 400, a wrong type with 415, no session with 401', async () => {
		const good = fileOf([{ name: HAIGANG, update: await offlineEdits(HAIGANG, ['x']) }]);
		const rows = server.updateRows(HAIGANG);
		const cases: [string, number, string][] = [
			['not json at all', 400, 'not valid JSON'],
			[JSON.stringify({ format: 'something-else', version: 1 }), 400, 'not a Qingdan'],
			[good.replace('"version":1', '"version":9'), 400, 'version 9'],
			[
				JSON.stringify({ ...JSON.parse(good), docs: [{ name: HAIGANG, update: '***' }] }),
				400,
				'base64'
			],
			[
				// Valid base64, but not a Yjs update: the bounded checker refuses it.
				JSON.stringify({
					...JSON.parse(good),
					docs: [{ name: HAIGANG, update: toBase64(new Uint8Array([255, 255, 255, 255, 15])) }]
				}),
				400,
				'damaged'
			],
			[
				JSON.stringify({
					...JSON.parse(good),
					docs: [{ name: 'county.2022.nowhere', update: 'AAA=' }]
				}),
				404,
				'county.2022.nowhere'
			]
		];
		for (const [body, status, text] of cases) {
			const answer = await post(body, county);
			expect(answer.status, body.slice(0, 60)).toBe(status);
			expect(answer.body.error).toContain(text);
		}
		expect((await post(good, county, { 'content-type': 'text/plain' })).status).toBe(415);
		expect((await server.api('POST', '/api/sync-file', good)).status).toBe(401);
		expect(server.updateRows(HAIGANG)).toBe(rows);
	});
});
