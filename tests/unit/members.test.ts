import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	seedCampaign,
	readCounties,
	SEED_COUNTIES,
	SEED_META
} from '../../src/lib/domain/campaign';
import {
	addMember,
	MEMBERS,
	readMembers,
	removeMember,
	updateMember
} from '../../src/lib/domain/members';
import { updateCounty } from '../../src/lib/domain/pairing';
import { newDoc, syncAll } from './support';

describe('leadership group (领导小组) members', () => {
	test('are listed 组长 first, then 副组长, then 成员, each in the order they were added', () => {
		const doc = newDoc(1);
		const member = addMember(doc, { name: '武威', post: '办公室主任', role: 'member' });
		const deputy = addMember(doc, { name: '李习', post: '市总工会二级调研员', role: 'deputy' });
		const leader = addMember(doc, { name: '孙宝旗', post: '党组书记、常务副主席', role: 'leader' });
		const second = addMember(doc, { name: '陈静', post: '组织部部长', role: 'member' });
		expect(readMembers(doc).map((m) => m.id)).toEqual([leader, deputy, member, second]);
		expect(readMembers(doc)[0]).toMatchObject({ name: '孙宝旗', post: '党组书记、常务副主席' });
	});

	test('a name is required; names and posts are trimmed', () => {
		const doc = newDoc(1);
		expect(() => addMember(doc, { name: '  ', post: 'x', role: 'member' })).toThrow();
		const id = addMember(doc, { name: ' 赵勇 ', post: ' 法工部部长 ', role: 'member' });
		expect(readMembers(doc)[0]).toMatchObject({ id, name: '赵勇', post: '法工部部长' });
	});

	test('edits change post and role; an empty name is ignored; removing takes the member out', () => {
		const doc = newDoc(1);
		const id = addMember(doc, { name: '罗生晖', post: '宣教部部长', role: 'member' });
		updateMember(doc, id, { post: '宣教部部长（兼）', role: 'deputy', name: '' });
		expect(readMembers(doc)[0]).toMatchObject({
			name: '罗生晖',
			post: '宣教部部长（兼）',
			role: 'deputy'
		});
		removeMember(doc, id);
		expect(readMembers(doc)).toEqual([]);
	});

	test('values written by a foreign client are made safe', () => {
		const doc = new Y.Doc();
		const members = doc.getMap<unknown>(MEMBERS);
		const odd = new Y.Map<unknown>();
		members.set('odd', odd);
		odd.set('name', '刘越欣');
		odd.set('role', 'chairman');
		odd.set('order', 'first');
		members.set('not-a-map', 'x');
		const nameless = new Y.Map<unknown>();
		members.set('nameless', nameless);
		expect(readMembers(doc)).toEqual([
			{ id: 'odd', name: '刘越欣', post: '', role: 'member', order: Number.MAX_SAFE_INTEGER }
		]);
	});

	test('two offices editing the same member apart converge', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const id = addMember(a, { name: '周树杰', post: '民管部部长', role: 'member' });
		syncAll(a, b);
		updateMember(a, id, { post: '民主管理部部长' });
		updateMember(b, id, { role: 'deputy' });
		syncAll(a, b);
		expect(readMembers(a)).toEqual(readMembers(b));
		expect(readMembers(a)[0]).toMatchObject({ post: '民主管理部部长', role: 'deputy' });
	});
});

describe('updateCounty (对口联系, 一县一品)', () => {
	function seeded() {
		const doc = newDoc(1);
		seedCampaign(doc, SEED_META, SEED_COUNTIES);
		return doc;
	}

	test('sets the brand and contacts, trimmed; other counties are untouched', () => {
		const doc = seeded();
		updateCounty(doc, 'haigang', {
			brand: ' 港城工匠 ',
			countyContact: '张鑫',
			countyPhone: '3550578'
		});
		const counties = readCounties(doc);
		expect(counties.find((c) => c.id === 'haigang')).toMatchObject({
			brand: '港城工匠',
			countyPhone: '3550578',
			leader: '孙宝旗'
		});
		expect(counties.find((c) => c.id === 'lulong')?.brand).toBe('');
	});

	test('ignores an unknown pairing and writes nothing when nothing changed', () => {
		const doc = seeded();
		let updates = 0;
		doc.on('update', () => updates++);
		updateCounty(doc, 'beidaihe', { pairedBy: 'nobody' as 'city', leader: '' });
		expect(updates).toBe(0);
		expect(readCounties(doc).find((c) => c.id === 'beidaihe')?.pairedBy).toBe('province');
		updateCounty(doc, 'beidaihe', { pairedBy: 'city', leader: '吴军成' });
		expect(readCounties(doc).find((c) => c.id === 'beidaihe')).toMatchObject({
			pairedBy: 'city',
			leader: '吴军成'
		});
	});

	test('an unknown county is an error', () => {
		expect(() => updateCounty(seeded(), 'nowhere', { brand: 'x' })).toThrow();
	});
});
