import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProblem, addProgressNote } from '../../src/lib/domain/commands.ts';
import { problemsOf } from '../../src/lib/domain/problem.ts';
import { docJson } from '../../server/backup/format.ts';
import { openDoc } from './clients.ts';
import { ADMIN_PASSWORD, TestServer, waitFor } from './harness.ts';

const run = promisify(execFile);
const COUNTY_DOC = 'county.2022.haigang';
const ZHANG = {
	username: 'zhangxin',
	password: 'zhangxin-pass',
	role: 'county',
	county: 'haigang',
	displayName: '张鑫'
};
const EVIDENCE = Buffer.from('整改前后的照片说明 evidence\n');
const EVIDENCE_SHA = createHash('sha256').update(EVIDENCE).digest('hex');

let source: TestServer;
let backup: Buffer;
const temps: string[] = [];
const servers: TestServer[] = [];

function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-backup-test-'));
	temps.push(dir);
	return dir;
}

/** Runs `npm run restore` (the CLI); resolves with its exit code and output. */
async function restoreCli(file: string, dataDir: string) {
	try {
		const { stdout, stderr } = await run(
			process.execPath,
			['--import', 'tsx', 'server/cli/restore.ts', file, '--data-dir', dataDir],
			{ cwd: path.resolve(import.meta.dirname, '../..') }
		);
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, output: failed.stdout + failed.stderr };
	}
}

function writeTemp(bytes: Buffer): string {
	const file = path.join(tempDir(), 'x.qdbackup');
	fs.writeFileSync(file, bytes);
	return file;
}

async function contentOf(server: TestServer, name: string, cookie: string) {
	const synced = await openDoc(server, name, cookie);
	try {
		return docJson(synced.doc);
	} finally {
		synced.destroy();
	}
}

