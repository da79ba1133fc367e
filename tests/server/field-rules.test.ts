import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProblem, deleteProblem, updateProblem } from '../../src/lib/domain/commands.ts';
import {
	closeProblem,
	reopenProblem,
	resolveProblem,
	startProblem
} from '../../src/lib/domain/lifecycle.ts';
import { problemsOf } from '../../src/lib/domain/problem.ts';
import { MemoryClientOwners } from '../../server/sync/client-owners.ts';
import { CLOSE_FORBIDDEN_CHANGE } from '../../server/sync/field-rules.ts';
import { Guard, PendingError } from '../../server/sync/guard.ts';
import { RawClient, docFromUpdate, openDoc, syncMessage, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';
import { city, closure } from './record-actors.ts';

const HAIGANG = 'county.2022.haigang';
/** A county user's hand-made client claims the city role to get past the domain's own check. */
const countyPosingAsCity = { username: 'zhangxin', name: '张欣', role: 'city' as const };

let server: TestServer;
let countyCookie: string;
let cityCookie: string;
let watcher: SyncedDoc;
const clients: RawClient[] = [];

/** What the server holds now, as a doc (read through a city user's socket). */
async function serverDoc(): Promise<Y.Doc> {
	const client = await RawClient.connect(server, HAIGANG, cityCookie);
	clients.push(client);
	return docFromUpdate(await client.roundTrip());
}

/** Runs `edit` on a copy of the server's doc and returns the one update it made. */
async function craft(edit: (doc: Y.Doc) => void): Promise<Uint8Array> {
	const doc = await serverDoc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	edit(doc);
	expect(updates).toHaveLength(1);
	return updates[0]!;
}

/** Sends `update` from a new socket of `cookie` and waits until the server dealt with it. */
async function send(cookie: string, update: Uint8Array): Promise<RawClient> {
	const client = await RawClient.connect(server, HAIGANG, cookie);
	clients.push(client);
	client.send(syncMessage(2, update));
	await Promise.race([client.roundTrip(), client.closed]);
	return client;
}

const statusOf = (doc: Y.Doc, id: string) => problemsOf(doc).get(id)?.get('status');

/** A problem the county resolved, ready for the city union's verification. */
async function resolvedProblem(title: string): Promise<string> {
	let id = '';
	const update = await craft((doc) => {
		doc.transact(() => {
			id = createProblem(doc, { title, tier: 'county-self' }, countyPosingAsCity);
			startProblem(doc, id, countyPosingAsCity);
			resolveProblem(doc, id, { note: '已解决' }, countyPosingAsCity);
		});
	});
	const client = await send(countyCookie, update);
	expect(client.closeInfo).toBeNull();
	return id;
}

beforeAll(async () => {
	server = await TestServer.start();
	countyCookie = await server.createUser({
		username: 'zhangxin',
		password: 'county-password',
		role: 'county',
		county: 'haigang',
		displayName: '张欣'
	});
	cityCookie = await server.createUser({
		username: 'wuwei',
		password: 'city-password',
		role: 'city',
		displayName: '吴伟'
	});
	// Someone with the board open, to see what is relayed.
	watcher = await openDoc(server, HAIGANG, await server.adminCookie());
});
afterAll(async () => {
	for (const client of clients) client.close();
	watcher?.destroy();
	await server?.dispose();
});

describe('closing a problem (销号) is for city users and administrators', () => {
	it("refuses a county user's crafted close: not stored, not applied, not relayed", async () => {
		const id = await resolvedProblem('职工书屋设施老旧');
		const close = await craft((doc) => closeProblem(doc, id, closure, countyPosingAsCity));
		const rowsBefore = server.updateRows(HAIGANG);
		const client = await send(countyCookie, close);
		const closed = await client.closed;
		expect(closed).toEqual({
			code: CLOSE_FORBIDDEN_CHANGE,
			reason: 'only city users and administrators may close a problem'
		});
		expect(server.updateRows(HAIGANG)).toBe(rowsBefore);
		const stored = await serverDoc();
		expect(statusOf(stored, id)).toBe('resolved');
		expect(problemsOf(stored).get(id)?.has('closure')).toBe(false);
		// The same user's ordinary edit goes through, and reaches the watcher after the refusal
		// would have: the refused close never did.
		const edit = await craft((doc) =>
			updateProblem(doc, id, { assignee: '李明' }, countyPosingAsCity)
		);
		const editor = await send(countyCookie, edit);
		expect(editor.closeInfo).toBeNull();
		await waitFor(() => problemsOf(watcher.doc).get(id)?.get('assignee') === '李明', {
			what: 'the ordinary edit to reach the watcher'
		});
		expect(statusOf(watcher.doc, id)).toBe('resolved');
		expect(server.updateRows(HAIGANG)).toBeGreaterThan(rowsBefore);
		expect(server.output).toMatch(/ws\.refused_change .*user=zhangxin/);
	});

	it("accepts a city user's close, and then refuses county changes to the closure", async () => {
		const id = await resolvedProblem('困难职工帮扶台账不全');
		const close = await craft((doc) => closeProblem(doc, id, closure, city));
		const cityClient = await send(cityCookie, close);
		expect(cityClient.closeInfo).toBeNull();
		expect(statusOf(await serverDoc(), id)).toBe('closed');
		await waitFor(() => statusOf(watcher.doc, id) === 'closed', {
			what: 'the close to be relayed'
		});

		// Each is refused with its reason (null: removing a problem removes its closure and status
		// too, so any of those reasons).
		const refusals: [string | null, (doc: Y.Doc) => void][] = [
			[
				'write the closure of a problem',
				(doc) =>
					(problemsOf(doc).get(id)!.get('closure') as Y.Map<unknown>).set(
						'satisfaction',
						'unsatisfied'
					)
			],
			['reopen a closed problem', (doc) => reopenProblem(doc, id, '问题回潮', countyPosingAsCity)],
			['reopen a closed problem', (doc) => problemsOf(doc).get(id)!.delete('status')],
			['write the closure of a problem', (doc) => problemsOf(doc).get(id)!.delete('closure')],
			[null, (doc) => problemsOf(doc).delete(id)]
		];
		for (const [what, edit] of refusals) {
			const rowsBefore = server.updateRows(HAIGANG);
			const client = await send(countyCookie, await craft(edit));
			const { code, reason } = await client.closed;
			expect(code).toBe(CLOSE_FORBIDDEN_CHANGE);
			if (what) expect(reason).toBe(`only city users and administrators may ${what}`);
			else expect(reason).toMatch(/^only city users and administrators may /);
			expect(server.updateRows(HAIGANG)).toBe(rowsBefore);
		}
		const stored = problemsOf(await serverDoc()).get(id)!;
		expect(stored.get('status')).toBe('closed');
		expect((stored.get('closure') as Y.Map<unknown>).get('satisfaction')).toBe('satisfied');
		// A closed problem is the city's verified record: the county cannot edit any of it now,
		// nor soft-delete it.
		for (const [reason, edit] of [
			[
				'change a closed problem',
				(doc: Y.Doc) => updateProblem(doc, id, { owner: '区总工会' }, countyPosingAsCity)
			],
			['delete a closed problem', (doc: Y.Doc) => deleteProblem(doc, id, countyPosingAsCity)]
		] as const) {
			const rowsBefore = server.updateRows(HAIGANG);
			const client = await send(countyCookie, await craft(edit));
			expect(await client.closed).toEqual({
				code: CLOSE_FORBIDDEN_CHANGE,
				reason: `only city users and administrators may ${reason}`
			});
			expect(server.updateRows(HAIGANG)).toBe(rowsBefore);
		}
		// The city still can.
		const cityEdit = await send(
			cityCookie,
			await craft((doc) => updateProblem(doc, id, { owner: '市总工会' }, city))
		);
		expect(cityEdit.closeInfo).toBeNull();
	});

	it('refuses a new problem created closed, in an update or in sync step 2', async () => {
		for (const step of [2, 1] as const) {
			const update = await craft((doc) => {
				const problem = new Y.Map<unknown>();
				problem.set('title', '直接销号');
				problem.set('status', 'closed');
				problemsOf(doc).set(`forged-${step}`, problem);
			});
			const client = await RawClient.connect(server, HAIGANG, countyCookie);
			clients.push(client);
			client.send(syncMessage(step, update));
			expect((await client.closed).code).toBe(CLOSE_FORBIDDEN_CHANGE);
			expect(problemsOf(await serverDoc()).has(`forged-${step}`)).toBe(false);
		}
	});
});

/** A county account whose history entries name it as `city` (the actor below) does. */
const COUNTY = { username: 'wuwei', displayName: '吴伟', role: 'county' as const };
/** The guard of a server doc, judging a county writer's update as a socket would. */
const judge = (server: Y.Doc, update: Uint8Array) =>
	new Guard(server, new MemoryClientOwners()).admit(update, COUNTY, { attributeLog: true });

describe('the guard of a room', () => {
	it('refuses an update whose effect depends on items the server does not have', () => {
		// A client makes a harmless status change and then closes; the server is sent the close
		// first. Placed later, behind the status change, it would close the problem unseen.
		const server = new Y.Doc();
		const client = new Y.Doc();
		const id = createProblem(client, { title: 't', tier: 'unsorted' }, city);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
		const updates: Uint8Array[] = [];
		client.on('update', (update: Uint8Array) => updates.push(update));
		startProblem(client, id, city);
		problemsOf(client).get(id)!.set('status', 'closed');
		expect(() => judge(server, updates[1]!)).toThrow(PendingError);
		expect(() => judge(server, updates[0]!)).not.toThrow();
	});

	it('lets through an edit of something the doc has since collected (offline vs removal)', () => {
		const server = new Y.Doc();
		const offline = new Y.Doc();
		const id = createProblem(offline, { title: 't', tier: 'unsorted' }, city);
		const measures = new Y.Array<Y.Map<unknown>>();
		const measure = new Y.Map<unknown>();
		measure.set('done', false);
		offline.transact(() => {
			measures.push([measure]);
			problemsOf(offline).get(id)!.set('measures', measures);
		});
		Y.applyUpdate(server, Y.encodeStateAsUpdate(offline));
		// Someone removes the measure (the server collects what was in it) while this client,
		// offline, ticks it off.
		const remover = new Y.Doc();
		Y.applyUpdate(remover, Y.encodeStateAsUpdate(server));
		const removal: Uint8Array[] = [];
		remover.on('update', (update: Uint8Array) => removal.push(update));
		(problemsOf(remover).get(id)!.get('measures') as Y.Array<unknown>).delete(0);
		Y.applyUpdate(server, removal[0]!);
		const edits: Uint8Array[] = [];
		offline.on('update', (update: Uint8Array) => edits.push(update));
		measure.set('done', true);
		expect(() => judge(server, edits[0]!)).not.toThrow();
	});

	it('lets a county device send again what the server already has, a closed problem included', () => {
		// A whole-state update (a changes file, an old client's sync) carries the closure the city
		// made; only what is new in an update can break a rule.
		const server = new Y.Doc();
		const id = createProblem(server, { title: 't', tier: 'unsorted' }, city);
		problemsOf(server).get(id)!.set('status', 'closed');
		const county = new Y.Doc();
		Y.applyUpdate(county, Y.encodeStateAsUpdate(server));
		createProblem(county, { title: '县里新发现的问题', tier: 'unsorted' }, city);
		expect(() => judge(server, Y.encodeStateAsUpdate(county))).not.toThrow();
		// …while a close of its own in the same update is still refused.
		problemsOf(county).get(id)!.set('status', 'open');
		const reopened = Y.encodeStateAsUpdate(county);
		expect(() => judge(server, reopened)).toThrow('reopen a closed problem');
	});
});
