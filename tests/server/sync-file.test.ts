import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProblem } from '../../src/lib/domain/commands.ts';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle.ts';
import { readProblems, type FileRef } from '../../src/lib/domain/problem.ts';
import {
	encodeSyncFile,
	toBase64,
	type SyncFileAttachment
} from '../../src/lib/domain/sync-file.ts';
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

const fileOf = (
	docs: { name: string; update: Uint8Array }[],
	attachments: SyncFileAttachment[] = []
) => encodeSyncFile({ exportedAt: new Date().toISOString(), exportedBy: zhang, docs, attachments });

/** A distinct small "photo" per test, so what one test stores never satisfies another. */
function photo(label: string, doc = HAIGANG): SyncFileAttachment {
	const data = new Uint8Array(Buffer.from(`\x89PNG evidence of ${label} ${Date.now()}`));
	const sha256 = createHash('sha256').update(data).digest('hex');
	return { sha256, doc, name: `${label}.png`, type: 'image/png', size: data.byteLength, data };
}

/** Offline edits that resolve a new problem with `evidence`, as a county worker would. */
async function resolvedWith(docName: string, title: string, evidence: FileRef[]) {
	const copy = await openDoc(server, docName, admin);
	copy.provider.disconnect();
	const id = createProblem(copy.doc, { title }, zhang);
	resolveProblem(copy.doc, id, { note: '已整改', evidence }, zhang);
	const update = Y.encodeStateAsUpdate(copy.doc);
	copy.destroy();
	return update;
}

const refOf = ({ sha256, name, type, size }: SyncFileAttachment): FileRef => ({
	sha256,
	name,
	type,
	size
});