/** The backup's JSON lines, edited by `edit`, gzipped again. */
function altered(edit: (lines: Record<string, unknown>[]) => Record<string, unknown>[]): Buffer {
	const lines = gunzipSync(backup)
		.toString('utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>);
	return gzipSync(
		edit(lines)
			.map((l) => JSON.stringify(l))
			.join('\n') + '\n'
	);
}

beforeAll(async () => {
	source = await TestServer.start();
	const zhang = await source.createUser(ZHANG);
	const board = await openDoc(source, COUNTY_DOC, zhang);
	const actor = { name: '张鑫', username: 'zhangxin' };
	const first = createProblem(
		board.doc,
		{ title: '职工服务阵地不足', tier: 'party-gov', description: '新就业形态劳动者缺少驿站' },
		actor
	);
	createProblem(board.doc, { title: 'Union dues backlog', tier: 'county-self' }, actor);
	addProgressNote(board.doc, first, '已与街道沟通选址', actor);
	const put = await fetch(`${source.url}/api/files/${EVIDENCE_SHA}?doc=${COUNTY_DOC}`, {
		method: 'PUT',
		headers: { cookie: zhang, 'content-type': 'text/plain', origin: source.origin },
		body: new Uint8Array(EVIDENCE)
	});
	expect(put.status).toBe(201);
	await waitFor(async () => problemsOf((await openDoc(source, COUNTY_DOC, zhang)).doc).size === 2, {
		what: 'the problems to be stored'
	});
	board.destroy();
	const response = await fetch(`${source.url}/api/admin/backup`, {
		headers: { cookie: await source.adminCookie() }
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-disposition')).toMatch(
		/attachment; filename="qingdan-backup-\d{8}-\d{4}\.qdbackup"/
	);
	backup = Buffer.from(await response.arrayBuffer());
}, 60_000);

afterAll(async () => {
	for (const server of [source, ...servers]) await server?.dispose();
	for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('full backup', () => {
	it('is for administrators only', async () => {
		expect((await source.api('GET', '/api/admin/backup')).status).toBe(401);
		const zhang = await source.login(ZHANG.username, ZHANG.password);
		expect((await source.api('GET', '/api/admin/backup', undefined, zhang)).status).toBe(403);
	});

	it('holds a header, readable JSON of every doc, users without sessions, files and counts', () => {
		const lines = gunzipSync(backup)
			.toString('utf8')
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(lines[0]).toMatchObject({ kind: 'header', format: 'qingdan-backup', version: 1 });
		const county = lines.find((l) => l.kind === 'doc' && l.name === COUNTY_DOC);
		const titles = Object.values(county.json.problems).map((p) => (p as { title: string }).title);
		expect(titles.sort()).toEqual(['Union dues backlog', '职工服务阵地不足']);
		const zhang = lines.find((l) => l.kind === 'user' && l.username === 'zhangxin');
		expect(zhang).toMatchObject({ role: 'county', county: 'haigang', displayName: '张鑫' });
		expect(zhang.passwordHash).toMatch(/^scrypt\$/);
		expect(JSON.stringify(lines)).not.toMatch(/token|session/i);
		expect(lines.find((l) => l.kind === 'file')).toMatchObject({
			sha256: EVIDENCE_SHA,
			docs: [COUNTY_DOC]
		});
		expect(lines.at(-1)).toMatchObject({
			kind: 'end',
			counts: { users: 2, files: 1, campaigns: 1 }
		});
	});
});

describe('restore with the command line', () => {
	it('into a new data dir gives a server with the same docs, users and files', async () => {
		const dataDir = path.join(tempDir(), 'data');
		const result = await restoreCli(writeTemp(backup), dataDir);
		expect(result.output).toMatch(/Restored \d+ documents, 2 users, 1 files/);
		expect(result.code).toBe(0);
		const restored = await TestServer.start({ dataDir, adminPassword: null });
		servers.push(restored);
		const zhang = await restored.login(ZHANG.username, ZHANG.password);
		const admin = await restored.login('admin', ADMIN_PASSWORD);
		const sourceAdmin = await source.adminCookie();
		for (const name of [COUNTY_DOC, 'campaign.2022', 'county.2022.lulong']) {
			expect(await contentOf(restored, name, admin)).toEqual(
				await contentOf(source, name, sourceAdmin)
			);
		}
		const file = await fetch(`${restored.url}/api/files/${EVIDENCE_SHA}?doc=${COUNTY_DOC}`, {
			headers: { cookie: zhang }
		});
		expect(file.status).toBe(200);
		expect(Buffer.from(await file.arrayBuffer())).toEqual(EVIDENCE);
	}, 60_000);

	it('refuses a data dir that is not empty, and leaves it as it was', async () => {
		const dataDir = tempDir();
		fs.writeFileSync(path.join(dataDir, 'keep.txt'), 'mine');
		const result = await restoreCli(writeTemp(backup), dataDir);
		expect(result.code).toBe(1);
		expect(result.output).toMatch(/is not empty.*never overwrites/);
		expect(fs.readdirSync(dataDir)).toEqual(['keep.txt']);
	});

	const broken: [string, () => Buffer, RegExp][] = [
		['garbage', () => Buffer.from('this is not a backup at all'), /not a Qingdan backup file/],
		[
			'a truncated file',
			() => backup.subarray(0, Math.floor(backup.length / 2)),
			/incomplete or damaged/
		],
		[
			'a file missing its end',
			() => altered((lines) => lines.slice(0, -1)),
			/incomplete: it ends before its end record/
		],
		[
			'an end record without counts',
			() => altered((lines) => [...lines.slice(0, -1), { kind: 'end', counts: null }]),
			/The end record has no counts/
		],
		[
			'records after the end',
			() => altered((lines) => [...lines, lines[1]!]),
			/data after its end record/
		],
		[
			'another format',
			() => altered((lines) => [{ ...lines[0], format: 'something-else' }, ...lines.slice(1)]),
			/not a Qingdan backup file/
		],
		[
			'a newer version',
			() => altered((lines) => [{ ...lines[0], version: 2 }, ...lines.slice(1)]),
			/format version 2/
		],
		[
			'a damaged doc state',
			() =>
				altered((lines) =>
					lines.map((l) =>
						l.name === COUNTY_DOC ? { ...l, state: Buffer.from([0, 5, 200]).toString('base64') } : l
					)
				),
			/Document county.2022.haigang is damaged/
		],
		[
			'a bad doc name',
			() =>
				altered((lines) =>
					lines.map((l) => (l.name === COUNTY_DOC ? { ...l, name: '../etc' } : l))
				),
			/"..\/etc" is not a document name/
		],
		[
			'a file that does not match its hash',
			() =>
				altered((lines) =>
					lines.map((l) =>
						l.kind === 'file' ? { ...l, data: Buffer.from('swapped').toString('base64') } : l
					)
				),
			/do not match its hash/
		]
	];
	for (const [what, bytes, message] of broken) {
		it(`refuses ${what} with a clear message and writes nothing`, async () => {
			const dataDir = path.join(tempDir(), 'data');
			const result = await restoreCli(writeTemp(bytes()), dataDir);
			expect(result.code).toBe(1);
			expect(result.output).toMatch(/Not restored: /);
			expect(result.output).toMatch(message);
			expect(fs.existsSync(dataDir)).toBe(false);
		});
	}
});

describe('restore from the admin page (POST /api/admin/restore)', () => {
	it('restores into a fresh server, and clients of the replaced docs are told to drop them', async () => {
		const fresh = await TestServer.start();
		servers.push(fresh);
		const admin = await fresh.adminCookie();
		const watcher = await openDoc(fresh, 'campaign.2022', admin);
		const closed = new Promise<number>((resolve) =>
			watcher.provider.on('connection-close', (event) => resolve(event?.code ?? 0))
		);
		const garbage = await fresh.api('POST', '/api/admin/restore', 'garbage', admin, {
			'content-type': 'application/octet-stream'
		});
		expect(garbage.status).toBe(400);
		expect(garbage.body.error).toMatch(/Not restored: .*not a Qingdan backup/);

		const response = await fetch(`${fresh.url}/api/admin/restore`, {
			method: 'POST',
			headers: { cookie: admin, origin: fresh.origin, 'content-type': 'application/octet-stream' },
			body: new Uint8Array(backup)
		});
		expect(response.status).toBe(200);
		expect(await closed).toBe(4409);
		watcher.destroy();
		const zhang = await fresh.login(ZHANG.username, ZHANG.password);
		expect(await contentOf(fresh, COUNTY_DOC, zhang)).toEqual(
			await contentOf(source, COUNTY_DOC, await source.adminCookie())
		);
		expect(await contentOf(fresh, 'campaign.2022', zhang)).toEqual(
			await contentOf(source, 'campaign.2022', await source.adminCookie())
		);

		const again = await fresh.api('POST', '/api/admin/restore', undefined, admin);
		expect(again.status).toBe(409);
	}, 60_000);

	it('refuses a server that already has work on it, and is for administrators only', async () => {
		const zhang = await source.login(ZHANG.username, ZHANG.password);
		const asCounty = await fetch(`${source.url}/api/admin/restore`, {
			method: 'POST',
			headers: { cookie: zhang, origin: source.origin },
			body: new Uint8Array(backup)
		});
		expect(asCounty.status).toBe(403);
		const response = await fetch(`${source.url}/api/admin/restore`, {
			method: 'POST',
			headers: { cookie: await source.adminCookie(), origin: source.origin },
			body: new Uint8Array(backup)
		});
		expect(response.status).toBe(409);
		expect(((await response.json()) as { error: string }).error).toMatch(
			/Not restored: .*(users other than administrators|already)/
		);
	});
});
