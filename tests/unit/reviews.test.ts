import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import type { County } from '../../src/lib/domain/campaign';
import { createProblem, moveProblem, updateProblem } from '../../src/lib/domain/commands';
import { toRow } from '../../src/lib/domain/ledger';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle';
import { readProblems } from '../../src/lib/domain/problem';
import { draftReview, topWithTies } from '../../src/lib/domain/review-draft';
import {
	keyChanges,
	parseSnapshot,
	takeSnapshot,
	type ReviewSnapshot
} from '../../src/lib/domain/review-snapshot';
import {
	checkPeriod,
	createReview,
	defaultPeriod,
	editReviewSection,
	previousReview,
	readReviews,
	removeReview,
	ReviewError
} from '../../src/lib/domain/reviews';
import type { Visit } from '../../src/lib/domain/visits';
import { alice, bob, newDoc, syncAll } from './support';

const city = { ...alice, role: 'city' as const };
const county = (id: string, name: string, order: number, leader: string): County => ({
	id,
	name,
	order,
	pairedBy: 'city',
	leader,
	cityContact: '',
	cityPhone: '',
	countyContact: '',
	countyPhone: '',
	brand: ''
});
const COUNTIES = [
	county('haigang', '海港区', 1, '孙宝旗'),
	county('lulong', '卢龙县', 7, '曹文荣')
];
const PERIOD = { start: '2022-11-01', end: '2022-12-31' };
const at = (day: string) => new Date(`${day}T02:00:00Z`);

function close(doc: Y.Doc, id: string, day: string) {
	resolveProblem(doc, id, { note: '已解决' }, alice, at(day));
	closeProblem(
		doc,
		id,
		{ verifier: '武威', verifiedOn: day, satisfaction: 'satisfied', followUp: '回访职工满意' },
		city,
		at(day)
	);
}

/** Two boards: problems opened before and in the period, escalated, closed, overdue. */
function boards() {
	const haigang = new Y.Doc();
	const lulong = new Y.Doc();
	const before = createProblem(
		haigang,
		{ title: '旧问题', tier: 'county-self' },
		alice,
		at('2022-10-10')
	);
	updateProblem(haigang, before, { due: '2022-11-10' }, alice, at('2022-10-10')); // missed in period
	const rider = createProblem(
		haigang,
		{ title: '骑手入会', tier: 'county-self' },
		alice,
		at('2022-11-03')
	);
	moveProblem(haigang, rider, 'party-gov', 0, alice, at('2022-11-05'), '需要区委协调');
	const hall = createProblem(
		lulong,
		{ title: '文化宫维修', tier: 'union-system' },
		alice,
		at('2022-11-04')
	);
	updateProblem(lulong, hall, { due: '2022-11-20' }, alice, at('2022-11-04'));
	close(lulong, hall, '2022-11-18'); // closed before its deadline: not overdue
	const late = createProblem(
		lulong,
		{ title: '迟办结', tier: 'county-self' },
		alice,
		at('2022-10-01')
	);
	updateProblem(lulong, late, { due: '2022-11-05' }, alice, at('2022-10-01'));
	close(lulong, late, '2022-11-15'); // closed after its deadline: missed in the period
	createProblem(lulong, { title: '下期的', tier: 'unsorted' }, alice, at('2023-01-05'));
	return { haigang, lulong };
}

const visits: Visit[] = [
	{
		id: 'v1',
		county: 'haigang',
		date: '2022-11-08',
		mode: 'on-site',
		leader: '孙宝旗',
		participants: '',
		topics: [],
		summary: '',
		createdBy: ''
	},
	{
		id: 'v2',
		county: 'lulong',
		date: '2022-10-08',
		mode: 'phone',
		leader: '曹文荣',
		participants: '',
		topics: [],
		summary: '',
		createdBy: ''
	}
];

