import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCampaignMeta, readCounties } from '../../src/lib/domain/campaign.ts';
import { addMeasure, addProgressNote, createProblem } from '../../src/lib/domain/commands.ts';
import { readIndicators, setCountyActual } from '../../src/lib/domain/indicators.ts';
import { readMembers } from '../../src/lib/domain/members.ts';
import { problemsOf, readProblems } from '../../src/lib/domain/problem.ts';
import { RawClient, docFromUpdate, openDoc, syncMessage, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

let server: TestServer;
let admin: string;
let city: string;
const open: SyncedDoc[] = [];
const clients: RawClient[] = [];
const actor = { username: 'admin', name: '管理员', role: 'admin' as const };
const VALID = { id: '2023', name: '加强年 2023', startDate: '2023-10-01', endDate: '2024-09-30' };

async function sync(docName: string, cookie = admin): Promise<SyncedDoc> {
	const synced = await openDoc(server, docName, cookie);
	open.push(synced);
	return synced;
}

/** The server's state of a doc, as a fresh client receives it. */
async function stateOf(docName: string): Promise<Uint8Array> {
	const client = await RawClient.connect(server, docName, admin);
	clients.push(client);
	return client.roundTrip();
}

const has = (state: Uint8Array, key: string) => docFromUpdate(state).getMap('problems').has(key);
const titles = (doc: Y.Doc) =>
	readProblems(doc)
		.map((p) => p.title)
		.sort();

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
	city = await server.createUser({ username: 'wuwei', password: 'city-password-22', role: 'city' });
	// The 2022 boards: an open problem with measures and notes, one in progress, one closed.
	const haigang = await sync('county.2022.haigang');
	const openId = createProblem(
		haigang.doc,
		{ title: '职工之家建设滞后', tier: 'union-system' },
		actor
	);
	addMeasure(haigang.doc, openId, '年底前建成', new Date(), actor);
	addProgressNote(haigang.doc, openId, '已选址', actor);
	const closedId = createProblem(haigang.doc, { title: '已销号的问题' }, actor);
	problemsOf(haigang.doc).get(closedId)!.set('status', 'closed');
	const lulong = await sync('county.2022.lulong');
	const progressing = createProblem(lulong.doc, { title: '新就业形态入会难' }, actor);
	problemsOf(lulong.doc).get(progressing)!.set('status', 'in-progress');
	const campaign = await sync('campaign.2022');
	const indicator = readIndicators(campaign.doc)[0]!;
	setCountyActual(campaign.doc, indicator.id, 'haigang', { actual: 2, evidence: '' }, actor);
	await waitFor(
		async () => readProblems(docFromUpdate(await stateOf('county.2022.lulong'))).length === 1,
		{
			what: 'the 2022 boards to reach the server'
		}
	);
	await waitFor(
		async () => titles(docFromUpdate(await stateOf('county.2022.haigang'))).length === 2,
		{ what: 'haigang to reach the server' }
	);
	await waitFor(
		async () =>
			Object.keys(readIndicators(docFromUpdate(await stateOf('campaign.2022')))[0]!.perCounty)
				.length === 1,
		{ what: 'the indicator value to reach the server' }
	);
	for (const synced of open.splice(0)) synced.destroy();
});
afterAll(async () => {
	for (const synced of open) synced.destroy();
	for (const client of clients) client.close();
	await server?.dispose();
});

