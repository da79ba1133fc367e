import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createProblem, moveProblem, updateProblem } from '../../src/lib/domain/commands';
import {
	closedDays,
	countyStats,
	goalMatrix,
	openedClosedSeries,
	seriesRange,
	seriesUnitFor
} from '../../src/lib/domain/dashboard';
import { filterFromParams, matches, toRow, type LedgerRow } from '../../src/lib/domain/ledger';
import { closeProblem, resolveProblem, reopenProblem } from '../../src/lib/domain/lifecycle';
import { readProblems } from '../../src/lib/domain/problem';
import {
	addDays,
	DUE_SOON_DAYS,
	shanghaiDay,
	summarize,
	warningOf
} from '../../src/lib/domain/stats';
import { todayInShanghai } from '../../src/lib/i18n/format';
import { alice } from './support';

const city = { ...alice, role: 'city' as const };
const COUNTIES = [
	{ id: 'haigang', name: '海港区', order: 1 },
	{ id: 'lulong', name: '卢龙县', order: 7 }
];
const TODAY = '2022-11-20';

/** A board with problems made at the given Shanghai times. */
function board() {
	return new Y.Doc();
}

function rowsOf(docs: Record<string, Y.Doc>, today = TODAY): LedgerRow[] {
	return COUNTIES.flatMap((c) =>
		docs[c.id] ? readProblems(docs[c.id]!).map((p) => toRow(p, c, today)) : []
	);
}

function closeNow(doc: Y.Doc, id: string, at: Date) {
	resolveProblem(doc, id, { note: '已修缮' }, alice, at);
	closeProblem(
		doc,
		id,
		{
			verifier: '武威',
			verifiedOn: '2022-11-01',
			satisfaction: 'satisfied',
			followUp: '回访职工满意'
		},
		city,
		at
	);
}

describe('shanghaiDay', () => {
	test('a UTC time late in the evening is already the next day in Shanghai', () => {
		expect(shanghaiDay('2022-10-31T16:30:00.000Z')).toBe('2022-11-01');
		expect(shanghaiDay('2022-10-31T15:59:59.000Z')).toBe('2022-10-31');
		expect(shanghaiDay('not a time')).toBe('');
	});
});

describe('countyStats', () => {
	test('counts per county, tier and status, closure rate, overdue and due within 7 days', () => {
		const haigang = board();
		const lulong = board();
		const a = createProblem(haigang, { title: '骑手入会难', tier: 'party-gov' }, alice);
		const b = createProblem(haigang, { title: '文化宫老化', tier: 'union-system' }, alice);
		const c = createProblem(haigang, { title: '待分类的', tier: 'unsorted' }, alice);
		const d = createProblem(lulong, { title: '职工书屋', tier: 'county-self' }, alice);
		updateProblem(haigang, a, { due: '2022-11-19' }, alice); // overdue
		updateProblem(haigang, b, { due: '2022-11-27' }, alice); // due in exactly 7 days
		updateProblem(haigang, c, { due: '2022-11-28' }, alice); // 8 days: not soon
		updateProblem(lulong, d, { due: '2022-11-01' }, alice);
		closeNow(lulong, d, new Date('2022-11-02T02:00:00Z')); // closed: not overdue

		const { counties, total } = countyStats(rowsOf({ haigang, lulong }), COUNTIES, TODAY);
		const h = counties[0]!;
		const l = counties[1]!;
		expect(h.county).toBe('haigang');
		expect(h.total).toBe(3);
		expect(h.byTier).toEqual({ unsorted: 1, 'party-gov': 1, 'union-system': 1, 'county-self': 0 });
		expect(h.byStatus.open).toBe(3);
		expect(h.overdue).toBe(1);
		expect(h.dueSoon).toBe(1);
		expect(h.closureRate).toBe(0);
		expect(l.byStatus.closed).toBe(1);
		expect(l.open).toBe(0);
		expect(l.overdue).toBe(0);
		expect(l.closureRate).toBe(1);
		expect(total.total).toBe(4);
		expect(total.closureRate).toBe(0.25);
	});

	test('deleted problems and problems of unknown counties do not count', () => {
		const haigang = board();
		createProblem(haigang, { title: '一' }, alice);
		const rows = rowsOf({ haigang });
		const row = rows[0]!;
		rows.push({ ...row, county: 'elsewhere' });
		rows.push({ ...row, problem: { ...row.problem, deleted: true } });
		expect(countyStats(rows, COUNTIES, TODAY).total.total).toBe(1);
	});
});

