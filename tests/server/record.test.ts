import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProgressNote, createProblem, updateProblem } from '../../src/lib/domain/commands.ts';
import { problemsOf } from '../../src/lib/domain/problem.ts';
import {
	CLOSE_FORBIDDEN_CHANGE,
	CLOSE_INCOMPLETE_UPDATE,
	MESSAGE_AWARENESS
} from '../../src/lib/sync/protocol.ts';
import { openDoc, RawClient, docFromUpdate, syncMessage, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

/**
 * The record holds (issue 14) through the real server: updates that would stay pending, items
 * under another account's Yjs client id, presence under another connection's awareness id, and
 * the server's own audit trail of every committed change.
 */

const HAIGANG = 'county.2022.haigang';
const zhang = { username: 'zhangxin', name: '张欣' };
const wu = { username: 'wuwei', name: '吴伟' };

let server: TestServer;
let county: string;
let city: string;
const open: SyncedDoc[] = [];
const raw: RawClient[] = [];

beforeAll(async () => {
	server = await TestServer.start();
	county = await server.createUser({
		username: 'zhangxin',
		password: 'county-password',
		role: 'county',
		county: 'haigang',
		displayName: '张欣'
	});
	city = await server.createUser({
		username: 'wuwei',
		password: 'city-password',
		role: 'city',
		displayName: '吴伟'
	});
});
afterAll(async () => {
	for (const synced of open) synced.destroy();
	for (const client of raw) client.close();
	await server?.dispose();
});

async function sync(cookie: string, doc?: Y.Doc): Promise<SyncedDoc> {
	const synced = await openDoc(server, HAIGANG, cookie, doc);
	open.push(synced);
	return synced;
}

async function connect(cookie: string): Promise<RawClient> {
	const client = await RawClient.connect(server, HAIGANG, cookie);
	raw.push(client);
	return client;
}

/** What the server holds now (read through a fresh socket). */
async function stored(): Promise<Y.Doc> {
	const client = await connect(city);
	return docFromUpdate(await client.roundTrip());
}

const auditRows = (problem: string) =>
	server.withDb(
		(db) =>
			db
				.prepare('SELECT account, field, kind, old, new FROM audit WHERE problem = ? ORDER BY id')
				.all(problem) as {
				account: string;
				field: string;
				kind: string;
				old: string;
				new: string;
			}[]
	);

describe('updates that cannot be integrated whole', () => {
	it('are refused with 4422 before anything is stored or relayed, and cost little', async () => {
		const watcher = await sync(city);
		const relayed: Uint8Array[] = [];
		watcher.doc.on('update', (u: Uint8Array) => relayed.push(u));
		// 20,000 structs, each after an item of a client the server has never seen: Yjs would keep
		// every one of them pending and retry them on each later update of the room.
		const encoder = new Y.UpdateEncoderV1();
		const n = 20_000;
		encoding.writeVarUint(encoder.restEncoder, 1);
		encoding.writeVarUint(encoder.restEncoder, n);
		encoder.writeClient(4242);
		encoding.writeVarUint(encoder.restEncoder, 0);
		for (let i = 0; i < n; i++) {
			encoding.writeUint8(encoder.restEncoder, 0x80 | 8);
			encoder.writeLeftID(Y.createID(999_999 + i, 0));
			encoding.writeVarUint(encoder.restEncoder, 1);
			encoding.writeAny(encoder.restEncoder, i);
		}
		encoding.writeVarUint(encoder.restEncoder, 0);
		const rows = server.updateRows(HAIGANG);
		const attacker = await connect(county);
		attacker.send(syncMessage(2, encoder.toUint8Array()));
		expect((await attacker.closed).code).toBe(CLOSE_INCOMPLETE_UPDATE);
		expect(server.updateRows(HAIGANG)).toBe(rows);
		// The room still answers, and nothing reached the watcher.
		const after = await stored();
		expect(Y.encodeStateVector(after)).toEqual(Y.encodeStateVector(watcher.doc));
		expect(relayed).toHaveLength(0);
		expect(server.output).toContain('ws.refused_incomplete');
	});
});

describe('Yjs client ids belong to the account that first wrote with them', () => {
	it("refuses another account's items under that id; the owner's later edits are stored", async () => {
		const mine = await sync(county);
		const id = createProblem(mine.doc, { title: '会员实名制录入滞后', tier: 'county-self' }, zhang);
		await waitFor(async () => problemsOf(await stored()).has(id), {
			what: 'the first edit stored'
		});

		// Another account (who may write this board) builds items under the county user's client
		// id at the clocks the owner will use next.
		const forger = new Y.Doc();
		Y.applyUpdate(forger, Y.encodeStateAsUpdate(mine.doc));
		// Set after the copy: Yjs gives a doc a new id when a remote update carries its own.
		forger.clientID = mine.doc.clientID;
		const forged: Uint8Array[] = [];
		forger.on('update', (u: Uint8Array) => forged.push(u));
		updateProblem(forger, id, { assignee: '伪造的责任人' }, wu);
		const rows = server.updateRows(HAIGANG);
		const attacker = await connect(city);
		attacker.send(syncMessage(2, forged[0]!));
		expect(await attacker.closed).toEqual({
			code: CLOSE_FORBIDDEN_CHANGE,
			reason: 'the update writes under a client id of another account'
		});
		expect(server.updateRows(HAIGANG)).toBe(rows);

		// The owner's next edit under that id is stored, not shadowed by the forged clocks.
		updateProblem(mine.doc, id, { assignee: '李明' }, zhang);
		await waitFor(
			async () =>
				problemsOf(await stored())
					.get(id)
					?.get('assignee') === '李明',
			{ what: "the owner's edit stored" }
		);
	});
});

describe('awareness ids are bound to the connection that announced them', () => {
	it('a second connection cannot take over presence, even after the first removed its state', async () => {
		const owner = await sync(county);
		owner.provider.awareness.setLocalStateField('cursor', { problem: 'mine' });
		const watcher = await sync(city);
		const ownerId = owner.doc.clientID;
		await waitFor(() => watcher.provider.awareness.getStates().get(ownerId)?.cursor, {
			what: "the owner's presence"
		});
		// The owner clears its state (as on blur); the id stays its own.
		owner.provider.awareness.setLocalState(null);
		await waitFor(() => !watcher.provider.awareness.getStates().has(ownerId), {
			what: 'the state removed'
		});
		const seen: unknown[] = [];
		watcher.provider.awareness.on('change', () =>
			seen.push(watcher.provider.awareness.getStates().get(ownerId)?.cursor?.problem)
		);
		const thief = await connect(city);
		const fake = new awarenessProtocol.Awareness(new Y.Doc());
		fake.clientID = ownerId;
		fake.setLocalState({ cursor: { problem: 'stolen' } });
		// A high clock, so that awareness would take it as newer than anything the owner sent.
		fake.meta.set(ownerId, { clock: 1_000, lastUpdated: Date.now() });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(fake, [ownerId]));
		thief.send(encoding.toUint8Array(encoder));
		// The owner announces itself again: that is what the watcher sees, never the thief's.
		owner.provider.awareness.setLocalState({ cursor: { problem: 'back' } });
		await waitFor(
			() => watcher.provider.awareness.getStates().get(ownerId)?.cursor?.problem === 'back',
			{ what: "the owner's presence again" }
		);
		expect(seen).not.toContain('stolen');
		// The thief's socket was heard (its own presence would be shown), just not under that id.
		expect(thief.closeInfo).toBeNull();
	});
});

