import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCounties } from '../../src/lib/domain/campaign.ts';
import { openDoc, upgradeStatus, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

let server: TestServer;
let admin: string;
let county: string;
const open: SyncedDoc[] = [];

async function sync(docName: string, cookie: string): Promise<SyncedDoc> {
	const synced = await openDoc(server, docName, cookie);
	open.push(synced);
	return synced;
}

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
});
afterAll(async () => {
	for (const synced of open) synced.destroy();
	await server?.dispose();
});

describe('upgrade to /sync/<docName>', () => {
	const withCookie = (cookie: string) => ({ cookie, origin: server.origin });

	it('refuses a missing or unknown session with 401', async () => {
		expect(await upgradeStatus(server, '/sync/campaign.2022')).toBe(401);
		expect(
			await upgradeStatus(server, '/sync/campaign.2022', withCookie('qd_session=garbage'))
		).toBe(401);
		expect(await upgradeStatus(server, '/sync/campaign.2022', withCookie('qd_session='))).toBe(401);
	});

	it('refuses bad and unknown doc names with 404', async () => {
		const names = [
			'../../etc',
			'%2e%2e%2f%2e%2e%2fetc',
			'a/b',
			'',
			'county.2022.' + 'a'.repeat(10_000),
			'campaign.2022%00',
			'campaign.%00',
			'CAMPAIGN.2022',
			encodeURIComponent('campaign.２０２２'),
			encodeURIComponent('county.2022.h\u0430igang'),
			'county.2022.nowhere',
			'campaign.1999',
			'county.1999.haigang',
			'campaign.2022.extra',
			'%E0%A4%A'
		];
		for (const name of names) {
			expect(await upgradeStatus(server, `/sync/${name}`, withCookie(admin)), name).toBe(404);
		}
		expect(await upgradeStatus(server, '/elsewhere', withCookie(admin))).toBe(404);
	});

	it('refuses a cross-origin Origin with 403 even with a valid session', async () => {
		const status = await upgradeStatus(server, '/sync/campaign.2022', {
			cookie: admin,
			origin: 'https://evil.example'
		});
		expect(status).toBe(403);
	});

	it('upgrades a signed-in, same-origin request for an existing doc', async () => {
		expect(await upgradeStatus(server, '/sync/campaign.2022', withCookie(admin))).toBe(101);
		expect(await upgradeStatus(server, '/sync/county.2022.lulong', withCookie(county))).toBe(101);
	});
});

describe('seeded campaign', () => {
	it('holds the seven counties of 2022 with their leaders and contacts', async () => {
		const { doc } = await sync('campaign.2022', county);
		expect(doc.getMap('meta').get('name')).toBe('县级工会加强年');
		const counties = readCounties(doc);
		expect(counties.map((c) => c.name)).toEqual([
			'海港区',
			'山海关区',
			'北戴河区',
			'抚宁区',
			'青龙县',
			'昌黎县',
			'卢龙县'
		]);
		const haigang = counties.find((c) => c.id === 'haigang')!;
		expect(haigang).toMatchObject({
			leader: '孙宝旗',
			cityContact: '武威',
			cityPhone: '3030385',
			countyContact: '张鑫',
			countyPhone: '3550577',
			pairedBy: 'city'
		});
		expect(counties.find((c) => c.id === 'beidaihe')!.pairedBy).toBe('province');
		expect(counties.find((c) => c.id === 'changli')!.pairedBy).toBe('province');
	});
});

describe('live sync', () => {
	it('relays a write from one client to another and keeps it across a restart', async () => {
		const a = await sync('county.2022.haigang', county);
		const b = await sync('county.2022.haigang', admin);
		a.doc.transact(() => {
			const problem = new Y.Map<unknown>();
			problem.set('title', '职工服务阵地不足');
			problem.set('tier', 'unsorted');
			a.doc.getMap('problems').set('p1', problem);
		});
		await waitFor(
			() => (b.doc.getMap('problems').get('p1') as Y.Map<unknown> | undefined)?.get('title'),
			{ what: 'the problem to reach client b' }
		);
		a.destroy();
		b.destroy();
		await server.restart();
		const cookie = await server.login('zhangxin', 'county-password');
		const c = await sync('county.2022.haigang', cookie);
		const problem = c.doc.getMap('problems').get('p1') as Y.Map<unknown>;
		expect(problem.get('title')).toBe('职工服务阵地不足');
		admin = await server.adminCookie();
		county = cookie;
	});
});

describe('awareness', () => {
	it('shows every client under its session user, whatever name it claims', async () => {
		const liar = await sync('county.2022.haigang', county);
		const watcher = await sync('county.2022.haigang', admin);
		liar.provider.awareness.setLocalStateField('user', { name: 'someone else', username: 'admin' });
		liar.provider.awareness.setLocalStateField('cursor', { problem: 'p1' });
		const seen = await waitFor(
			() => {
				const state = watcher.provider.awareness.getStates().get(liar.doc.clientID);
				return state?.cursor ? state : null;
			},
			{ what: "the liar's awareness state" }
		);
		expect(seen.user).toMatchObject({ username: 'zhangxin', name: '张鑫', role: 'county' });
		expect(seen.user.color).toMatch(/^#[0-9a-f]{6}$/);
		liar.destroy();
		await waitFor(() => !watcher.provider.awareness.getStates().has(liar.doc.clientID), {
			what: 'the closed client to leave awareness'
		});
	});
});
