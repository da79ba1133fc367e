import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, TestServer, cookieOf } from './harness.ts';

let server: TestServer;

beforeAll(async () => {
	server = await TestServer.start();
});
afterAll(() => server?.dispose());

describe('health and setup', () => {
	it('answers /healthz once the database is open', async () => {
		const response = await server.api('GET', '/healthz');
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ ok: true });
	});

	it('needs no setup when QINGDAN_ADMIN_PASSWORD created the admin', async () => {
		expect((await server.api('GET', '/api/setup')).body).toEqual({ needsSetup: false });
		const again = await server.api('POST', '/api/setup', {
			username: 'boss',
			password: 'longenough'
		});
		expect(again.status).toBe(409);
	});

	it('creates the first administrator exactly once when started without one', async () => {
		const fresh = await TestServer.start({ adminPassword: null });
		try {
			expect((await fresh.api('GET', '/api/setup')).body).toEqual({ needsSetup: true });
			const created = await fresh.api('POST', '/api/setup', {
				username: 'chair',
				password: 'first-admin-pw',
				displayName: '主席'
			});
			expect(created.status).toBe(201);
			expect(created.body.user).toEqual({ username: 'chair', displayName: '主席', role: 'admin' });
			const me = await fresh.api('GET', '/api/me', undefined, cookieOf(created.headers));
			expect(me.body.user.username).toBe('chair');
			expect((await fresh.api('GET', '/api/setup')).body).toEqual({ needsSetup: false });
			const second = await fresh.api('POST', '/api/setup', {
				username: 'intruder',
				password: 'second-admin-pw'
			});
			expect(second.status).toBe(409);
		} finally {
			await fresh.dispose();
		}
	});
});

describe('sessions', () => {
	it('signs in with an HttpOnly, SameSite=Strict session cookie', async () => {
		const response = await server.api('POST', '/api/session', {
			username: 'admin',
			password: ADMIN_PASSWORD
		});
		expect(response.status).toBe(200);
		expect(response.body).toEqual({
			user: { username: 'admin', displayName: '管理员', role: 'admin' }
		});
		const setCookie = response.headers.get('set-cookie')!;
		expect(setCookie).toMatch(/^qd_session=[\w-]{40,};/);
		expect(setCookie).toContain('HttpOnly');
		expect(setCookie).toContain('SameSite=Strict');
		expect(setCookie).toContain('Path=/');
		expect(setCookie).not.toContain('Secure');
	});

	it('marks the cookie Secure behind an HTTPS proxy', async () => {
		const response = await server.api(
			'POST',
			'/api/session',
			{ username: 'admin', password: ADMIN_PASSWORD },
			undefined,
			{ 'x-forwarded-proto': 'https' }
		);
		expect(response.headers.get('set-cookie')).toContain('Secure');
	});

	it('refuses a wrong password and an unknown user with 401', async () => {
		const wrong = await server.api('POST', '/api/session', {
			username: 'admin',
			password: 'nope-nope'
		});
		expect(wrong.status).toBe(401);
		expect(wrong.headers.get('set-cookie')).toBeNull();
		expect(typeof wrong.body.error).toBe('string');
		const unknown = await server.api('POST', '/api/session', {
			username: 'ghost',
			password: 'whatever1'
		});
		expect(unknown.status).toBe(401);
	});

	it('answers /api/me with 401 without a cookie and with the user with one', async () => {
		expect((await server.api('GET', '/api/me')).status).toBe(401);
		expect((await server.api('GET', '/api/me', undefined, 'qd_session=forged')).status).toBe(401);
		const me = await server.api('GET', '/api/me', undefined, await server.adminCookie());
		expect(me.body.user.role).toBe('admin');
	});

	it('signs out: the session is gone and the cookie cleared', async () => {
		const cookie = await server.login('admin', ADMIN_PASSWORD);
		const out = await server.api('DELETE', '/api/session', undefined, cookie);
		expect(out.status).toBe(204);
		expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
		expect((await server.api('GET', '/api/me', undefined, cookie)).status).toBe(401);
	});

	it('throttles a username after repeated failures with 429 and Retry-After', async () => {
		await server.createUser({ username: 'forgetful', password: 'right-password', role: 'viewer' });
		const attempt = () =>
			server.api('POST', '/api/session', { username: 'forgetful', password: 'guessing!' });
		const first = await Promise.all(Array.from({ length: 10 }, attempt));
		expect(first.map((r) => r.status)).toEqual(Array(10).fill(401));
		const throttled = await attempt();
		expect(throttled.status).toBe(429);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
		// Even the right password waits: the username is locked for the window.
		const right = await server.api('POST', '/api/session', {
			username: 'forgetful',
			password: 'right-password'
		});
		expect(right.status).toBe(429);
	});

	it('rejects bad JSON with 400 and a plain-English error', async () => {
		const response = await server.api('POST', '/api/session', '{"username":');
		expect(response.status).toBe(400);
		expect(response.body.error).toMatch(/JSON/);
	});

	it('refuses state-changing requests from another origin', async () => {
		const response = await server.api(
			'POST',
			'/api/session',
			{ username: 'admin', password: ADMIN_PASSWORD },
			undefined,
			{ origin: 'https://evil.example' }
		);
		expect(response.status).toBe(403);
	});

	it('sets the security headers on API responses', async () => {
		const response = await server.api('GET', '/api/setup');
		expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('referrer-policy')).toBe('same-origin');
	});
});