describe('due soon', () => {
	test('the dashboard, the county tile, the card and the ledger filter mark the same problems', () => {
		// 01:30 on the 21st in Shanghai is still the 20th in UTC: the day is Shanghai's.
		const now = new Date('2022-11-20T17:30:00Z');
		const today = todayInShanghai(now);
		expect(today).toBe('2022-11-21');
		const doc = board();
		const due = (title: string, days: number, created = now) => {
			const id = createProblem(doc, { title }, alice, created);
			updateProblem(doc, id, { due: addDays(today, days) }, alice);
			return id;
		};
		due('今天到期', 0);
		due('第 7 天到期', DUE_SOON_DAYS);
		due('第 8 天到期', DUE_SOON_DAYS + 1);
		due('昨天到期', -1);
		resolveProblem(doc, due('已解决待核验', 3), { note: '已办' }, alice, now);
		closeNow(doc, due('已销号', 3), now);
		// Listed long ago and not started: behind schedule (yellow), not due soon (blue).
		due('进度滞后', 3, new Date('2022-09-01T02:00:00Z'));

		const rows = rowsOf({ haigang: doc }, today);
		const marked = ['今天到期', '已解决待核验', '第 7 天到期'];
		const title = (r: LedgerRow) => r.problem.title;
		const byCard = rows.filter((r) => warningOf(r.problem, today) === 'due-soon').map(title);
		const byLedger = rows
			.filter((r) => matches(r, filterFromParams(new URLSearchParams('warning=due-soon')), ''))
			.map(title);
		expect(byCard.sort()).toEqual(marked);
		expect(byLedger.sort()).toEqual(marked);
		const { counties, total } = countyStats(rows, COUNTIES, today);
		expect([counties[0]!.dueSoon, total.dueSoon]).toEqual([3, 3]);
		expect(summarize(readProblems(doc), today).dueSoon).toBe(3);
	});
});

describe('goalMatrix', () => {
	test('open problems per goal per county, closed ones left out; practices per goal', () => {
		const haigang = board();
		const a = createProblem(haigang, { title: '一' }, alice);
		const b = createProblem(haigang, { title: '二' }, alice);
		createProblem(haigang, { title: '三' }, alice);
		updateProblem(haigang, a, { goal: 'service' }, alice);
		updateProblem(haigang, b, { goal: 'service' }, alice);
		closeNow(haigang, b, new Date('2022-11-02T02:00:00Z'));
		const matrix = goalMatrix(
			rowsOf({ haigang }),
			[
				{ county: 'lulong', goal: 'political' },
				{ county: 'lulong', goal: null },
				{ county: 'nowhere', goal: 'political' }
			],
			COUNTIES
		);
		expect(matrix.problems.haigang!.service).toBe(1);
		expect(matrix.problems.haigang!.none).toBe(1);
		expect(matrix.problems.lulong!.service).toBe(0);
		expect(matrix.practices.lulong!.political).toBe(1);
	});
});

describe('openedClosedSeries', () => {
	test('buckets by Shanghai week (Monday first), empty weeks included', () => {
		const doc = board();
		// Sunday 2022-10-30 23:30 in Shanghai is still that week.
		createProblem(doc, { title: '一' }, alice, new Date('2022-10-30T15:30:00Z'));
		// 00:30 on Monday 2022-10-31 in Shanghai is the next week, though still Sunday in UTC.
		const b = createProblem(doc, { title: '二' }, alice, new Date('2022-10-30T16:30:00Z'));
		closeNow(doc, b, new Date('2022-11-15T03:00:00Z'));
		const series = openedClosedSeries(
			readProblems(doc),
			{ from: '2022-10-26', to: '2022-11-20' },
			'week'
		);
		expect(series.map((s) => s.start)).toEqual([
			'2022-10-24',
			'2022-10-31',
			'2022-11-07',
			'2022-11-14'
		]);
		expect(series.map((s) => s.opened)).toEqual([1, 1, 0, 0]);
		expect(series.map((s) => s.closed)).toEqual([0, 0, 0, 1]);
		expect(series[0]!.end).toBe('2022-10-30');
	});

	test('months, and a problem closed, reopened and closed again counts both closures', () => {
		const doc = board();
		const id = createProblem(doc, { title: '回潮' }, alice, new Date('2022-10-10T02:00:00Z'));
		closeNow(doc, id, new Date('2022-10-20T02:00:00Z'));
		reopenProblem(doc, id, '又出现了', city, new Date('2022-11-03T02:00:00Z'));
		closeNow(doc, id, new Date('2022-12-01T02:00:00Z'));
		const p = readProblems(doc)[0]!;
		expect(closedDays(p)).toEqual(['2022-10-20', '2022-12-01']);
		const series = openedClosedSeries([p], { from: '2022-10-01', to: '2022-12-31' }, 'month');
		expect(series.map((s) => [s.start, s.end, s.opened, s.closed])).toEqual([
			['2022-10-01', '2022-10-31', 1, 1],
			['2022-11-01', '2022-11-30', 0, 0],
			['2022-12-01', '2022-12-31', 0, 1]
		]);
	});

	test('events outside the range are left out; an empty range has no buckets', () => {
		const doc = board();
		createProblem(doc, { title: '早' }, alice, new Date('2022-09-01T02:00:00Z'));
		const series = openedClosedSeries(
			readProblems(doc),
			{ from: '2022-10-01', to: '2022-10-31' },
			'month'
		);
		expect(series).toHaveLength(1);
		expect(series[0]!.opened).toBe(0);
		expect(openedClosedSeries(readProblems(doc), { from: '', to: '' }, 'week')).toEqual([]);
	});

	test('short spans go by week, long ones by month', () => {
		expect(seriesUnitFor('2022-11-01', '2022-12-31')).toBe('week');
		expect(seriesUnitFor('2022-09-30', '2023-09-30')).toBe('month');
	});

	test('an escalation is not a closure', () => {
		const doc = board();
		const id = createProblem(doc, { title: '升级', tier: 'county-self' }, alice);
		moveProblem(doc, id, 'party-gov', 0, alice, new Date(), '需要区委协调');
		expect(closedDays(readProblems(doc)[0]!)).toEqual([]);
	});
});

