import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../src/lib/sync/protocol.ts';
import { rawUpgrade } from '../faults/scenarios/raw-socket.ts';
import { RawClient, docFromUpdate, openDoc, syncMessage, upgradeStatus } from './clients.ts';
import { TestServer, cookieOf, waitFor } from './harness.ts';

let server: TestServer;
const cookies: Record<string, string> = {};
const clients: RawClient[] = [];

const PEOPLE = {
	admin: null,
	city: { username: 'wuwei', password: 'city-password', role: 'city' },
	'county (own: haigang)': {
		username: 'zhangxin',
		password: 'county-password',
		role: 'county',
		county: 'haigang'
	},
	'county (other: lulong)': {
		username: 'wanghl',
		password: 'county-password',
		role: 'county',
		county: 'lulong'
	},
	viewer: { username: 'guest', password: 'viewer-password', role: 'viewer' }
} as const;
type Person = keyof typeof PEOPLE;

const DOCS = ['campaign.2022', 'county.2022.haigang', 'county.2022.lulong'] as const;

/** Who may write where: admin and city everywhere, a county user only its own county. */
const MAY_WRITE: Record<Person, (typeof DOCS)[number][]> = {
	admin: [...DOCS],
	city: [...DOCS],
	'county (own: haigang)': ['county.2022.haigang'],
	'county (other: lulong)': ['county.2022.lulong'],
	viewer: []
};

beforeAll(async () => {
	server = await TestServer.start();
	cookies.admin = await server.adminCookie();
	for (const [person, spec] of Object.entries(PEOPLE)) {
		if (spec) cookies[person] = await server.createUser({ ...spec });
	}
});
afterAll(async () => {
	for (const client of clients) client.close();
	await server?.dispose();
});

async function raw(docName: string, cookie: string): Promise<RawClient> {
	const client = await RawClient.connect(server, docName, cookie);
	clients.push(client);
	return client;
}

function update(key: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('problems').set(key, 'x');
	return Y.encodeStateAsUpdate(doc);
}

const has = (state: Uint8Array, key: string) => docFromUpdate(state).getMap('problems').has(key);

/** Whether any relayed update a client received carries `key`. */
const relayed = (client: RawClient, key: string) =>
	client.messages.some((m) => {
		if (m[0] !== MESSAGE_SYNC || m[1] !== 2) return false;
		const decoder = decoding.createDecoder(m);
		decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		return has(decoding.readVarUint8Array(decoder), key);
	});

// Guarantees 8 and 9: every role × every doc scope × read and write, at the WebSocket level.
describe('who may read and write which doc', () => {
	const cells = (Object.keys(PEOPLE) as Person[]).flatMap((person) =>
		DOCS.map((doc) => [person, doc, MAY_WRITE[person].includes(doc)] as const)
	);

	it.each(cells)('%s on %s: reads; writes: %s', async (person, doc, mayWrite) => {
		const key = `${person}-${doc}`.replace(/\W+/g, '-');
		expect(
			await upgradeStatus(server, `/sync/${doc}`, {
				cookie: cookies[person]!,
				origin: server.origin
			})
		).toBe(101);
		const watcher = await raw(doc, cookies.admin!);
		const socket = await raw(doc, cookies[person]!);
		// Reading: the state comes back (sync step 1 is answered for everyone who may read).
		await socket.roundTrip();
		const rowsBefore = server.updateRows(doc);
		socket.send(syncMessage(1, update(`${key}-step2`)));
		socket.send(syncMessage(2, update(`${key}-update`)));
		const state = await socket.roundTrip();
		for (const suffix of ['step2', 'update']) {
			expect(has(state, `${key}-${suffix}`), `applied (${suffix})`).toBe(mayWrite);
		}
		if (mayWrite) {
			await waitFor(() => relayed(watcher, `${key}-update`), { what: 'the relay' });
			expect(server.updateRows(doc)).toBeGreaterThan(rowsBefore);
		} else {
			// Nothing applied, stored or relayed — and the socket stays open for reading.
			await watcher.roundTrip();
			expect(relayed(watcher, `${key}-update`) || relayed(watcher, `${key}-step2`)).toBe(false);
			expect(server.updateRows(doc)).toBe(rowsBefore);
			expect(socket.closeInfo).toBeNull();
		}
	});
});

