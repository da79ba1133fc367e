import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { SEED_COUNTIES, SEED_META, seedCampaign } from '../../src/lib/domain/campaign';
import { seedCampaignRecords } from '../../src/lib/domain/campaign-seed';
import { readIndicators } from '../../src/lib/domain/indicators';
import { readMembers, removeMember, updateMember } from '../../src/lib/domain/members';
import { readMilestones } from '../../src/lib/domain/milestones';
import { newDoc } from './support';

function existingCampaign(): Y.Doc {
	const doc = newDoc(1);
	seedCampaign(doc, SEED_META, SEED_COUNTIES);
	return doc;
}

describe('seedCampaignRecords', () => {
	test('adds the leadership group of attachment 1, with 陈勇琿 spelled as in attachment 2', () => {
		const doc = existingCampaign();
		expect(seedCampaignRecords(doc)).toBe(true);
		const members = readMembers(doc);
		expect(members).toHaveLength(24);
		expect(members[0]).toMatchObject({
			name: '孙宝旗',
			post: '党组书记、常务副主席',
			role: 'leader'
		});
		expect(members.filter((m) => m.role === 'deputy').map((m) => m.name)).toEqual([
			'李习',
			'张安华',
			'吴军成',
			'陈勇琿',
			'曹文荣',
			'李光'
		]);
		expect(members.find((m) => m.name === '武威')).toMatchObject({
			post: '办公室主任',
			role: 'member'
		});
		expect(members.at(-1)?.name).toBe('艾剑波');
		expect(members.some((m) => m.name.includes('璋'))).toBe(false);
	});

	test('adds the plan’s indicators and calendar', () => {
		const doc = existingCampaign();
		seedCampaignRecords(doc);
		expect(readIndicators(doc).map((i) => [i.unit, i.comparison, i.target, i.deadline])).toEqual([
			['家', 'at-least', 2, '2023-09-30'],
			['%', 'at-least', 90, '2023-09-30'],
			['处', 'all', 1, '2023-09-30']
		]);
		const milestones = readMilestones(doc);
		expect(milestones[0]).toMatchObject({ date: '2022-10-14', kind: 'report' });
		expect(milestones.filter((m) => m.title === '双月调度').map((m) => m.date)).toEqual([
			'2022-11-30',
			'2023-01-31',
			'2023-03-31',
			'2023-05-31',
			'2023-07-31',
			'2023-09-30'
		]);
		expect(milestones.find((m) => m.title === '半年总结')?.date).toBe('2023-03-31');
		expect(milestones.filter((m) => m.title === '季度小结').length).toBeGreaterThanOrEqual(2);
	});

	test('is idempotent: a second run writes nothing', () => {
		const doc = existingCampaign();
		seedCampaignRecords(doc);
		const before = Y.encodeStateVector(doc);
		let updates = 0;
		doc.on('update', () => updates++);
		expect(seedCampaignRecords(doc)).toBe(false);
		expect(updates).toBe(0);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});

	test('what people deleted or edited since is not brought back on the next start', () => {
		const doc = existingCampaign();
		seedCampaignRecords(doc);
		const [leader, deputy] = readMembers(doc);
		removeMember(doc, leader!.id);
		updateMember(doc, deputy!.id, { post: '已调整' });
		// A restart: the stored doc is loaded into a fresh Y.Doc and the seed runs again.
		const restarted = newDoc(2);
		Y.applyUpdate(restarted, Y.encodeStateAsUpdate(doc));
		expect(seedCampaignRecords(restarted)).toBe(false);
		expect(readMembers(restarted)).toHaveLength(23);
		expect(readMembers(restarted)[0]?.post).toBe('已调整');
	});

	test('the diff against the stored state brings another replica to the same records', () => {
		const stored = existingCampaign();
		const server = newDoc(2);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(stored));
		const before = Y.encodeStateVector(server);
		seedCampaignRecords(server);
		Y.applyUpdate(stored, Y.encodeStateAsUpdate(server, before));
		expect(readMembers(stored)).toEqual(readMembers(server));
		expect(readIndicators(stored)).toEqual(readIndicators(server));
		expect(readMilestones(stored)).toEqual(readMilestones(server));
	});
});