describe('seriesRange', () => {
	test('the campaign period, widened to the days of every event, never past today, at most a year', () => {
		const doc = new Y.Doc();
		createProblem(doc, { title: '早' }, alice, new Date('2022-09-01T02:00:00Z'));
		createProblem(doc, { title: '晚' }, alice, new Date('2024-03-01T02:00:00Z'));
		const rows = rowsOf({ haigang: doc });
		const period = { start: '2022-09-30', end: '2023-09-30' };
		expect(seriesRange(rows.slice(0, 1), period, '2025-01-01')).toEqual({
			from: '2022-09-01',
			to: '2023-09-30'
		});
		expect(seriesRange(rows, period, '2025-01-01')).toEqual({
			from: '2023-03-01',
			to: '2024-03-01'
		});
		expect(seriesRange([], period, '2023-01-15')).toEqual({ from: '2022-09-30', to: '2023-01-15' });
	});
});

describe('the ledger filters the dashboard links to', () => {
	function rows() {
		const doc = board();
		const a = createProblem(doc, { title: '服务' }, alice, new Date('2022-11-02T02:00:00Z'));
		const b = createProblem(doc, { title: '已销号' }, alice, new Date('2022-11-03T02:00:00Z'));
		createProblem(doc, { title: '无目标' }, alice, new Date('2022-11-20T02:00:00Z'));
		updateProblem(doc, a, { goal: 'service', due: '2022-11-25' }, alice);
		updateProblem(doc, b, { goal: 'service', due: '2022-11-22' }, alice);
		closeNow(doc, b, new Date('2022-11-15T02:00:00Z'));
		return rowsOf({ haigang: doc });
	}
	const shown = (query: string) => {
		const filter = filterFromParams(new URLSearchParams(query));
		return rows()
			.filter((r) => matches(r, filter, ''))
			.map((r) => r.problem.title)
			.sort();
	};

	test('goal, open only, and a span of deadlines', () => {
		expect(shown('goal=service')).toEqual(['已销号', '服务']);
		expect(shown('goal=service&open=1')).toEqual(['服务']);
		expect(shown('goal=none')).toEqual(['无目标']);
		expect(shown('dueFrom=2022-11-20&dueTo=2022-12-04')).toEqual(['已销号', '服务']);
		expect(shown('open=1&dueFrom=2022-11-20&dueTo=2022-11-24')).toEqual([]);
	});

	test('listed or closed within a span of days (a column of the opened/closed chart)', () => {
		expect(shown('opened=2022-10-31..2022-11-06')).toEqual(['已销号', '服务']);
		expect(shown('closed=2022-11-14..2022-11-20')).toEqual(['已销号']);
		expect(shown('closed=2022-11-21..2022-11-27')).toEqual([]);
	});

	test('malformed values are ignored rather than hiding everything', () => {
		const filter = filterFromParams(
			new URLSearchParams('goal=strong&dueFrom=soon&opened=2022-11-06..2022-11-01&closed=x..y')
		);
		expect([filter.goal, filter.dueFrom, filter.opened, filter.closed]).toEqual(['', '', '', '']);
	});
});