describe('sessions at the sync endpoint (guarantee 10)', () => {
	const NEVER_OPENED = 'county.2022.beidaihe';
	const status = (cookie?: string) =>
		upgradeStatus(server, `/sync/${NEVER_OPENED}`, {
			origin: server.origin,
			...(cookie ? { cookie } : {})
		});

	it('refuses no, expired, forged and revoked sessions with 401 before loading any doc', async () => {
		expect(await status()).toBe(401);
		expect(await status(`qd_session=${randomBytes(32).toString('base64url')}`)).toBe(401);
		expect(await status('qd_session=' + 'A'.repeat(5000))).toBe(401);

		const expired = await server.login('guest', 'viewer-password');
		const db = new Database(server.dbPath);
		const token = expired.slice('qd_session='.length);
		db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(
			Date.now() - 1000,
			createHash('sha256').update(token).digest('hex')
		);
		// The hash the database keeps is not a token either.
		const stolenHash = db
			.prepare('SELECT token_hash FROM sessions WHERE expires_at > ? LIMIT 1')
			.pluck()
			.get(Date.now()) as string;
		db.close();
		expect(await status(expired)).toBe(401);
		expect(await status(`qd_session=${stolenHash}`)).toBe(401);

		const revoked = await server.login('guest', 'viewer-password');
		expect(await status(revoked)).toBe(101);
		expect((await server.api('DELETE', '/api/session', undefined, revoked)).status).toBe(204);
		expect(await status(revoked)).toBe(401);

		const beforePasswordChange = await server.login('guest', 'viewer-password');
		const changed = await server.api(
			'PATCH',
			'/api/users/guest',
			{ password: 'viewer-password-2' },
			cookies.admin
		);
		expect(changed.status).toBe(200);
		expect(await status(beforePasswordChange)).toBe(401);
		cookies.viewer = await server.login('guest', 'viewer-password-2');

		// Only the one successful upgrade above loaded the doc; no refusal did.
		const loads = server.output.match(
			new RegExp(`room\\.loaded doc=${NEVER_OPENED.replace(/\./g, '\\.')}`, 'g')
		);
		expect(loads?.length ?? 0).toBeLessThanOrEqual(1);
		expect(server.output).toMatch(/ws\.refused status=401 reason="no session"/);
	});

	it('stops writes at once when a role is lowered or a county changed while connected', async () => {
		const doc = 'county.2022.haigang';
		const user = await server.createUser({
			username: 'mover',
			password: 'mover-password',
			role: 'county',
			county: 'haigang'
		});
		const socket = await raw(doc, user);
		socket.send(syncMessage(2, update('mover-own')));
		await waitFor(async () => has(await socket.roundTrip(), 'mover-own'), { what: 'own write' });

		const moved = await server.api(
			'PATCH',
			'/api/users/mover',
			{ county: 'lulong' },
			cookies.admin
		);
		expect(moved.status).toBe(200);
		const rows = server.updateRows(doc);
		socket.send(syncMessage(2, update('mover-after-move')));
		expect(has(await socket.roundTrip(), 'mover-after-move')).toBe(false);
		expect(server.updateRows(doc)).toBe(rows);

		const city = await server.createUser({
			username: 'demoted',
			password: 'demoted-pw',
			role: 'city'
		});
		const citySocket = await raw(doc, city);
		citySocket.send(syncMessage(2, update('demoted-before')));
		await waitFor(async () => has(await citySocket.roundTrip(), 'demoted-before'), {
			what: 'city write'
		});
		expect(
			(await server.api('PATCH', '/api/users/demoted', { role: 'viewer' }, cookies.admin)).status
		).toBe(200);
		citySocket.send(syncMessage(1, update('demoted-after')));
		expect(has(await citySocket.roundTrip(), 'demoted-after')).toBe(false);
	});
});

describe('cross-origin and logs (guarantee 12)', () => {
	it('refuses a cross-origin upgrade with a valid cookie, and no log line ever holds a session token', async () => {
		for (const origin of ['https://evil.example', 'null', `${server.origin}.evil.example`]) {
			expect(
				await upgradeStatus(server, '/sync/campaign.2022', { cookie: cookies.admin!, origin }),
				origin
			).toBe(403);
		}
		// Exercise everything that logs, with real and made-up tokens.
		const signIn = await server.api('POST', '/api/session', {
			username: 'zhangxin',
			password: 'county-password'
		});
		const fresh = cookieOf(signIn.headers);
		const forged = `qd_session=${randomBytes(32).toString('base64url')}`;
		await server.api('POST', '/api/session', { username: 'zhangxin', password: 'wrong-password' });
		for (const cookie of [fresh, forged, cookies.admin!]) {
			await server.api('GET', '/api/me', undefined, cookie);
			await server.api('GET', '/api/users', undefined, cookie);
			await server.api('GET', '/api/nowhere', undefined, cookie);
			await upgradeStatus(server, '/sync/campaign.2022', {
				cookie,
				origin: 'https://evil.example'
			});
			await upgradeStatus(server, '/sync/../../etc', { cookie, origin: server.origin });
			await upgradeStatus(server, `/sync/campaign.2022?token=${cookie}`, {
				cookie,
				origin: server.origin
			});
		}
		const socket = await raw('campaign.2022', fresh);
		socket.send(new Uint8Array([0xff]));
		await socket.closed;
		await server.api('DELETE', '/api/session', undefined, fresh);

		const tokens = [fresh, forged, ...Object.values(cookies)].map((c) =>
			c.slice('qd_session='.length)
		);
		for (const token of tokens) {
			const hash = createHash('sha256').update(token).digest('hex');
			expect(server.output.includes(token), 'a token in the log').toBe(false);
			expect(server.output.includes(hash), 'a token hash in the log').toBe(false);
		}
		expect(server.output).not.toMatch(/county-password|wrong-password/);
	});
});