/** `GET /api/files/<sha256>?doc=` as the evidence link does it. */
async function getFile(sha256: string, doc: string, cookie: string) {
	const response = await fetch(`${server.url}/api/files/${sha256}?doc=${doc}`, {
		headers: { cookie }
	});
	return {
		status: response.status,
		type: response.headers.get('content-type'),
		bytes: new Uint8Array(await response.arrayBuffer())
	};
}

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

	it('holds a file to the field rules of a socket: a county user cannot close a problem by file', async () => {
		const live = await sync(HAIGANG, admin);
		// Written through the administrator's socket, so the history names the administrator.
		const administrator = { username: 'admin', name: 'admin' };
		const id = createProblem(live.doc, { title: '文件销号：只可由市总工会' }, administrator);
		resolveProblem(live.doc, id, { note: '已整改', evidence: [] }, administrator);
		const watcher = await sync(HAIGANG, viewer);
		const statusOf = (doc: Y.Doc) => readProblems(doc).find((p) => p.id === id)?.status;
		await waitFor(() => statusOf(watcher.doc) === 'resolved', { what: 'resolution stored' });
		// A hand-made file: the problem closed in a copy made apart from the server.
		const copy = await openDoc(server, HAIGANG, admin);
		copy.provider.disconnect();
		const city = { username: 'wuwei', name: '武威', role: 'city' as const };
		closeProblem(
			copy.doc,
			id,
			{
				verifier: '武威',
				verifiedOn: '2022-12-01',
				satisfaction: 'satisfied',
				followUp: '回访职工满意'
			},
			city
		);
		const file = fileOf([{ name: HAIGANG, update: Y.encodeStateAsUpdate(copy.doc) }]);
		copy.destroy();
		const rows = server.updateRows(HAIGANG);

		const refused = await post(file, county);
		expect(refused.status).toBe(403);
		expect(refused.body.error).toContain('nothing from this file was imported');
		expect(refused.body).toMatchObject({ code: 'forbidden_change', params: { doc: HAIGANG } });
		expect(server.updateRows(HAIGANG)).toBe(rows);
		expect(statusOf(live.doc)).toBe('resolved');

		// The same file from a city user or an administrator is a verified closure.
		expect((await post(file, admin)).status).toBe(200);
		await waitFor(() => statusOf(watcher.doc) === 'closed', { what: 'closure relayed' });
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
		expect(refused.body).toMatchObject({ code: 'doc_forbidden', params: { docs: QINGLONG } });
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
		const cases: [string, number, string, string][] = [
			['not json at all', 400, 'not valid JSON', 'bad_file'],
			[JSON.stringify({ format: 'something-else', version: 1 }), 400, 'not a Qingdan', 'bad_file'],
			[good.replace('"version":2', '"version":9'), 400, 'version 9', 'bad_file'],
			[
				JSON.stringify({ ...JSON.parse(good), docs: [{ name: HAIGANG, update: '***' }] }),
				400,
				'base64',
				'bad_file'
			],
			[
				// Valid base64, but not a Yjs update: the bounded checker refuses it.
				JSON.stringify({
					...JSON.parse(good),
					docs: [{ name: HAIGANG, update: toBase64(new Uint8Array([255, 255, 255, 255, 15])) }]
				}),
				400,
				'damaged',
				'bad_update'
			],
			[
				JSON.stringify({
					...JSON.parse(good),
					docs: [{ name: 'county.2022.nowhere', update: 'AAA=' }]
				}),
				404,
				'county.2022.nowhere',
				'unknown_doc'
			]
		];
		for (const [body, status, text, code] of cases) {
			const answer = await post(body, county);
			expect(answer.status, body.slice(0, 60)).toBe(status);
			expect(answer.body.error).toContain(text);
			expect(answer.body.code, body.slice(0, 60)).toBe(code);
		}
		expect((await post(good, county, { 'content-type': 'text/plain' })).status).toBe(415);
		expect((await server.api('POST', '/api/sync-file', good)).status).toBe(401);
		expect(server.updateRows(HAIGANG)).toBe(rows);
	});

	it('stores the attachments like an upload: the evidence link serves the bytes to every reader', async () => {
		const evidence = photo('维修后');
		const update = await resolvedWith(HAIGANG, '带附件的整改', [refOf(evidence)]);
		const file = fileOf([{ name: HAIGANG, update }], [evidence]);
		expect((await getFile(evidence.sha256, HAIGANG, admin)).status).toBe(404);

		const first = await post(file, county);
		expect(first.status).toBe(200);
		expect(first.body.attachments).toEqual([
			{ sha256: evidence.sha256, doc: HAIGANG, name: '维修后.png', stored: true }
		]);
		const problem = readProblems((await sync(HAIGANG, viewer)).doc).find(
			(p) => p.title === '带附件的整改'
		)!;
		expect(problem.resolution!.evidence).toEqual([refOf(evidence)]);
		for (const cookie of [viewer, otherCounty, admin]) {
			const served = await getFile(evidence.sha256, HAIGANG, cookie);
			expect(served.status).toBe(200);
			expect(served.type).toBe('image/png');
			expect(served.bytes).toEqual(evidence.data);
		}
		// Linked to its doc only, as an upload for that doc would be.
		expect((await getFile(evidence.sha256, QINGLONG, admin)).status).toBe(404);

		// The same file again: nothing new, nothing stored twice.
		const rows = server.updateRows(HAIGANG);
		const again = await post(file, county);
		expect(again.status).toBe(200);
		expect(again.body.docs).toEqual([{ name: HAIGANG, changed: false, incomplete: false }]);
		expect(again.body.attachments[0].stored).toBe(false);
		expect(server.updateRows(HAIGANG)).toBe(rows);
		expect(server.output.match(/sync_file\.imported.* stored=1/g)).toHaveLength(1);
	});

	it('refuses a file whose attachment does not match its SHA-256, and stores nothing', async () => {
		const good = photo('good');
		const tampered = { ...photo('tampered'), sha256: photo('claimed').sha256 };
		const update = await resolvedWith(HAIGANG, '篡改的附件', [refOf(good), refOf(tampered)]);
		const rows = server.updateRows(HAIGANG);

		const answer = await post(fileOf([{ name: HAIGANG, update }], [good, tampered]), county);
		expect(answer.status).toBe(400);
		expect(answer.body.error).toContain('tampered.png');
		expect(answer.body.error).toContain('SHA-256');
		expect(answer.body).toMatchObject({
			code: 'bad_attachment',
			params: { problem: 'attachment-hash', attachment: 'tampered.png' }
		});
		expect(server.updateRows(HAIGANG)).toBe(rows);
		const actual = createHash('sha256').update(tampered.data).digest('hex');
		for (const sha256 of [good.sha256, tampered.sha256, actual]) {
			expect((await getFile(sha256, HAIGANG, admin)).status).toBe(404);
		}
		const check = await sync(HAIGANG, admin);
		expect(titles(check.doc)).not.toContain('篡改的附件');
	});

	it('refuses with 403 an attachment for a doc the importer may not write, storing nothing', async () => {
		const evidence = photo('越权', QINGLONG);
		const update = await resolvedWith(QINGLONG, '越权的附件', [refOf(evidence)]);
		const file = fileOf([{ name: QINGLONG, update }], [evidence]);
		for (const cookie of [county, viewer]) {
			const answer = await post(file, cookie);
			expect(answer.status).toBe(403);
			expect(answer.body.error).toContain(QINGLONG);
		}
		expect((await getFile(evidence.sha256, QINGLONG, admin)).status).toBe(404);
	});

	it("applies the server's own rules for attachments: types, and an attachment's doc in the file", async () => {
		const svg = { ...photo('drawing'), name: 'drawing.svg', type: 'image/svg+xml' };
		const update = await resolvedWith(HAIGANG, '不接受的类型', [refOf(svg)]);
		const wrongType = await post(fileOf([{ name: HAIGANG, update }], [svg]), county);
		expect(wrongType.status).toBe(400);
		expect(wrongType.body.error).toContain('drawing.svg');
		expect(wrongType.body.error).toContain('image/svg+xml');

		const stray = photo('别处的附件', QINGLONG);
		const body = JSON.parse(fileOf([{ name: HAIGANG, update }]));
		body.attachments = [{ ...stray, data: toBase64(stray.data) }];
		const strayDoc = await post(JSON.stringify(body), county);
		expect(strayDoc.status).toBe(400);
		expect(strayDoc.body.error).toContain('别处的附件.png');
		for (const { sha256 } of [svg, stray]) {
			expect((await getFile(sha256, HAIGANG, admin)).status).toBe(404);
			expect((await getFile(sha256, QINGLONG, admin)).status).toBe(404);
		}
	});

	it('still imports a version 1 file, from before attachments', async () => {
		const update = await offlineEdits(HAIGANG, ['旧版本文件']);
		const body = JSON.parse(fileOf([{ name: HAIGANG, update }]));
		delete body.attachments;
		body.version = 1;
		const answer = await post(JSON.stringify(body), county);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			docs: [{ name: HAIGANG, changed: true, incomplete: false }],
			attachments: []
		});
	});
});

describe('POST /api/sync-file with a small per-file limit', () => {
	it("refuses an attachment over the server's MAX_FILE_BYTES, naming it, and stores nothing", async () => {
		const small = await TestServer.start({ env: { MAX_FILE_BYTES: '64' } });
		try {
			const cookie = await small.adminCookie();
			const big = { ...photo('太大的照片'), data: new Uint8Array(65).fill(7) };
			big.size = 65;
			big.sha256 = createHash('sha256').update(big.data).digest('hex');
			const update = Y.encodeStateAsUpdate(new Y.Doc());
			const answer = await small.api(
				'POST',
				'/api/sync-file',
				fileOf([{ name: HAIGANG, update }], [big]),
				cookie
			);
			expect(answer.status).toBe(400);
			expect(answer.body.error).toContain('太大的照片.png');
			expect(answer.body.error).toContain('at most 64');
			const get = await fetch(`${small.url}/api/files/${big.sha256}?doc=${HAIGANG}`, {
				headers: { cookie }
			});
			expect(get.status).toBe(404);
		} finally {
			await small.dispose();
		}
	});
});