function snapshot(
	docs: { haigang: Y.Doc; lulong: Y.Doc },
	today = '2023-01-10',
	previous: ReviewSnapshot['previous'] = null
) {
	const rows = COUNTIES.flatMap((c) =>
		readProblems(docs[c.id as 'haigang' | 'lulong']).map((p) => toRow(p, c, today))
	);
	return takeSnapshot({
		rows,
		counties: COUNTIES,
		visits,
		practices: [],
		period: PERIOD,
		campaign: { start: '2022-09-30', end: '2023-09-30' },
		now: new Date('2023-01-10T03:00:00Z'),
		today,
		previous
	});
}

describe('takeSnapshot', () => {
	test('lists what was opened, escalated and closed in the period, and the overdue ones', () => {
		const s = snapshot(boards());
		expect(s.opened.map((p) => p.title)).toEqual(['骑手入会', '文化宫维修']);
		expect(s.escalated.map((p) => [p.title, p.day])).toEqual([['骑手入会', '2022-11-05']]);
		expect(s.closed.map((p) => p.title)).toEqual(['迟办结', '文化宫维修']); // by day closed
		expect(s.overdue.map((p) => p.title)).toEqual(['旧问题', '迟办结']);
		expect(s.overdueNotClosed.map((p) => p.title)).toEqual(['旧问题']);
		expect(s.key).toEqual({ opened: 2, closed: 2, overdue: 2, overdueNotClosed: 1 });
		expect(s.visits.map((v) => v.id)).toEqual(['v1']);
	});

	test('per-county numbers add up to the totals; stock numbers are as of the day taken', () => {
		const s = snapshot(boards());
		const h = s.counties[0]!;
		const l = s.counties[1]!;
		expect([h.name, h.total, h.opened, h.escalated, h.closed, h.visits]).toEqual([
			'海港区',
			2,
			1,
			1,
			0,
			1
		]);
		expect([l.name, l.total, l.opened, l.closed, l.overdueInPeriod]).toEqual([
			'卢龙县',
			3,
			1,
			2,
			1
		]);
		expect(s.total.total).toBe(5);
		expect(s.total.byStatus.closed).toBe(2);
		expect(s.total.closureRate).toBe(0.4);
		expect(s.total.visitsDone).toBe(2);
		expect(s.total.visitsRequired).toBe(4);
		expect(s.asOf).toBe('2023-01-10');
	});

	test('a deadline still ahead on the day taken is not missed', () => {
		const docs = boards();
		const s = snapshot(docs, '2022-11-09');
		expect(s.overdue.map((p) => p.title)).toEqual(['迟办结']);
	});

	test('the difference from the previous review', () => {
		const first = snapshot(boards());
		const second = snapshot(boards(), '2023-01-10', {
			id: 'r1',
			kind: 'bimonthly',
			start: '2022-09-01',
			end: '2022-10-31',
			key: { opened: 5, closed: 1, overdue: 2, overdueNotClosed: 3 }
		});
		expect(keyChanges(first)).toBeNull();
		expect(keyChanges(second)).toEqual({ opened: -3, closed: 1, overdue: 0, overdueNotClosed: -2 });
	});

	test('reads back through parseSnapshot; other shapes are refused', () => {
		const s = snapshot(boards());
		expect(parseSnapshot(JSON.parse(JSON.stringify(s)))).toEqual(s);
		expect(parseSnapshot(null)).toBeNull();
		expect(parseSnapshot({ ...s, version: 2 })).toBeNull();
		expect(parseSnapshot({ ...s, key: { ...s.key, opened: -1 } })).toBeNull();
		expect(parseSnapshot({ ...s, opened: [{ title: 'no id' }] })).toBeNull();
		const { tierWork: _recorded, ...older } = s;
		expect(parseSnapshot(JSON.parse(JSON.stringify(older)))).toEqual(older);
		expect(parseSnapshot({ ...s, tierWork: { ...s.tierWork, reported: 'all' } })).toBeNull();
	});

	test('what the tiers record: 通报 and agenda from their fields, resources pushed down', () => {
		const docs = boards();
		expect(snapshot(docs).tierWork).toEqual({
			reported: 0,
			onAgenda: 0,
			resourced: 0,
			staff: 0,
			funds: 0
		});
		const [rider] = readProblems(docs.haigang).filter((p) => p.title === '骑手入会');
		updateProblem(docs.haigang, rider!.id, { reportedOn: '2022-11-06' }, alice);
		const other = createProblem(docs.haigang, { title: '园区建会', tier: 'party-gov' }, alice);
		updateProblem(docs.haigang, other, { onAgenda: true }, alice);
		const hall = readProblems(docs.lulong).find((p) => p.tier === 'union-system')!;
		updateProblem(docs.lulong, hall.id, { staff: 3, funds: 20000 }, city);
		expect(snapshot(docs).tierWork).toEqual({
			reported: 1,
			onAgenda: 1,
			resourced: 1,
			staff: 3,
			funds: 20000
		});
	});
});