describe('awareness (guarantee 13)', () => {
	it("cannot claim another user's name, nor take over another client's awareness", async () => {
		const doc = 'county.2022.haigang';
		const honest = await openDoc(server, doc, cookies['county (own: haigang)']!);
		const watcher = await openDoc(server, doc, cookies.admin!);
		honest.provider.awareness.setLocalStateField('cursor', 'p1');
		await waitFor(() => watcher.provider.awareness.getStates().get(honest.doc.clientID)?.cursor, {
			what: 'the honest state'
		});
		const liar = await raw(doc, cookies.viewer!);
		const claim = (clientID: number, clock: number) => {
			const inner = encoding.createEncoder();
			encoding.writeVarUint(inner, 1);
			encoding.writeVarUint(inner, clientID);
			encoding.writeVarUint(inner, clock);
			encoding.writeVarString(
				inner,
				JSON.stringify({
					user: { username: 'admin', name: '管理员', role: 'admin' },
					cursor: 'lie'
				})
			);
			const outer = encoding.createEncoder();
			encoding.writeVarUint(outer, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
			return encoding.toUint8Array(outer);
		};
		// Its own client id: shown under its real name. The honest client's id: ignored.
		liar.send(claim(424242, 1));
		liar.send(claim(honest.doc.clientID, 1_000_000));
		const own = await waitFor(() => watcher.provider.awareness.getStates().get(424242), {
			what: "the liar's own state"
		});
		expect(own.user).toMatchObject({ username: 'guest', role: 'viewer' });
		await liar.roundTrip();
		const kept = watcher.provider.awareness.getStates().get(honest.doc.clientID);
		expect(kept?.cursor).toBe('p1');
		expect(kept?.user).toMatchObject({ username: 'zhangxin' });
		honest.destroy();
		watcher.destroy();
	});
});

describe('security headers (guarantee 20)', () => {
	const expectHeaders = (headers: Headers | http.IncomingHttpHeaders, what: string) => {
		const get = (name: string) =>
			headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined);
		const csp = get('content-security-policy') ?? '';
		expect(csp, what).toMatch(/default-src '(self|none)'/);
		expect(csp, what).toContain("frame-ancestors 'none'");
		expect(csp, what).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp, what).not.toMatch(/connect-src[^;]*(\bws:|\bwss:|\bhttps?:|\*)/);
		expect(get('x-content-type-options'), what).toBe('nosniff');
		expect(get('referrer-policy'), what).toBe('same-origin');
	};

	it('are on every kind of response, refusals included; the CSP allows only this origin', async () => {
		for (const [method, path, body] of [
			['GET', '/', undefined],
			['GET', '/c/2022/haigang', undefined],
			['GET', '/healthz', undefined],
			['GET', '/api/me', undefined],
			['GET', '/api/nowhere', undefined],
			['PUT', '/api/session', undefined],
			['POST', '/api/session', '{"broken'],
			['GET', '/sync/campaign.2022', undefined],
			['GET', '/_app/immutable/missing.js', undefined]
		] as const) {
			const response = await server.api(method, path, body);
			expectHeaders(response.headers, `${method} ${path} (${response.status})`);
		}
		const csp = (await server.api('GET', '/')).headers.get('content-security-policy')!;
		expect(csp).toMatch(/connect-src 'self'(;|$)/);
		expect(csp).toMatch(/script-src 'self'( 'sha256-[^']+')*(;|$)/);

		// The plain HTTP answers to refused WebSocket upgrades carry them too.
		for (const cookie of [null, cookies.admin!]) {
			const headers = await refusalHeaders(cookie);
			expectHeaders(headers, `refused upgrade (${cookie ? 'bad doc' : 'no session'})`);
		}
		await expect(rawUpgrade(server, 'nowhere', null)).rejects.toThrow(/401/);
	});
});

