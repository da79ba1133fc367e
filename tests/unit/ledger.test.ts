import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	updateProblem
} from '../../src/lib/domain/commands';
import {
	EMPTY_FILTER,
	filterFromParams,
	filterToParams,
	matches,
	sortRows,
	toRow,
	type LedgerRow
} from '../../src/lib/domain/ledger';
import { alice, read } from './support';

const TODAY = '2022-11-15';
const haigang = { id: 'haigang', name: '海港区', order: 1 };
const lulong = { id: 'lulong', name: '卢龙县', order: 7 };

function rows(): LedgerRow[] {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const p1 = createProblem(a, { title: '外卖骑手入会率低', tier: 'party-gov' }, alice);
	updateProblem(a, p1, { assignee: '张鑫', leader: '孙宝旗', due: '2022-11-01' }, alice);
	addMeasure(a, p1, '推动平台企业建立工会联合会');
	const p2 = createProblem(a, { title: 'Cultural palace roof', tier: 'union-system' }, alice);
	updateProblem(a, p2, { assignee: '武威', due: '2022-11-20' }, alice);
	const p3 = createProblem(b, { title: '爱心妈妈小屋建设慢', tier: 'county-self' }, alice);
	addProgressNote(b, p3, '已选址五处', alice);
	return [
		toRow(read(a, p1), haigang, TODAY),
		toRow(read(a, p2), haigang, TODAY),
		toRow(read(b, p3), lulong, TODAY)
	];
}

const titles = (list: LedgerRow[]) => list.map((r) => r.problem.title);

describe('ledger filters', () => {
	test('by county, tier, assignee, warning and "mine"', () => {
		const all = rows();
		const f = (patch: Partial<typeof EMPTY_FILTER>, me = '') =>
			titles(all.filter((r) => matches(r, { ...EMPTY_FILTER, ...patch }, me)));
		expect(f({ county: 'lulong' })).toEqual(['爱心妈妈小屋建设慢']);
		expect(f({ tier: 'party-gov' })).toEqual(['外卖骑手入会率低']);
		expect(f({ warning: 'overdue' })).toEqual(['外卖骑手入会率低']);
		expect(f({ warning: 'due-soon' })).toEqual(['Cultural palace roof']);
		expect(f({ warning: 'none' })).toEqual(['爱心妈妈小屋建设慢']);
		expect(f({ mine: true }, '孙宝旗')).toEqual(['外卖骑手入会率低']);
		expect(f({ mine: true }, '武威')).toEqual(['Cultural palace roof']);
	});

	test('search finds Chinese and English words in titles, measures and notes, all words required', () => {
		const all = rows();
		const q = (text: string) =>
			titles(all.filter((r) => matches(r, { ...EMPTY_FILTER, q: text }, '')));
		expect(q('联合会')).toEqual(['外卖骑手入会率低']);
		expect(q('选址')).toEqual(['爱心妈妈小屋建设慢']);
		expect(q('ROOF')).toEqual(['Cultural palace roof']);
		expect(q('外卖 联合会')).toEqual(['外卖骑手入会率低']);
		expect(q('外卖 选址')).toEqual([]);
	});
});

describe('ledger sorting', () => {
	test('by county order, then by deadline with undated last, and descending', () => {
		const all = rows();
		expect(titles(sortRows(all, 'county')).at(-1)).toBe('爱心妈妈小屋建设慢');
		expect(titles(sortRows(all, 'due'))).toEqual([
			'外卖骑手入会率低',
			'Cultural palace roof',
			'爱心妈妈小屋建设慢'
		]);
		expect(titles(sortRows(all, 'due', true))[0]).toBe('爱心妈妈小屋建设慢');
	});
});

describe('filters in URLs', () => {
	test('round-trip through search parameters; unknown values are dropped', () => {
		const filter = {
			...EMPTY_FILTER,
			county: 'haigang',
			tier: 'party-gov' as const,
			mine: true,
			q: '骑手'
		};
		expect(filterFromParams(filterToParams(filter))).toEqual(filter);
		expect(filterFromParams(new URLSearchParams('tier=bogus&status=closed'))).toMatchObject({
			tier: '',
			status: 'closed'
		});
	});
});

describe('deadline calendar', () => {
	test('weeks start on Monday and cover the whole month', async () => {
		const { monthGrid, monthOf, isMonth } = await import('../../src/lib/domain/calendar');
		const weeks = monthGrid('2022-11');
		expect(weeks[0]![0]).toEqual({ date: '2022-10-31', inMonth: false });
		expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(30);
		expect(weeks.every((w) => w.length === 7)).toBe(true);
		expect(weeks.at(-1)!.at(-1)!.date).toBe('2022-12-04');
		expect(monthOf('2022-12-31', 1)).toBe('2023-01');
		expect(monthOf('2023-01-15', -1)).toBe('2022-12');
		expect(isMonth('2022-13')).toBe(false);
	});
});