describe('reviews in the campaign doc', () => {
	test('the snapshot is frozen: later board changes and the caller’s copy do not reach it', () => {
		const docs = boards();
		const campaign = new Y.Doc();
		const s = snapshot(docs);
		const draft = draftReview(s, '双月调度', 'zh-CN');
		const id = createReview(campaign, { kind: 'bimonthly', ...PERIOD, snapshot: s, draft }, alice);
		const stored = JSON.stringify(readReviews(campaign)[0]!.snapshot);
		const extra = createProblem(
			docs.haigang,
			{ title: '后来的', tier: 'party-gov' },
			bob,
			at('2022-11-20')
		);
		close(docs.haigang, extra, '2022-11-21');
		s.key.opened = 99;
		s.opened.push(s.opened[0]!);
		expect(JSON.stringify(readReviews(campaign)[0]!.snapshot)).toBe(stored);
		expect(readReviews(campaign)[0]!.snapshot?.key.opened).toBe(2);
		expect(readReviews(campaign)[0]!.id).toBe(id);
	});

	test('sections are shared text: two people typing at once both keep their words', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const s = snapshot(boards());
		const id = createReview(
			a,
			{
				kind: 'quarterly',
				...PERIOD,
				snapshot: s,
				draft: { summary: '', progress: '进展', issues: '', nextSteps: '' }
			},
			alice
		);
		syncAll(a, b);
		editReviewSection(a, id, 'progress', '进展：骑手');
		editReviewSection(b, id, 'progress', '进展良好');
		syncAll(a, b);
		const text = readReviews(a)[0]!.sections.progress;
		expect(text).toBe(readReviews(b)[0]!.sections.progress);
		expect(text).toContain('骑手');
		expect(text).toContain('良好');
	});

	test('ordered by period end; the previous review is the latest ending no later', () => {
		const doc = new Y.Doc();
		const s = snapshot(boards());
		const draft = { summary: '', progress: '', issues: '', nextSteps: '' };
		const later = createReview(
			doc,
			{ kind: 'quarterly', start: '2023-01-01', end: '2023-03-31', snapshot: s, draft },
			alice
		);
		const earlier = createReview(doc, { kind: 'bimonthly', ...PERIOD, snapshot: s, draft }, alice);
		const reviews = readReviews(doc);
		expect(reviews.map((r) => r.id)).toEqual([earlier, later]);
		expect(previousReview(reviews, '2023-02-28')?.id).toBe(earlier);
		expect(previousReview(reviews, '2022-10-31')).toBeNull();
		removeReview(doc, earlier);
		expect(readReviews(doc).map((r) => r.id)).toEqual([later]);
	});

	test('a review with a snapshot this version cannot read still lists, without numbers', () => {
		const doc = new Y.Doc();
		const map = new Y.Map<unknown>();
		doc.getMap('reviews').set('odd', map);
		map.set('kind', 'nonsense');
		map.set('start', '2022-11-01');
		map.set('end', 'soon');
		map.set('snapshot', { version: 9 });
		const review = readReviews(doc)[0]!;
		expect(review.kind).toBe('bimonthly');
		expect(review.end).toBe('');
		expect(review.snapshot).toBeNull();
		expect(review.sections.summary).toBe('');
	});
});

