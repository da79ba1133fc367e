import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_UNAUTHORIZED } from '../../src/lib/sync/protocol.ts';
import { RawClient, docFromUpdate, openDoc, syncMessage } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

const HAIGANG = 'county.2022.haigang';
let server: TestServer;
let admin: string;
let viewer: string;
let countyUser: string;
let cityUser: string;
const clients: RawClient[] = [];

async function raw(docName: string, cookie: string): Promise<RawClient> {
	const client = await RawClient.connect(server, docName, cookie);
	clients.push(client);
	return client;
}

/** An update that sets `problems.<key>` in a fresh doc. */
function problemUpdate(key: string, value: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('problems').set(key, value);
	return Y.encodeStateAsUpdate(doc);
}

const has = (state: Uint8Array, key: string) => docFromUpdate(state).getMap('problems').has(key);

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
	viewer = await server.createUser({
		username: 'guest',
		password: 'viewer-password',
		role: 'viewer'
	});
	countyUser = await server.createUser({
		username: 'zhangxin',
		password: 'county-password',
		role: 'county',
		county: 'haigang'
	});
	cityUser = await server.createUser({
		username: 'wuwei',
		password: 'city-password',
		role: 'city'
	});
});
afterAll(async () => {
	for (const client of clients) client.close();
	await server?.dispose();
});

describe('read-only connections', () => {
	it("never apply, store or relay a viewer's update or sync step 2", async () => {
		const writer = await openDoc(server, HAIGANG, admin);
		const guest = await raw(HAIGANG, viewer);
		const rowsBefore = server.updateRows(HAIGANG);
		guest.send(syncMessage(2, problemUpdate('from-viewer-update', 'x')));
		guest.send(syncMessage(1, problemUpdate('from-viewer-step2', 'x')));
		const state = await guest.roundTrip();
		expect(has(state, 'from-viewer-update')).toBe(false);
		expect(has(state, 'from-viewer-step2')).toBe(false);
		expect(server.updateRows(HAIGANG)).toBe(rowsBefore);
		// A later write by someone allowed does go through, and reaches the viewer ...
		writer.doc.getMap('problems').set('from-admin', 'y');
		await waitFor(async () => has(await guest.roundTrip(), 'from-admin'), { what: 'admin write' });
		// ... while the viewer's never reached the writer.
		expect(writer.doc.getMap('problems').has('from-viewer-update')).toBe(false);
		expect(writer.doc.getMap('problems').has('from-viewer-step2')).toBe(false);
		expect(guest.closeInfo).toBeNull();
		writer.destroy();
	});
});

describe('county users', () => {
	it('write their own county and nothing else', async () => {
		const own = await raw(HAIGANG, countyUser);
		own.send(syncMessage(2, problemUpdate('own-county', 'ok')));
		await waitFor(async () => has(await own.roundTrip(), 'own-county'), { what: 'own write' });

		for (const docName of ['county.2022.lulong', 'campaign.2022']) {
			const other = await raw(docName, countyUser);
			const rowsBefore = server.updateRows(docName);
			other.send(syncMessage(2, problemUpdate('not-mine', 'no')));
			other.send(syncMessage(1, problemUpdate('not-mine-step2', 'no')));
			const state = await other.roundTrip();
			expect(has(state, 'not-mine'), docName).toBe(false);
			expect(has(state, 'not-mine-step2'), docName).toBe(false);
			expect(server.updateRows(docName), docName).toBe(rowsBefore);
		}
	});
});

describe('access changes while connected', () => {
	it('stops writes as soon as the role is lowered, and signs out a deleted user', async () => {
		const socket = await raw(HAIGANG, cityUser);
		socket.send(syncMessage(2, problemUpdate('while-city', 'ok')));
		await waitFor(async () => has(await socket.roundTrip(), 'while-city'), { what: 'city write' });

		const lowered = await server.api('PATCH', '/api/users/wuwei', { role: 'viewer' }, admin);
		expect(lowered.status).toBe(200);
		const rowsBefore = server.updateRows(HAIGANG);
		socket.send(syncMessage(2, problemUpdate('while-viewer', 'no')));
		expect(has(await socket.roundTrip(), 'while-viewer')).toBe(false);
		expect(server.updateRows(HAIGANG)).toBe(rowsBefore);

		expect((await server.api('DELETE', '/api/users/wuwei', undefined, admin)).status).toBe(204);
		expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
	});

	it('signs out open sockets of a session that logs out', async () => {
		const cookie = await server.login('guest', 'viewer-password');
		const socket = await raw(HAIGANG, cookie);
		await socket.roundTrip();
		expect((await server.api('DELETE', '/api/session', undefined, cookie)).status).toBe(204);
		expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
	});
});

describe('after a restart', () => {
	it('has what authorised users wrote and nothing else', async () => {
		await server.restart();
		const socket = await raw(HAIGANG, await server.adminCookie());
		const state = await socket.roundTrip();
		for (const key of ['from-admin', 'own-county', 'while-city'])
			expect(has(state, key), key).toBe(true);
		for (const key of ['from-viewer-update', 'from-viewer-step2', 'while-viewer']) {
			expect(has(state, key), key).toBe(false);
		}
	});
});