describe('POST /api/campaigns', () => {
	it.each([
		[{ id: 'Bad Id' }, 'campaign_id_invalid', 'id'],
		[{ id: 'a.b' }, 'campaign_id_invalid', 'id'],
		[{ name: '' }, 'campaign_name_invalid', 'name'],
		[{ startDate: '2023/10/01' }, 'campaign_date_invalid', 'startDate'],
		[{ endDate: '2023-02-30' }, 'campaign_date_invalid', 'endDate'],
		[{ endDate: '2023-09-30' }, 'campaign_period_order', 'endDate'],
		[{ reportDueDate: 'tomorrow' }, 'campaign_date_invalid', 'reportDueDate'],
		[{ carryOver: true }, 'campaign_carry_needs_source', 'carryOver']
	])('answers 400 in plain words to %j', async (change, code, field) => {
		const response = await server.api('POST', '/api/campaigns', { ...VALID, ...change }, admin);
		expect(response.status).toBe(400);
		expect(response.body).toMatchObject({ code, params: { field } });
		expect(response.body.error).toMatch(/\w+ \w+/);
	});

	it('answers 400 when the campaign to copy from does not exist, and creates nothing', async () => {
		const response = await server.api(
			'POST',
			'/api/campaigns',
			{ ...VALID, id: 'x1', copyFrom: 'nope' },
			admin
		);
		expect(response.status).toBe(400);
		expect(response.body.code).toBe('campaign_source_unknown');
		const list = await server.api('GET', '/api/campaigns', undefined, admin);
		expect(list.body.campaigns.map((c: { id: string }) => c.id)).toEqual(['2022']);
	});

	it('is for administrators only, and refuses requests from other sites', async () => {
		expect((await server.api('POST', '/api/campaigns', VALID, city)).status).toBe(403);
		expect((await server.api('POST', '/api/campaigns', VALID)).status).toBe(401);
		const crossSite = await server.api('POST', '/api/campaigns', VALID, admin, {
			origin: 'https://evil.example'
		});
		expect(crossSite.status).toBe(403);
		expect(crossSite.body.code).toBe('cross_origin');
	});

	it('creates an empty campaign: 201, listed, its doc holds the name and period', async () => {
		const response = await server.api(
			'POST',
			'/api/campaigns',
			{ ...VALID, id: 'blank', reportDueDate: '2023-10-15' },
			admin
		);
		expect(response.status).toBe(201);
		expect(response.body.campaign).toMatchObject({ id: 'blank', counties: [], archived: false });
		const list = await server.api('GET', '/api/campaigns', undefined, city);
		expect(list.body.campaigns.find((c: { id: string }) => c.id === 'blank')).toEqual({
			id: 'blank',
			name: VALID.name,
			archived: false,
			counties: []
		});
		const doc = docFromUpdate(await stateOf('campaign.blank'));
		expect(readCampaignMeta(doc)).toEqual({
			name: VALID.name,
			startDate: VALID.startDate,
			endDate: VALID.endDate,
			reportDueDate: '2023-10-15'
		});
	});

	it('copies counties, contacts, leadership group and indicators, and carries only unclosed problems; the old boards stay as they were', async () => {
		const sources = ['campaign.2022', 'county.2022.haigang', 'county.2022.lulong'];
		const before = await Promise.all(sources.map(stateOf));

		const response = await server.api(
			'POST',
			'/api/campaigns',
			{ ...VALID, copyFrom: '2022', carryOver: true },
			admin
		);
		expect(response.status).toBe(201);
		expect(response.body.carried).toMatchObject({ haigang: 1, lulong: 1, beidaihe: 0 });
		expect(response.body.campaign.counties).toHaveLength(7);

		const old = docFromUpdate(before[0]!);
		const fresh = docFromUpdate(await stateOf('campaign.2023'));
		expect(readCampaignMeta(fresh).name).toBe(VALID.name);
		expect(readCounties(fresh)).toEqual(readCounties(old));
		expect(readMembers(fresh)).toEqual(readMembers(old));
		expect(readIndicators(fresh).map((i) => i.name)).toEqual(
			readIndicators(old).map((i) => i.name)
		);
		expect(readIndicators(fresh).every((i) => Object.keys(i.perCounty).length === 0)).toBe(true);

		const haigang = readProblems(docFromUpdate(await stateOf('county.2023.haigang')));
		expect(haigang.map((p) => p.title)).toEqual(['职工之家建设滞后']);
		const [carried] = haigang;
		const oldHaigang = readProblems(docFromUpdate(before[1]!));
		const original = oldHaigang.find((p) => p.title === '职工之家建设滞后')!;
		expect(carried!.id).not.toBe(original.id);
		expect(carried!.carriedFrom).toEqual({
			campaign: '2022',
			county: 'haigang',
			problem: original.id
		});
		expect(carried!.measures.map((m) => m.text)).toEqual(['年底前建成']);
		expect(carried!.log.map((l) => l.text)).toContain('已选址');
		const lulong = readProblems(docFromUpdate(await stateOf('county.2023.lulong')));
		expect(lulong.map((p) => [p.title, p.status])).toEqual([['新就业形态入会难', 'in-progress']]);
		expect(readProblems(docFromUpdate(await stateOf('county.2023.beidaihe')))).toEqual([]);

		const after = await Promise.all(sources.map(stateOf));
		after.forEach((state, i) => {
			expect(Y.encodeStateVector(docFromUpdate(state)), sources[i]).toEqual(
				Y.encodeStateVector(docFromUpdate(before[i]!))
			);
			expect(docFromUpdate(state).toJSON(), sources[i]).toEqual(docFromUpdate(before[i]!).toJSON());
		});
	});

	it('answers 409 for an id that exists', async () => {
		const response = await server.api('POST', '/api/campaigns', VALID, admin);
		expect(response.status).toBe(409);
		expect(response.body).toMatchObject({ code: 'campaign_taken', params: { id: '2023' } });
		expect(
			(await server.api('POST', '/api/campaigns', { ...VALID, id: '2022' }, admin)).status
		).toBe(409);
	});
});