describe('periods', () => {
	test('default periods: the two months, quarter or half year today falls in', () => {
		expect(defaultPeriod('bimonthly', '2022-12-15')).toEqual({
			start: '2022-11-01',
			end: '2022-12-31'
		});
		expect(defaultPeriod('bimonthly', '2023-02-28')).toEqual({
			start: '2023-01-01',
			end: '2023-02-28'
		});
		expect(defaultPeriod('bimonthly', '2024-01-10')).toEqual({
			start: '2024-01-01',
			end: '2024-02-29'
		});
		expect(defaultPeriod('quarterly', '2022-10-14')).toEqual({
			start: '2022-10-01',
			end: '2022-12-31'
		});
		expect(defaultPeriod('half-year', '2023-03-01')).toEqual({
			start: '2023-01-01',
			end: '2023-06-30'
		});
	});

	test('bad kinds and periods are refused with a reason', () => {
		expect(() => checkPeriod('monthly', '2022-11-01', '2022-12-31')).toThrow(ReviewError);
		expect(() => checkPeriod('quarterly', '2022-11-01', '')).toThrow(/start and an end/);
		expect(() => checkPeriod('quarterly', '2022-12-01', '2022-11-01')).toThrow(/before it starts/);
		expect(() => checkPeriod('half-year', '2022-07-01', '2022-12-31')).not.toThrow();
	});
});