describe('static app', () => {
	const inline = 'window.__boot = 1;';

	beforeAll(() => {
		const dir = server.staticDir;
		fs.mkdirSync(path.join(dir, '_app/immutable/entry'), { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'index.html'),
			`<!doctype html><html><head><script type="module" src="/_app/x.js"></script></head><body><script>${inline}</script></body></html>`
		);
		fs.writeFileSync(path.join(dir, '_app/immutable/entry/app.abc123.js'), 'export {};');
		fs.writeFileSync(path.join(dir, 'manifest.webmanifest'), '{}');
		fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
	});

	it('serves hashed assets as immutable with the right type', async () => {
		const response = await fetch(`${server.url}/_app/immutable/entry/app.abc123.js`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
		expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
	});

	it('serves other files with no-cache and their MIME types', async () => {
		const manifest = await fetch(`${server.url}/manifest.webmanifest`);
		expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
		expect(manifest.headers.get('cache-control')).toBe('no-cache');
		const svg = await fetch(`${server.url}/favicon.svg`);
		expect(svg.headers.get('content-type')).toBe('image/svg+xml');
	});

	it('falls back to index.html for app routes, with the inline script hash in the CSP', async () => {
		const response = await fetch(`${server.url}/board/county.2022.haigang`);
		expect(response.status).toBe(200);
		expect(await response.text()).toContain(inline);
		const hash = createHash('sha256').update(inline).digest('base64');
		expect(response.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`);
	});

	it('never serves files outside the build directory', async () => {
		fs.writeFileSync(path.join(path.dirname(server.staticDir), 'secret.txt'), 'secret');
		for (const p of [
			'/../secret.txt',
			'/%2e%2e/secret.txt',
			'/..%2fsecret.txt',
			'/..%5csecret.txt'
		]) {
			const { body } = await rawGet(server, p);
			expect(body).not.toContain('secret');
		}
	});

	it('answers missing hashed assets with 404 instead of the app', async () => {
		expect((await fetch(`${server.url}/_app/immutable/missing.js`)).status).toBe(404);
	});
});

describe('attachments', () => {
	it('stores a file under its hash for a doc the user can write, and serves it back', async () => {
		const cookie = await server.adminCookie();
		const body = Buffer.from('fake png bytes');
		const sha = createHash('sha256').update(body).digest('hex');
		const put = await fetch(`${server.url}/api/files/${sha}?doc=county.2022.haigang`, {
			method: 'PUT',
			headers: { cookie, 'content-type': 'image/png' },
			body
		});
		expect(put.status).toBe(201);
		const get = await fetch(`${server.url}/api/files/${sha}?doc=county.2022.haigang`, {
			headers: { cookie }
		});
		expect(get.status).toBe(200);
		expect(get.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await get.arrayBuffer())).toEqual(body);
		const mismatch = await fetch(
			`${server.url}/api/files/${'0'.repeat(64)}?doc=county.2022.haigang`,
			{
				method: 'PUT',
				headers: { cookie, 'content-type': 'image/png' },
				body
			}
		);
		expect(mismatch.status).toBe(400);
		const html = await fetch(`${server.url}/api/files/${sha}?doc=county.2022.haigang`, {
			method: 'PUT',
			headers: { cookie, 'content-type': 'text/html' },
			body
		});
		expect(html.status).toBe(415);
	});
});

/** A GET with the path sent exactly as given (fetch would normalise `..`). */
function rawGet(target: TestServer, rawPath: string): Promise<{ status: number; body: string }> {
	const { port } = new URL(target.url);
	return new Promise((resolve, reject) => {
		http
			.get({ host: '127.0.0.1', port, path: rawPath }, (res) => {
				let body = '';
				res.on('data', (chunk) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			})
			.on('error', reject);
	});
}
