import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { SEED_COUNTIES } from '../../src/lib/domain/campaign';
import {
	deleteVisit,
	readVisits,
	recordVisit,
	updateVisit,
	visitCompliance,
	VisitError,
	type Visit
} from '../../src/lib/domain/visits';

const visit = {
	county: 'haigang',
	date: '2022-10-20',
	mode: 'on-site' as const,
	leader: '孙宝旗',
	participants: '孙宝旗、武威',
	topics: ['new-employment' as const, 'quality-of-life' as const],
	summary: '走访外卖站点和工人文化宫'
};

describe('visits (调查研究)', () => {
	test('records, reads back newest first, updates and deletes a visit', () => {
		const doc = new Y.Doc();
		const first = recordVisit(doc, visit, '武威');
		const second = recordVisit(doc, { ...visit, date: '2023-03-02', mode: 'video' }, '武威');
		expect(readVisits(doc).map((v) => v.id)).toEqual([second, first]);
		expect(readVisits(doc)[1]).toMatchObject({ ...visit, id: first, createdBy: '武威' });

		updateVisit(doc, first, { ...visit, topics: ['organization'] });
		expect(readVisits(doc)[1]!.topics).toEqual(['organization']);
		deleteVisit(doc, second);
		expect(readVisits(doc).map((v) => v.id)).toEqual([first]);
	});

	test('refuses a visit without county, date or leader, and unknown modes', () => {
		const doc = new Y.Doc();
		expect(() => recordVisit(doc, { ...visit, date: '20.10.2022' }, 'x')).toThrow(VisitError);
		expect(() => recordVisit(doc, { ...visit, leader: ' ' }, 'x')).toThrow(VisitError);
		expect(() => recordVisit(doc, { ...visit, mode: 'email' as never }, 'x')).toThrow(VisitError);
		expect(readVisits(doc)).toEqual([]);
	});

	test('foreign values read safely', () => {
		const doc = new Y.Doc();
		const map = new Y.Map<unknown>();
		doc.getMap('visits').set('v1', map);
		map.set('mode', 'carrier-pigeon');
		map.set('topics', Y.Array.from(['organization', 'bogus']));
		map.set('date', 'yesterday');
		expect(readVisits(doc)[0]).toMatchObject({
			mode: 'on-site',
			topics: ['organization'],
			date: ''
		});
	});
});

describe('visit compliance: at least two visits a year by the paired leader', () => {
	const period = { start: '2022-09-30', end: '2023-09-30' };
	const v = (
		county: string,
		leader: string,
		date: string,
		mode: Visit['mode'] = 'on-site'
	): Visit => ({
		id: `${county}-${date}`,
		county,
		date,
		mode,
		leader,
		participants: '',
		topics: [],
		summary: '',
		createdBy: ''
	});
	const byCounty = (list: ReturnType<typeof visitCompliance>) =>
		Object.fromEntries(list.map((c) => [c.county, c]));

	test('done, on track, short, and the province-paired counties', () => {
		const visits = [
			v('haigang', '孙宝旗', '2022-10-20'),
			v('haigang', '孙宝旗', '2023-04-10', 'video'),
			v('qinglong', '陈勇琿', '2022-11-01'),
			// Not by the paired leader: doesn't count.
			v('lulong', '武威', '2022-11-01'),
			// Outside the period: doesn't count.
			v('funing', '李光', '2022-01-01')
		];
		const early = byCounty(visitCompliance(SEED_COUNTIES, visits, period, '2022-12-01'));
		// Both count; the video call is told apart from the on-site visit.
		expect(early.haigang).toMatchObject({ done: 2, onSite: 1, state: 'done' });
		expect(early.qinglong).toMatchObject({ done: 1, state: 'on-track' });
		expect(early.lulong).toMatchObject({ done: 0, state: 'on-track' });
		expect(early.beidaihe).toMatchObject({ state: 'province' });

		const late = byCounty(visitCompliance(SEED_COUNTIES, visits, period, '2023-05-01'));
		expect(late.lulong).toMatchObject({ done: 0, state: 'short', deadline: '2023-09-30' });
		expect(late.qinglong).toMatchObject({ done: 1, state: 'on-track' });
		const after = byCounty(visitCompliance(SEED_COUNTIES, visits, period, '2023-10-01'));
		expect(after.qinglong).toMatchObject({ state: 'short' });
		// Before the campaign doc has loaded its dates there is nothing to judge.
		expect(visitCompliance(SEED_COUNTIES, visits, { start: '', end: '' }, '2023-10-01')).toEqual(
			[]
		);
	});
});