describe('draftReview', () => {
	test('Chinese prose from the numbers', () => {
		const s = snapshot(boards());
		const draft = draftReview(s, '双月调度', 'zh-CN');
		expect(draft.summary).toContain(
			'双月调度：2022年11月1日至2022年12月31日，各县区共新增问题 2 个，办结销号 2 个，升级协调 1 个。'
		);
		expect(draft.summary).toContain('销号率 40%');
		expect(draft.summary).toContain('超期未销号 1 个');
		expect(draft.progress).toContain('卢龙县（2 个）');
		expect(draft.issues).toContain('海港区 1 个');
		expect(draft.nextSteps).toContain('对 1 个超期未销号问题逐项下发督办单');
		expect(draft.summary).not.toContain('与上次相比');
	});

	test('problems due soon are those due within 7 days, in both languages', () => {
		const numbers = snapshot(boards());
		const s = { ...numbers, total: { ...numbers.total, dueSoon: 2 } };
		const zh = draftReview(s, '双月调度', 'zh-CN');
		expect(zh.summary).toContain('7 天内到期 2 个');
		expect(zh.nextSteps).toContain('紧盯 7 天内到期的 2 个问题');
		const en = draftReview(s, 'Bimonthly review', 'en');
		expect(en.summary).toContain('2 fall due within 7 days');
		expect(en.nextSteps).toContain('Follow up the 2 problems due within 7 days');
	});

	test('with a previous review it says what changed; English when the interface is English', () => {
		const s = snapshot(boards(), '2023-01-10', {
			id: 'r1',
			kind: 'bimonthly',
			start: '2022-09-01',
			end: '2022-10-31',
			key: { opened: 5, closed: 2, overdue: 0, overdueNotClosed: 0 }
		});
		expect(draftReview(s, '双月调度', 'zh-CN').summary).toContain(
			'与上次相比：新增比上次减少 3 个，办结与上次持平，超期未销号比上次增加 1 个。'
		);
		const en = draftReview(s, 'Bimonthly review', 'en');
		expect(en.summary).toContain('2 problems were listed and 2 closed');
		expect(en.summary).toContain('new 3 fewer than last time');
		expect(en.nextSteps).toContain('Keep driving the 3 open problems');
	});

	test('通报 is claimed only for problems whose 通报 fields are filled in, and not at all when none are', () => {
		const docs = boards();
		// 骑手入会 is a 党委政府协调 problem with nothing reported yet.
		const none = draftReview(snapshot(docs), '双月调度', 'zh-CN');
		expect(none.progress).not.toContain('通报');
		expect(none.progress).not.toContain('议事日程');
		expect(draftReview(snapshot(docs), 'Bimonthly review', 'en').progress).not.toContain(
			'reported'
		);

		const [rider] = readProblems(docs.haigang).filter((p) => p.title === '骑手入会');
		updateProblem(docs.haigang, rider!.id, { reportedTo: '区委、区政府' }, alice);
		createProblem(docs.haigang, { title: '园区建会', tier: 'party-gov' }, alice);
		const draft = draftReview(snapshot(docs), '双月调度', 'zh-CN');
		expect(draft.progress).toContain('党委政府协调类问题中，1 个已向地方党委政府通报。');
		expect(draftReview(snapshot(docs), 'Bimonthly review', 'en').progress).toContain(
			'Of the problems for Party & government coordination, 1 reported to the local Party committee and government.'
		);
	});

	test('resources pushed down are claimed from the union-system fields, with their amounts', () => {
		const docs = boards();
		expect(draftReview(snapshot(docs), '双月调度', 'zh-CN').progress).not.toContain('下沉');
		const hall = readProblems(docs.lulong).find((p) => p.tier === 'union-system')!;
		updateProblem(docs.lulong, hall.id, { staff: 3, funds: 20000 }, city);
		expect(draftReview(snapshot(docs), '双月调度', 'zh-CN').progress).toContain(
			'工会系统解决类问题中，1 个已推动人力、财力、物力下沉（人力 3 人、资金 20000 元）。'
		);
	});

	test('the counties that closed the most include every county tied at the cut-off', () => {
		const numbers = snapshot(boards());
		const base = numbers.counties[0]!;
		const closed = {
			海港区: 5,
			卢龙县: 3,
			青龙县: 2,
			昌黎县: 2,
			抚宁区: 2,
			北戴河区: 1,
			山海关区: 0
		};
		const counties = Object.entries(closed).map(([name, n], i) => ({
			...base,
			county: `c${i}`,
			name,
			closed: n
		}));
		const s = { ...numbers, counties };
		expect(draftReview(s, '双月调度', 'zh-CN').progress).toContain(
			'办结较多的县区：海港区（5 个）、卢龙县（3 个）、青龙县（2 个）、昌黎县（2 个）、抚宁区（2 个）。'
		);
		expect(draftReview(s, 'Bimonthly review', 'en').progress).toContain(
			'Most closed: 海港区 (5), 卢龙县 (3), 青龙县 (2), 昌黎县 (2), 抚宁区 (2).'
		);
		expect(topWithTies([1, 1, 1, 1], (n) => n, 3)).toHaveLength(4);
		expect(topWithTies([4, 3], (n) => n, 3)).toEqual([4, 3]);
		expect(topWithTies([1, 5, 3, 2], (n) => n, 2)).toEqual([5, 3]);
	});

	test('the rates and visits it calls short are stated with their numbers', () => {
		const s = snapshot(boards());
		const zh = draftReview(s, '双月调度', 'zh-CN');
		// 海港区 closed 0 of 2 against 2 of 5 over all.
		expect(zh.issues).toContain('海港区（0%）销号率低于全市整体水平（40%）。');
		expect(zh.issues).toContain('联系领导本年度走访尚未完成：海港区（已走访 1 次，应走访 2 次）');
		const en = draftReview(s, 'Bimonthly review', 'en');
		expect(en.issues).toContain('Closure rate below the overall 40%: 海港区 (0%).');
		const noPairs = { ...s, total: { ...s.total, visitsRequired: 0, visitsDone: 0 } };
		expect(draftReview(noPairs, '双月调度', 'zh-CN').summary).toContain(
			'本期联系领导开展调查研究 1 次。'
		);
	});
});
