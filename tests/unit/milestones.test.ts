import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addMilestone,
	byMonth,
	daysUntil,
	MILESTONES,
	readMilestones,
	removeMilestone,
	upcomingMilestones,
	updateMilestone
} from '../../src/lib/domain/milestones';
import { newDoc } from './support';

function calendar() {
	const doc = newDoc(1);
	addMilestone(doc, { title: '双月调度', date: '2022-11-30', kind: 'review' });
	addMilestone(doc, { title: '落实情况报组织部', date: '2022-10-14', kind: 'report' });
	addMilestone(doc, {
		title: '青龙县现场推进会',
		date: '2022-10-18',
		kind: 'other',
		county: 'qinglong'
	});
	addMilestone(doc, { title: '季度小结', date: '2022-12-31', kind: 'review' });
	return doc;
}

describe('milestones', () => {
	test('are read earliest first', () => {
		expect(readMilestones(calendar()).map((m) => m.date)).toEqual([
			'2022-10-14',
			'2022-10-18',
			'2022-11-30',
			'2022-12-31'
		]);
	});

	test('upcoming: from today to seven days ahead, inclusive', () => {
		const all = readMilestones(calendar());
		expect(upcomingMilestones(all, '2022-10-11').map((m) => m.title)).toEqual([
			'落实情况报组织部',
			'青龙县现场推进会'
		]);
		expect(upcomingMilestones(all, '2022-10-14').map((m) => m.date)).toEqual([
			'2022-10-14',
			'2022-10-18'
		]);
		expect(upcomingMilestones(all, '2022-10-15').map((m) => m.date)).toEqual(['2022-10-18']);
		expect(upcomingMilestones(all, '2022-10-19')).toEqual([]);
		expect(upcomingMilestones(all, '2022-11-23').map((m) => m.date)).toEqual(['2022-11-30']);
	});

	test('a county sees its own milestones and everyone’s, not another county’s', () => {
		const all = readMilestones(calendar());
		expect(upcomingMilestones(all, '2022-10-11', 'haigang').map((m) => m.title)).toEqual([
			'落实情况报组织部'
		]);
		expect(upcomingMilestones(all, '2022-10-11', 'qinglong')).toHaveLength(2);
	});

	test('days until, and grouping by month for the calendar', () => {
		expect(daysUntil('2022-10-14', '2022-10-11')).toBe(3);
		expect(daysUntil('2022-10-11', '2022-10-11')).toBe(0);
		expect(daysUntil('2023-03-01', '2023-02-28')).toBe(1);
		const months = byMonth(readMilestones(calendar()));
		expect(months.map(([month, list]) => [month, list.length])).toEqual([
			['2022-10', 2],
			['2022-11', 1],
			['2022-12', 1]
		]);
	});

	test('edit, move to another date, remove; dates and titles are checked', () => {
		const doc = newDoc(1);
		expect(() => addMilestone(doc, { title: 'x', date: '2022-13', kind: 'other' })).toThrow();
		expect(() => addMilestone(doc, { title: ' ', date: '2022-10-14', kind: 'other' })).toThrow();
		const id = addMilestone(doc, {
			title: '半年总结',
			date: '2023-03-30',
			kind: 'review',
			county: 'lulong'
		});
		updateMilestone(doc, id, { date: '2023-03-31', county: '' });
		expect(readMilestones(doc)).toEqual([
			{ id, title: '半年总结', date: '2023-03-31', kind: 'review', county: '' }
		]);
		removeMilestone(doc, id);
		expect(readMilestones(doc)).toEqual([]);
	});

	test('entries without a valid date are left out; an unknown kind reads as other', () => {
		const doc = new Y.Doc();
		const map = doc.getMap<unknown>(MILESTONES);
		const bad = new Y.Map<unknown>();
		map.set('bad', bad);
		bad.set('title', '无日期');
		const odd = new Y.Map<unknown>();
		map.set('odd', odd);
		odd.set('date', '2023-01-31');
		odd.set('kind', 'party');
		expect(readMilestones(doc)).toEqual([
			{ id: 'odd', title: 'odd', date: '2023-01-31', kind: 'other', county: '' }
		]);
	});
});
