import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { upgradeStatus } from './clients.ts';
import { ADMIN_PASSWORD, TestServer, cookieOf } from './harness.ts';

interface RawResponse {
	status: number;
	type: string;
	body: string;
	setCookie: string;
}

/** A request sent to the server's socket under any Host header (fetch cannot set one). */
function request(
	server: TestServer,
	method: string,
	path: string,
	headers: Record<string, string>,
	body?: unknown
): Promise<RawResponse> {
	const { port } = new URL(server.url);
	const text = body === undefined ? undefined : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				method,
				path,
				headers: { ...(text ? { 'content-type': 'application/json' } : {}), ...headers }
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						type: String(res.headers['content-type']),
						body: Buffer.concat(chunks).toString('utf8'),
						setCookie: String(res.headers['set-cookie'] ?? '')
					})
				);
			}
		);
		req.on('error', reject);
		req.end(text);
	});
}

const bilingual = (text: string) => {
	expect(text).toContain('此服务器不接受发往该地址的请求');
	expect(text).toContain('This server does not answer requests addressed to that host name');
};

describe('allowed hosts without PUBLIC_URL (issue 14)', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await TestServer.start({ adminPassword: null });
	});
	afterAll(() => server.dispose());

	it('refuses a request for another host name with 421 in Chinese and English, page and API alike', async () => {
		const { port } = new URL(server.url);
		for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
			const page = await request(server, 'GET', '/', { host });
			expect(page.status, host).toBe(421);
			bilingual(page.body);
			const api = await request(server, 'GET', '/api/setup', { host });
			expect(api.status, host).toBe(421);
			expect(api.type).toContain('application/json');
			expect(JSON.parse(api.body).code).toBe('wrong_host');
			bilingual(JSON.parse(api.body).error);
		}
		for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
			expect((await request(server, 'GET', '/api/setup', { host })).status, host).toBe(200);
		}
	});

	it('refuses first-run setup through a rebinding host name, and takes it from the real one', async () => {
		const { port } = new URL(server.url);
		// To the browser this is same-origin: the page and the request are both evil.example.
		const rebound = await request(
			server,
			'POST',
			'/api/setup',
			{ host: `evil.example:${port}`, origin: `http://evil.example:${port}` },
			{ username: 'attacker', password: 'attacker-password-1' }
		);
		expect(rebound.status).toBe(421);
		expect((await server.api('GET', '/api/setup')).body).toEqual({ needsSetup: true });
		const real = await server.api('POST', '/api/setup', {
			username: 'admin',
			password: ADMIN_PASSWORD
		});
		expect(real.status).toBe(201);
	});

	it('refuses a WebSocket upgrade for another host name before anything else', async () => {
		const cookie = await server.login('admin', ADMIN_PASSWORD);
		const { port } = new URL(server.url);
		expect(
			await upgradeStatus(server, '/sync/campaign.2022', {
				cookie,
				host: `evil.example:${port}`,
				origin: `http://evil.example:${port}`
			})
		).toBe(421);
		expect(
			await upgradeStatus(server, '/sync/campaign.2022', {
				cookie,
				host: `localhost:${port}`,
				origin: `http://localhost:${port}`
			})
		).toBe(101);
		expect(server.output).toMatch(/ws\.refused status=421 reason="host not allowed"/);
	});

	it('answers /healthz under any name (monitors address the server by IP)', async () => {
		expect((await request(server, 'GET', '/healthz', { host: '10.0.0.5:3000' })).status).toBe(200);
	});
});

describe('allowed hosts with PUBLIC_URL (issue 14)', () => {
	const PUBLIC = 'https://qingdan.example.gov.cn';
	const HOST = 'qingdan.example.gov.cn';
	let server: TestServer;
	beforeAll(async () => {
		server = await TestServer.start({ env: { PUBLIC_URL: PUBLIC } });
	});
	afterAll(() => server.dispose());

	it('serves its host only, and takes its origin as the only same-site one', async () => {
		const { port } = new URL(server.url);
		expect((await request(server, 'GET', '/api/setup', { host: HOST })).status).toBe(200);
		expect((await request(server, 'GET', '/api/setup', { host: `${HOST}:443` })).status).toBe(200);
		for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `${HOST}:8443`, 'evil.example']) {
			expect((await request(server, 'GET', '/api/setup', { host })).status, host).toBe(421);
		}
		const credentials = { username: 'admin', password: ADMIN_PASSWORD };
		const signIn = await request(
			server,
			'POST',
			'/api/session',
			{ host: HOST, origin: PUBLIC },
			credentials
		);
		expect(signIn.status).toBe(200);
		for (const origin of [`http://${HOST}`, `${PUBLIC}:8443`, 'https://evil.example']) {
			const refused = await request(
				server,
				'POST',
				'/api/session',
				{ host: HOST, origin },
				credentials
			);
			expect(refused.status, origin).toBe(403);
		}
	});

	it('upgrades a WebSocket that names its host and origin, and refuses other origins', async () => {
		const { port } = new URL(server.url);
		const signIn = await request(
			server,
			'POST',
			'/api/session',
			{ host: HOST, origin: PUBLIC },
			{ username: 'admin', password: ADMIN_PASSWORD }
		);
		const raw = cookieOf(new Headers({ 'set-cookie': signIn.setCookie }));
		const socket = new WebSocket(`ws://127.0.0.1:${port}/sync/campaign.2022`, {
			headers: { host: HOST, cookie: raw },
			origin: PUBLIC
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		});
		const firstMessage = await new Promise<Buffer>((resolve) =>
			socket.once('message', (data: Buffer) => resolve(data))
		);
		expect(firstMessage.byteLength).toBeGreaterThan(0);
		socket.close();
		expect(
			await upgradeStatus(server, '/sync/campaign.2022', {
				cookie: raw,
				host: HOST,
				origin: `http://${HOST}`
			})
		).toBe(403);
		expect(
			await upgradeStatus(server, '/sync/campaign.2022', {
				cookie: raw,
				host: `127.0.0.1:${port}`,
				origin: PUBLIC
			})
		).toBe(421);
	});
});

describe('PUBLIC_URL and HOST at start (issue 14)', () => {
	it('a PUBLIC_URL that is not an absolute http(s) address stops the server, naming the setting', async () => {
		for (const bad of [
			'qingdan.example.gov.cn',
			'ftp://qingdan.example.gov.cn',
			'https://x.cn/app'
		]) {
			const outcome = await TestServer.start({ env: { PUBLIC_URL: bad } }).then(
				async (started) => {
					await started.dispose();
					return 'listening';
				},
				(error: Error) => error.message
			);
			expect(outcome, bad).toMatch(/exited with 1 before listening/);
			expect(outcome, bad).toContain('PUBLIC_URL must be');
		}
	});

	it('warns when HOST takes connections from other machines but PUBLIC_URL is unset', async () => {
		const server = await TestServer.start({ env: { HOST: '0.0.0.0' } });
		try {
			expect(server.output).toMatch(/config\.warning .*HOST=0\.0\.0\.0.*PUBLIC_URL is not set/);
		} finally {
			await server.dispose();
		}
		const quiet = await TestServer.start();
		try {
			expect(quiet.output).not.toContain('config.warning');
		} finally {
			await quiet.dispose();
		}
	});
});