describe('the audit trail is the server’s, per field', () => {
	it('records who changed which field of which problem, from what to what', async () => {
		const mine = await sync(county);
		const id = createProblem(mine.doc, { title: '职工之家阵地不足', tier: 'county-self' }, zhang);
		updateProblem(mine.doc, id, { due: '2023-03-01' }, zhang);
		const theirs = await sync(city);
		await waitFor(() => problemsOf(theirs.doc).has(id), { what: 'the problem relayed' });
		updateProblem(theirs.doc, id, { due: '2023-04-01', owner: '市总工会' }, wu);
		await waitFor(
			() => auditRows(id).some((row) => row.account === 'wuwei' && row.field === 'due'),
			{ what: "the city user's change recorded" }
		);
		const rows = auditRows(id);
		expect(rows[0]).toMatchObject({ account: 'zhangxin', kind: 'created' });
		expect(rows).toContainEqual(
			expect.objectContaining({
				account: 'wuwei',
				field: 'due',
				old: '2023-03-01',
				new: '2023-04-01'
			})
		);
		expect(rows).toContainEqual(
			expect.objectContaining({ account: 'wuwei', field: 'owner', new: '市总工会' })
		);
	});

	it('refuses a history entry that names someone else', async () => {
		const mine = await sync(county);
		const id = createProblem(mine.doc, { title: '户外劳动者驿站', tier: 'county-self' }, zhang);
		await waitFor(async () => problemsOf(await stored()).has(id), { what: 'stored' });
		const forger = new Y.Doc();
		Y.applyUpdate(forger, Y.encodeStateAsUpdate(mine.doc));
		const forged: Uint8Array[] = [];
		forger.on('update', (u: Uint8Array) => forged.push(u));
		addProgressNote(forger, id, '已协调到位', { username: 'wuwei', name: '吴伟' });
		const attacker = await connect(county);
		attacker.send(syncMessage(2, forged[0]!));
		expect(await attacker.closed).toEqual({
			code: CLOSE_FORBIDDEN_CHANGE,
			reason: 'a history entry must name the account that writes it'
		});
	});
});
