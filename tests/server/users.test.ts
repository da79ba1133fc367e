import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './harness.ts';

const run = promisify(execFile);
let server: TestServer;
let admin: string;
let cityCookie: string;

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
	cityCookie = await server.createUser({
		username: 'wuwei',
		password: 'city-password',
		role: 'city',
		displayName: '武威'
	});
});
afterAll(() => server?.dispose());

describe('users API', () => {
	it('lets an admin create county and viewer users', async () => {
		const county = await server.api(
			'POST',
			'/api/users',
			{
				username: 'zhangxin',
				password: 'county-password',
				role: 'county',
				county: 'haigang',
				displayName: '张鑫'
			},
			admin
		);
		expect(county.status).toBe(201);
		expect(county.body.user).toEqual({
			username: 'zhangxin',
			displayName: '张鑫',
			role: 'county',
			county: 'haigang'
		});
		const viewer = await server.api(
			'POST',
			'/api/users',
			{ username: 'observer', password: 'viewer-password', role: 'viewer' },
			admin
		);
		expect(viewer.status).toBe(201);
		expect(viewer.body.user.displayName).toBe('observer');
		const list = await server.api('GET', '/api/users', undefined, admin);
		expect(list.body.users.map((u: { username: string }) => u.username)).toEqual([
			'admin',
			'observer',
			'wuwei',
			'zhangxin'
		]);
		expect(JSON.stringify(list.body)).not.toMatch(/hash|password/i);
	});

	it('answers 409 for a taken username', async () => {
		const taken = await server.api(
			'POST',
			'/api/users',
			{ username: 'wuwei', password: 'another-password', role: 'viewer' },
			admin
		);
		expect(taken.status).toBe(409);
	});

	it('answers 400 for bad input', async () => {
		const bad = [
			{ username: 'ok-name', password: 'long-enough', role: 'boss' },
			{ username: 'ok-name', password: 'long-enough', role: 'county' },
			{ username: 'ok-name', password: 'long-enough', role: 'county', county: 'nowhere' },
			{ username: 'ok-name', password: 'long-enough', role: 'city', county: 'haigang' },
			{ username: 'Bad Name', password: 'long-enough', role: 'city' },
			{ username: 'ok-name', password: 'short', role: 'city' },
			{ username: 'ok-name', password: 'long-enough', role: 'city', displayName: 'x'.repeat(41) }
		];
		for (const body of bad) {
			const response = await server.api('POST', '/api/users', body, admin);
			expect(response.status, JSON.stringify(body)).toBe(400);
			expect(typeof response.body.error).toBe('string');
		}
	});

	it('says what is wrong with a username in Chinese and English, and how to fix it', async () => {
		for (const username of ['张三', 'Zhang San', 'x', '-dash-first']) {
			const response = await server.api(
				'POST',
				'/api/users',
				{ username, password: 'zhang-san-2022-qd', role: 'city' },
				admin
			);
			expect(response.status).toBe(400);
			expect(response.body.error).toContain('用户名需 2–32 个字符');
			expect(response.body.error).toContain('Usernames have 2–32 characters');
			expect(response.body.error).toContain('姓名');
		}
		const taken = await server.api(
			'POST',
			'/api/users',
			{ username: 'admin', password: 'zhang-san-2022-qd', role: 'city' },
			admin
		);
		expect(taken.status).toBe(409);
		expect(taken.body.error).toBe('用户名“admin”已被使用。The username "admin" is taken.');
	});

	it('is for admins only: 401 without a session, 403 for other roles', async () => {
		expect((await server.api('GET', '/api/users')).status).toBe(401);
		expect((await server.api('GET', '/api/users', undefined, cityCookie)).status).toBe(403);
		const create = await server.api(
			'POST',
			'/api/users',
			{ username: 'sneaky', password: 'sneaky-password', role: 'admin' },
			cityCookie
		);
		expect(create.status).toBe(403);
		expect((await server.api('DELETE', '/api/users/admin', undefined, cityCookie)).status).toBe(
			403
		);
	});

	it('updates role, county and display name, and deletes users', async () => {
		const patched = await server.api(
			'PATCH',
			'/api/users/observer',
			{ role: 'county', county: 'lulong', displayName: '王宏亮' },
			admin
		);
		expect(patched.status).toBe(200);
		expect(patched.body.user).toEqual({
			username: 'observer',
			displayName: '王宏亮',
			role: 'county',
			county: 'lulong'
		});
		const back = await server.api('PATCH', '/api/users/observer', { role: 'viewer' }, admin);
		expect(back.body.user).toEqual({ username: 'observer', displayName: '王宏亮', role: 'viewer' });
		expect((await server.api('PATCH', '/api/users/nobody', { role: 'city' }, admin)).status).toBe(
			404
		);
		expect((await server.api('DELETE', '/api/users/observer', undefined, admin)).status).toBe(204);
		expect((await server.api('DELETE', '/api/users/observer', undefined, admin)).status).toBe(404);
	});

	it('ends the other sessions of a user whose password changes', async () => {
		const patched = await server.api(
			'PATCH',
			'/api/users/wuwei',
			{ password: 'new-city-password' },
			admin
		);
		expect(patched.status).toBe(200);
		expect((await server.api('GET', '/api/me', undefined, cityCookie)).status).toBe(401);
		await server.login('wuwei', 'new-city-password');
	});

	it('never removes or demotes the last admin', async () => {
		expect((await server.api('PATCH', '/api/users/admin', { role: 'city' }, admin)).status).toBe(
			400
		);
		expect((await server.api('DELETE', '/api/users/admin', undefined, admin)).status).toBe(400);
		expect((await server.api('GET', '/api/me', undefined, admin)).body.user.role).toBe('admin');
	});
});

describe('users CLI', () => {
	const cli = (args: string[], env: Record<string, string> = {}) =>
		run(process.execPath, ['--import', 'tsx', path.join('server', 'cli', 'users.ts'), ...args], {
			env: { ...process.env, DATA_DIR: server.dataDir, ...env }
		});

	it('adds a user to the data dir of a stopped server, who can then sign in', async () => {
		expect(await server.stop()).toBe(0);
		const added = await cli(
			['add', 'sunbaoqi', '--role', 'county', '--county', 'haigang', '--name', '孙宝旗'],
			{
				QINGDAN_PASSWORD: 'cli-password-1'
			}
		);
		expect(added.stdout).toContain('Created sunbaoqi');
		const listed = await cli(['list']);
		expect(listed.stdout).toMatch(/sunbaoqi\s+county\s+haigang\s+孙宝旗/);
		await expect(
			cli(['add', 'sunbaoqi', '--role', 'city'], { QINGDAN_PASSWORD: 'x'.repeat(12) })
		).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringContaining('taken')
		});
		await server.restart();
		const cookie = await server.login('sunbaoqi', 'cli-password-1');
		const me = await server.api('GET', '/api/me', undefined, cookie);
		expect(me.body.user).toEqual({
			username: 'sunbaoqi',
			displayName: '孙宝旗',
			role: 'county',
			county: 'haigang'
		});
	});
});
