import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createProblem } from '../../src/lib/domain/commands';
import { toRow } from '../../src/lib/domain/ledger';
import { readProblems } from '../../src/lib/domain/problem';
import { reviewSheets } from '../../src/lib/domain/review-sheet';
import { takeSnapshot } from '../../src/lib/domain/review-snapshot';
import type { Review } from '../../src/lib/domain/reviews';
import { alice } from './support';

const haigang = {
	id: 'haigang',
	name: '海港区',
	order: 1,
	pairedBy: 'city' as const,
	leader: '孙宝旗',
	cityContact: '',
	cityPhone: '',
	countyContact: '',
	countyPhone: '',
	brand: ''
};

function review() {
	const doc = new Y.Doc();
	createProblem(doc, { title: '=HYPERLINK("http://x")' }, alice, new Date('2022-11-03T02:00:00Z'));
	createProblem(
		doc,
		{ title: '骑手入会难', tier: 'party-gov' },
		alice,
		new Date('2022-11-04T02:00:00Z')
	);
	const snapshot = takeSnapshot({
		rows: readProblems(doc).map((p) => toRow(p, haigang, '2022-12-01')),
		counties: [haigang],
		visits: [],
		practices: [],
		period: { start: '2022-11-01', end: '2022-12-31' },
		campaign: { start: '2022-09-30', end: '2023-09-30' },
		now: new Date('2022-12-01T02:00:00Z'),
		today: '2022-12-01',
		previous: null
	});
	const stored: Review = {
		id: 'r1',
		kind: 'bimonthly',
		start: '2022-11-01',
		end: '2022-12-31',
		snapshot,
		sections: { summary: '总体良好', progress: '+1 进展', issues: '', nextSteps: '第一条\n第二条' },
		createdAt: '2022-12-01T02:00:00.000Z',
		createdBy: '武威'
	};
	return reviewSheets(
		stored,
		snapshot,
		{ title: '双月调度', campaign: '县级工会加强年' },
		(key) => key
	);
}

describe('reviewSheets', () => {
	test('four sheets: text, counties, problem lists, visits', () => {
		expect(review().map((s) => s.name)).toEqual([
			'reviews.sheetText',
			'reviews.sheetStats',
			'reviews.sheetLists',
			'reviews.lists.visits'
		]);
	});

	test('the text sheet holds the key numbers and each line of every section', () => {
		const [text] = review();
		expect(text!.rows[1]).toEqual(['双月调度']);
		expect(text!.rows).toContainEqual(['reviews.key.opened', 2, null]);
		expect(text!.rows).toContainEqual(['第一条']);
		expect(text!.rows).toContainEqual(['第二条']);
	});

	test('counties with their figures and a total row', () => {
		const stats = review()[1]!;
		expect(stats.rows[1]?.slice(0, 2)).toEqual(['海港区', 2]);
		expect(stats.rows.at(-1)?.[0]).toBe('dash.allCounties');
	});

	test('text that a spreadsheet would run as a formula is neutralized', () => {
		const [text, , lists] = review();
		expect(text!.rows).toContainEqual(["'+1 进展"]);
		const titles = lists!.rows.slice(1).map((r) => r[3]);
		expect(titles).toContain('\'=HYPERLINK("http://x")');
		expect(titles).toContain('骑手入会难');
	});
});
