import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndicators } from '../../src/lib/domain/indicators.ts';
import { readMembers, removeMember } from '../../src/lib/domain/members.ts';
import { readMilestones } from '../../src/lib/domain/milestones.ts';
import { openDoc, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

let server: TestServer;
const open: SyncedDoc[] = [];

async function syncCampaign(): Promise<SyncedDoc> {
	const synced = await openDoc(server, 'campaign.2022', await server.adminCookie());
	open.push(synced);
	return synced;
}

function closeAll(): void {
	for (const synced of open.splice(0)) synced.destroy();
}

beforeAll(async () => {
	server = await TestServer.start();
});
afterAll(async () => {
	closeAll();
	await server?.dispose();
});

describe('campaign records seeded by the server', () => {
	it('holds the leadership group, the plan’s indicators and its calendar from the first start', async () => {
		const { doc } = await syncCampaign();
		expect(readMembers(doc)).toHaveLength(24);
		expect(readMembers(doc)[0]).toMatchObject({ name: '孙宝旗', role: 'leader' });
		expect(readIndicators(doc).map((i) => i.target)).toEqual([2, 90, 1]);
		expect(readMilestones(doc)[0]).toMatchObject({ date: '2022-10-14', kind: 'report' });
		closeAll();
	});

	it('writes nothing on later starts, and does not bring back what people removed', async () => {
		const first = await syncCampaign();
		const member = readMembers(first.doc).find((m) => m.name === '艾剑波')!;
		removeMember(first.doc, member.id);
		const acked = Y.encodeStateVector(first.doc);
		await waitFor(
			async () => {
				const probe = await syncCampaign();
				return !readMembers(probe.doc).some((m) => m.id === member.id);
			},
			{ what: 'the removal to reach the server' }
		);
		closeAll();

		await server.restart();
		const after = await syncCampaign();
		expect(readMembers(after.doc).some((m) => m.id === member.id)).toBe(false);
		expect(readMembers(after.doc)).toHaveLength(23);
		// Same state as before the restart: the seed step appended no update.
		expect(Y.decodeStateVector(Y.encodeStateVector(after.doc))).toEqual(Y.decodeStateVector(acked));
	});
});
