import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { SEED_COUNTIES } from '../../src/lib/domain/campaign';
import {
	deleteVisit,
	readAllVisits,
	readVisits,
	recordVisit,
	restoreVisit,
	updateVisit,
	visitCompliance,
	visitEdits,
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

		updateVisit(doc, first, { topics: ['organization'] }, '武威');
		expect(readVisits(doc)[1]!.topics).toEqual(['organization']);
		deleteVisit(doc, second, '武威');
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

describe('editing, deleting and restoring a visit keeps its history', () => {
	const at = (iso: string) => new Date(iso);

	test('an edit writes what changed, who changed it and when, in one transaction', () => {
		const doc = new Y.Doc();
		const id = recordVisit(doc, visit, '武威', at('2022-10-20T08:00:00Z'));
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		updateVisit(
			doc,
			id,
			{ date: '2022-10-25', mode: 'video', topics: ['organization'], summary: '改为视频连线' },
			'张鑫',
			at('2022-10-26T02:00:00Z')
		);
		expect(transactions).toBe(1);
		const read = readVisits(doc)[0]!;
		expect(read).toMatchObject({ date: '2022-10-25', mode: 'video', summary: '改为视频连线' });
		expect(read.history).toEqual([
			{ at: '2022-10-20T08:00:00.000Z', by: '武威', kind: 'created', changes: [] },
			{
				at: '2022-10-26T02:00:00.000Z',
				by: '张鑫',
				kind: 'edited',
				changes: [
					{ field: 'date', from: '2022-10-20', to: '2022-10-25' },
					{ field: 'mode', from: 'on-site', to: 'video' },
					{
						field: 'topics',
						from: 'new-employment,quality-of-life',
						to: 'organization'
					},
					{ field: 'summary', from: '', to: '' }
				]
			}
		]);
	});

	test('an edit that changes nothing writes nothing; ticking topics in another order is no change', () => {
		const doc = new Y.Doc();
		const id = recordVisit(doc, visit, '武威');
		let transactions = 0;
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			if (tr.changed.size) transactions++;
		});
		updateVisit(doc, id, { ...visit, topics: ['quality-of-life', 'new-employment'] }, '武威');
		updateVisit(doc, id, {}, '武威');
		expect(transactions).toBe(0);
		expect(readVisits(doc)[0]!.history!.map((h) => h.kind)).toEqual(['created']);
	});

	test('only the fields the person changed are written: a concurrent edit of another field stays', () => {
		const a = new Y.Doc();
		const id = recordVisit(a, visit, '武威');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		// Both opened the form on the same visit; A changes the date, B the leader.
		const opened = { ...visit };
		updateVisit(a, id, visitEdits(opened, { ...opened, date: '2022-11-01' }), '武威');
		updateVisit(b, id, visitEdits(opened, { ...opened, leader: '王军' }), '张鑫');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		for (const doc of [a, b]) {
			const read = readVisits(doc)[0]!;
			expect(read).toMatchObject({ date: '2022-11-01', leader: '王军' });
			// Both edits are in the history, on both sides.
			expect(
				read
					.history!.filter((h) => h.kind === 'edited')
					.map((h) => h.by)
					.sort()
			).toEqual(['张鑫', '武威'].sort());
		}
	});

	test('visitEdits names only the fields that differ from what the form opened with', () => {
		expect(visitEdits(visit, { ...visit })).toEqual({});
		expect(
			visitEdits(visit, { ...visit, leader: ' 孙宝旗 ', topics: [...visit.topics].reverse() })
		).toEqual({});
		expect(visitEdits(visit, { ...visit, mode: 'phone', participants: '武威' })).toEqual({
			mode: 'phone',
			participants: '武威'
		});
	});

	test('updateVisit refuses bad input and unknown visits, and writes nothing then', () => {
		const doc = new Y.Doc();
		const id = recordVisit(doc, visit, '武威');
		const before = Y.encodeStateVector(doc);
		expect(() => updateVisit(doc, id, { date: '2022/10/25' }, 'x')).toThrow(VisitError);
		expect(() => updateVisit(doc, id, { mode: 'email' as never }, 'x')).toThrow(VisitError);
		expect(() => updateVisit(doc, id, { leader: '   ' }, 'x')).toThrow(VisitError);
		expect(() => updateVisit(doc, 'nope', { date: '2022-10-25' }, 'x')).toThrow(VisitError);
		expect(() => deleteVisit(doc, 'nope', 'x')).toThrow(VisitError);
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(readVisits(doc)[0]).toMatchObject(visit);
	});

	test('a deleted visit is hidden but kept; restoring brings it back, both in its history', () => {
		const doc = new Y.Doc();
		const id = recordVisit(doc, visit, '武威', at('2022-10-20T08:00:00Z'));
		deleteVisit(doc, id, '武威', at('2022-11-01T00:00:00Z'));
		// Deleting twice records one deletion.
		deleteVisit(doc, id, '武威', at('2022-11-02T00:00:00Z'));
		expect(readVisits(doc)).toEqual([]);
		const [deleted] = readAllVisits(doc);
		expect(deleted).toMatchObject({ id, deletedAt: '2022-11-01T00:00:00.000Z' });

		restoreVisit(doc, id, '孙宝旗', at('2022-11-03T00:00:00Z'));
		restoreVisit(doc, id, '孙宝旗', at('2022-11-04T00:00:00Z'));
		const [restored] = readVisits(doc);
		expect(restored!.deletedAt).toBeUndefined();
		expect(restored!.history!.map((h) => [h.kind, h.by, h.at])).toEqual([
			['created', '武威', '2022-10-20T08:00:00.000Z'],
			['deleted', '武威', '2022-11-01T00:00:00.000Z'],
			['restored', '孙宝旗', '2022-11-03T00:00:00.000Z']
		]);
	});

	test('a visit recorded before histories were kept gets one with its first change', () => {
		const doc = new Y.Doc();
		const id = recordVisit(doc, visit, '武威');
		doc.getMap<Y.Map<unknown>>('visits').get(id)!.delete('history');
		updateVisit(doc, id, { participants: '孙宝旗' }, '武威');
		expect(readVisits(doc)[0]!.history!.map((h) => h.kind)).toEqual(['created', 'edited']);
	});

	test('foreign history lines read safely', () => {
		const doc = new Y.Doc();
		const id = recordVisit(doc, visit, '武威', at('2022-10-20T08:00:00Z'));
		const history = doc
			.getMap<Y.Map<unknown>>('visits')
			.get(id)!
			.get('history') as Y.Array<unknown>;
		const odd = new Y.Map<unknown>();
		odd.set('kind', 'teleported');
		const edit = new Y.Map<unknown>();
		edit.set('kind', 'edited');
		edit.set('at', '2022-10-21T00:00:00Z');
		edit.set('by', 42);
		edit.set('changes', [{ field: 'date', from: '2022-10-20', to: 7 }, { field: 'secret' }, 'x']);
		history.push(['not a map', odd, edit]);
		expect(readVisits(doc)[0]!.history).toEqual([
			{ at: '2022-10-20T08:00:00.000Z', by: '武威', kind: 'created', changes: [] },
			{
				at: '2022-10-21T00:00:00Z',
				by: '',
				kind: 'edited',
				changes: [{ field: 'date', from: '2022-10-20', to: '' }]
			}
		]);
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
		// A deleted visit does not count.
		const withDeleted = [
			...visits,
			{ ...v('qinglong', '陈勇琿', '2023-01-05'), deletedAt: '2023-01-06T00:00:00Z' }
		];
		expect(
			byCounty(visitCompliance(SEED_COUNTIES, withDeleted, period, '2023-05-01')).qinglong
		).toMatchObject({ done: 1 });
		// Before the campaign doc has loaded its dates there is nothing to judge.
		expect(visitCompliance(SEED_COUNTIES, visits, { start: '', end: '' }, '2023-10-01')).toEqual(
			[]
		);
	});
});