describe('archiving a campaign', () => {
	it('is for administrators, with {archived: boolean}, on a campaign that exists', async () => {
		expect(
			(await server.api('POST', '/api/campaigns/2023/archive', { archived: true }, city)).status
		).toBe(403);
		const bad = await server.api('POST', '/api/campaigns/2023/archive', { archived: 'yes' }, admin);
		expect(bad.status).toBe(400);
		expect(bad.body.code).toBe('archived_invalid');
		const missing = await server.api(
			'POST',
			'/api/campaigns/nope/archive',
			{ archived: true },
			admin
		);
		expect(missing.status).toBe(404);
		expect(missing.body.code).toBe('campaign_not_found');
	});

	it('makes its docs read-only for everyone: a city user’s update is not stored; reopening allows it again', async () => {
		const docName = 'county.2023.haigang';
		const socket = await RawClient.connect(server, docName, city);
		clients.push(socket);
		const archived = await server.api(
			'POST',
			'/api/campaigns/2023/archive',
			{ archived: true },
			admin
		);
		expect(archived.status).toBe(200);
		expect(archived.body.campaign).toMatchObject({ id: '2023', archived: true });
		const list = await server.api('GET', '/api/campaigns', undefined, city);
		expect(list.body.campaigns.find((c: { id: string }) => c.id === '2023').archived).toBe(true);

		const before = await stateOf(docName);
		const rowsBefore = server.updateRows(docName);
		// A hand-made update, as a client of any kind could send it.
		const edit = new Y.Doc();
		edit.getMap('problems').set('written-after-archiving', 'x');
		const update = Y.encodeStateAsUpdate(edit);
		socket.send(syncMessage(2, update));
		const seen = await socket.roundTrip();
		expect(has(seen, 'written-after-archiving')).toBe(false);
		expect(server.updateRows(docName)).toBe(rowsBefore);
		expect(Y.encodeStateVector(docFromUpdate(await stateOf(docName)))).toEqual(
			Y.encodeStateVector(docFromUpdate(before))
		);
		// Files cannot be attached to it either; reading still works.
		const file = await server.api('PUT', `/api/files/${'0'.repeat(64)}?doc=${docName}`, 'x', city, {
			'content-type': 'text/plain'
		});
		expect(file.status).toBe(403);
		expect(file.body.code).toBe('campaign_archived');

		const reopened = await server.api(
			'POST',
			'/api/campaigns/2023/archive',
			{ archived: false },
			admin
		);
		expect(reopened.body.campaign.archived).toBe(false);
		socket.send(syncMessage(2, update));
		await waitFor(async () => has(await socket.roundTrip(), 'written-after-archiving'), {
			what: 'the write after reopening'
		});
	});
});
