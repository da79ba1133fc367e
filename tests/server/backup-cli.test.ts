import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProgressNote, createProblem } from '../../src/lib/domain/commands.ts';
import { problemsOf } from '../../src/lib/domain/problem.ts';
import { docJson } from '../../server/backup/format.ts';
import { openDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
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
let zhang: string;
const temps: string[] = [];
const servers: TestServer[] = [];

function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-backup-cli-'));
	temps.push(dir);
	return dir;
}

/** Runs a CLI of ours; resolves with its exit code and output. */
async function cli(script: string, args: string[]) {
	try {
		const { stdout, stderr } = await run(
			process.execPath,
			['--import', 'tsx', `server/cli/${script}.ts`, ...args],
			{ cwd: ROOT }
		);
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, output: failed.stdout + failed.stderr };
	}
}

const backups = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.qdbackup'));

async function contentOf(server: TestServer, cookie: string) {
	const synced = await openDoc(server, COUNTY_DOC, cookie);
	try {
		return docJson(synced.doc);
	} finally {
		synced.destroy();
	}
}

beforeAll(async () => {
	source = await TestServer.start();
	servers.push(source);
	zhang = await source.createUser(ZHANG);
	const board = await openDoc(source, COUNTY_DOC, zhang);
	const actor = { name: '张鑫', username: 'zhangxin' };
	const first = createProblem(board.doc, { title: '职工服务阵地不足', tier: 'party-gov' }, actor);
	addProgressNote(board.doc, first, '已与街道沟通选址', actor);
	const put = await fetch(`${source.url}/api/files/${EVIDENCE_SHA}?doc=${COUNTY_DOC}`, {
		method: 'PUT',
		headers: { cookie: zhang, 'content-type': 'text/plain', origin: source.origin },
		body: new Uint8Array(EVIDENCE)
	});
	expect(put.status).toBe(201);
	board.destroy();
	// Stored: a client that starts afresh sees the problem.
	await waitFor(
		async () => {
			const fresh = await openDoc(source, COUNTY_DOC, zhang);
			const size = problemsOf(fresh.doc).size;
			fresh.destroy();
			return size === 1;
		},
		{ what: 'the problem stored' }
	);
}, 60_000);

afterAll(async () => {
	for (const server of servers) await server.dispose();
	for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run backup', () => {
	it('writes a backup of a running server that the restore reads back whole', async () => {
		const out = tempDir();
		// Someone keeps working while the backup is taken.
		const writer = await openDoc(source, COUNTY_DOC, zhang);
		let writing = true;
		const busy = (async () => {
			for (let i = 0; writing; i++) {
				createProblem(
					writer.doc,
					{ title: `备份期间新增 ${i}`, tier: 'unsorted' },
					{
						name: '张鑫',
						username: 'zhangxin'
					}
				);
				await new Promise((resolve) => setImmediate(resolve));
			}
		})();
		const result = await cli('backup', ['--out', out, '--data-dir', source.dataDir]);
		writing = false;
		await busy;
		writer.destroy();
		expect(result.output).toMatch(/^Wrote .*qingdan-\d{8}-\d{6}\.qdbackup \(\d+\.\d MB\)\./);
		expect(result.code).toBe(0);
		const [file] = backups(out);
		expect(file).toBeDefined();
		// Nothing half-written is left beside it.
		expect(fs.readdirSync(out)).toEqual([file]);
		// The server went on serving.
		expect((await source.api('GET', '/healthz')).status).toBe(200);

		const dataDir = path.join(tempDir(), 'restored');
		const restored = await cli('restore', [path.join(out, file!), '--data-dir', dataDir]);
		expect(restored.output).toContain('Restored');
		expect(restored.code).toBe(0);
		const copy = await TestServer.start({ dataDir, adminPassword: null });
		servers.push(copy);
		const cookie = await copy.login(ZHANG.username, ZHANG.password);
		const content = await contentOf(copy, cookie);
		const titles = Object.values(content.problems as Record<string, { title: string }>).map(
			(p) => p.title
		);
		expect(titles).toContain('职工服务阵地不足');
		const evidence = await fetch(`${copy.url}/api/files/${EVIDENCE_SHA}?doc=${COUNTY_DOC}`, {
			headers: { cookie }
		});
		expect(evidence.status).toBe(200);
		expect(Buffer.from(await evidence.arrayBuffer())).toEqual(EVIDENCE);
	}, 120_000);

	it('keeps the newest N with --keep, and leaves other files in the folder alone', async () => {
		const out = tempDir();
		fs.writeFileSync(path.join(out, 'notes.txt'), 'not a backup');
		const old = path.join(out, 'qingdan-20220101-080000.qdbackup');
		fs.writeFileSync(old, 'an old backup');
		fs.utimesSync(old, new Date('2022-01-01'), new Date('2022-01-01'));
		for (let i = 0; i < 3; i++) {
			const result = await cli('backup', [
				'--out',
				out,
				'--data-dir',
				source.dataDir,
				'--keep',
				'2'
			]);
			expect(result.code).toBe(0);
		}
		const kept = backups(out);
		expect(kept).toHaveLength(2);
		expect(kept).not.toContain('qingdan-20220101-080000.qdbackup');
		expect(fs.existsSync(path.join(out, 'notes.txt'))).toBe(true);
	}, 120_000);

	it('says what is wrong with its arguments and writes nothing', async () => {
		const out = tempDir();
		const cases: [string[], RegExp][] = [
			[['--data-dir', source.dataDir], /No backup written: Say where the backup goes: --out DIR/],
			[
				['--out', out, '--data-dir', source.dataDir, '--keep', '0'],
				/--keep must be a whole number ≥ 1, got "0"/
			],
			[['--out', out, '--data-dir', path.join(out, 'nowhere')], /There is no Qingdan database in/],
			[['--out', out, '--bogus'], /No backup written: Unknown option '--bogus'/]
		];
		for (const [args, message] of cases) {
			const result = await cli('backup', args);
			expect(result.code).toBe(1);
			expect(result.output).toMatch(message);
		}
		expect(backups(out)).toEqual([]);
	}, 120_000);
});
