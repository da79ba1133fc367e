import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/password.ts';
import { TestServer } from './harness.ts';

const run = promisify(execFile);
/** Ten characters or more, and still among the first guesses of anyone guessing passwords. */
const COMMON = ['password123', '1234567890', 'qwertyuiop', 'P@ssw0rd123'];
const GOOD = 'haigang-gonghui-2022';

let server: TestServer;
let admin: string;

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
});
afterAll(() => server?.dispose());

const refusal = (body: { error?: unknown }) => String(body.error);

describe('password policy: at least 10 characters, not a common password', () => {
	it('POST /api/users refuses short and common passwords with a plain message in Chinese and English', async () => {
		const short = await server.api(
			'POST',
			'/api/users',
			{ username: 'lisi', password: 'abc-12345', role: 'viewer' },
			admin
		);
		expect(short.status).toBe(400);
		expect(refusal(short.body)).toContain('至少需要 10 个字符');
		expect(refusal(short.body)).toContain('at least 10 characters');
		for (const password of COMMON) {
			const common = await server.api(
				'POST',
				'/api/users',
				{ username: 'lisi', password, role: 'viewer' },
				admin
			);
			expect(common.status, password).toBe(400);
			expect(refusal(common.body)).toContain('太常见');
			expect(refusal(common.body)).toContain('too common');
		}
		expect((await server.api('GET', '/api/users', undefined, admin)).body.users).not.toContainEqual(
			expect.objectContaining({ username: 'lisi' })
		);
		const created = await server.api(
			'POST',
			'/api/users',
			{ username: 'lisi', password: GOOD, role: 'viewer' },
			admin
		);
		expect(created.status).toBe(201);
		await server.login('lisi', GOOD);
	});

	it('PATCH /api/users refuses a common new password and the old one keeps working', async () => {
		await server.createUser({ username: 'wangfang', password: GOOD, role: 'viewer' });
		const patched = await server.api(
			'PATCH',
			'/api/users/wangfang',
			{ password: 'iloveyou123' },
			admin
		);
		expect(patched.status).toBe(400);
		expect(refusal(patched.body)).toContain('too common');
		await server.login('wangfang', GOOD);
	});

	it('first-run setup refuses a common password', async () => {
		const fresh = await TestServer.start({ adminPassword: null });
		try {
			const setup = await fresh.api('POST', '/api/setup', {
				username: 'admin',
				password: 'administrator'
			});
			expect(setup.status).toBe(400);
			expect(refusal(setup.body)).toContain('太常见');
			expect((await fresh.api('GET', '/api/setup')).body).toEqual({ needsSetup: true });
		} finally {
			await fresh.dispose();
		}
	});

	it('a weak QINGDAN_ADMIN_PASSWORD stops the first start with exit code 1 and a plain message', async () => {
		await expect(TestServer.start({ adminPassword: 'password123' })).rejects.toThrow(
			/server exited with 1 before listening:[\s\S]*too common/
		);
	});

	it('the users CLI refuses a common password', async () => {
		await expect(
			run(
				process.execPath,
				[
					'--import',
					'tsx',
					path.join('server', 'cli', 'users.ts'),
					'add',
					'zhaoliu',
					'--role',
					'viewer'
				],
				{
					env: { ...process.env, DATA_DIR: server.dataDir, QINGDAN_PASSWORD: '1234567890' }
				}
			)
		).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('too common') });
	});

	it('an account whose password predates the rule still signs in', async () => {
		expect(await server.stop()).toBe(0);
		const db = new Database(server.dbPath);
		const now = new Date().toISOString();
		db.prepare(
			`INSERT INTO users (username, display_name, role, county, password_hash, created_at, updated_at)
			 VALUES (?, ?, 'viewer', NULL, ?, ?, ?)`
		).run('laozhang', '老张', await hashPassword('12345678'), now, now);
		db.close();
		await server.restart();
		const cookie = await server.login('laozhang', '12345678');
		const me = await server.api('GET', '/api/me', undefined, cookie);
		expect(me.body.user.username).toBe('laozhang');
	});
});