function refusalHeaders(cookie: string | null): Promise<http.IncomingHttpHeaders> {
	const { port } = new URL(server.url);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: '127.0.0.1',
			port,
			path: cookie ? '/sync/nowhere' : '/sync/campaign.2022',
			headers: {
				connection: 'Upgrade',
				upgrade: 'websocket',
				'sec-websocket-version': '13',
				'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
				origin: server.origin,
				...(cookie ? { cookie } : {})
			}
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.headers);
		});
		req.on('upgrade', () => reject(new Error('upgraded')));
		req.on('error', reject);
		req.end();
	});
}

// Guarantee 19, on a server with low limits so that the test stays short.
describe('sign-in (guarantee 19)', () => {
	let login: TestServer;

	beforeAll(async () => {
		login = await TestServer.start({
			env: { LOGIN_FAILURES_PER_USER: '3', LOGIN_FAILURES_PER_ADDRESS: '4' }
		});
		for (const username of ['known', 'other', 'locked']) {
			const created = await login.api(
				'POST',
				'/api/users',
				{ username, password: 'the-right-password', role: 'viewer' },
				await login.adminCookie()
			);
			expect(created.status).toBe(201);
		}
	});
	afterAll(() => login?.dispose());

	/** POST /api/session from a chosen loopback address (each 127.x address is a different client). */
	function signIn(
		from: string,
		username: string,
		password: string
	): Promise<{ status: number; body: string; ms: number; setCookie: boolean }> {
		const { port } = new URL(login.url);
		const body = JSON.stringify({ username, password });
		const started = performance.now();
		return new Promise((resolve, reject) => {
			const req = http.request(
				{
					host: '127.0.0.1',
					port,
					method: 'POST',
					path: '/api/session',
					localAddress: from,
					headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
				},
				(res) => {
					let text = '';
					res.on('data', (chunk: Buffer) => (text += chunk.toString()));
					res.on('end', () =>
						resolve({
							status: res.statusCode ?? 0,
							body: text,
							ms: performance.now() - started,
							setCookie: res.headers['set-cookie'] !== undefined
						})
					);
				}
			);
			req.on('error', reject);
			req.end(body);
		});
	}

	const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

	it('answers an unknown user exactly like a wrong password, in about the same time', async () => {
		const known: number[] = [];
		const unknown: number[] = [];
		const unknownNames = ['nobody', 'no-such-user', 'Not A Valid Name!', 'ghost'];
		for (let i = 0; i < 4; i++) {
			const wrong = await signIn(`127.0.1.${i + 1}`, i % 2 ? 'known' : 'other', 'a-wrong-password');
			const missing = await signIn(`127.0.2.${i + 1}`, unknownNames[i]!, 'a-wrong-password');
			expect(wrong.status).toBe(401);
			expect(missing.status).toBe(401);
			expect(missing.body).toBe(wrong.body);
			expect(missing.setCookie || wrong.setCookie).toBe(false);
			known.push(wrong.ms);
			unknown.push(missing.ms);
		}
		const ratio = median(unknown) / median(known);
		expect(ratio, `unknown ${median(unknown)} ms vs known ${median(known)} ms`).toBeGreaterThan(
			0.5
		);
		expect(ratio).toBeLessThan(2);
	});

	it('throttles an account after repeated failures, from any address, even with the right password', async () => {
		for (let i = 0; i < 3; i++) {
			expect((await signIn(`127.0.3.${i + 1}`, 'locked', 'guess')).status).toBe(401);
		}
		expect((await signIn('127.0.3.9', 'locked', 'the-right-password')).status).toBe(429);
		expect((await signIn('127.0.3.9', 'known', 'the-right-password')).status).toBe(200);
	});

	it('throttles an address after repeated failures, whatever username it tries next', async () => {
		for (const name of ['a1', 'a2', 'a3', 'a4']) {
			expect((await signIn('127.0.4.1', name, 'guess')).status).toBe(401);
		}
		const throttled = await signIn('127.0.4.1', 'known', 'the-right-password');
		expect(throttled.status).toBe(429);
		expect((await signIn('127.0.4.2', 'known', 'the-right-password')).status).toBe(200);
	});

	it('stores passwords as scrypt with N ≥ 2^17', () => {
		const hashes = login.withDb(
			(db) => db.prepare('SELECT password_hash FROM users').pluck().all() as string[]
		);
		expect(hashes.length).toBeGreaterThanOrEqual(4);
		for (const hash of hashes) {
			const [kind, logN, r, p, salt, key] = hash.split('$');
			expect(kind).toBe('scrypt');
			expect(Number(logN)).toBeGreaterThanOrEqual(17);
			expect(Number(r)).toBeGreaterThanOrEqual(8);
			expect(Number(p)).toBeGreaterThanOrEqual(1);
			expect(Buffer.from(salt!, 'base64').length).toBeGreaterThanOrEqual(16);
			expect(Buffer.from(key!, 'base64').length).toBeGreaterThanOrEqual(32);
		}
	});
});
