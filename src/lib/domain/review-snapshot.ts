import type { County } from './campaign';
import {
	closedDays,
	countyStats,
	escalatedDays,
	goalMatrix,
	openedDay,
	type CountyStats,
	type GoalMatrix
} from './dashboard';
import type { LedgerRow } from './ledger';
import type { Goal, Status, Tier } from './model';
import type { ReviewKind } from './reviews';
import { visitCompliance, type Visit } from './visits';

/**
 * The frozen numbers of a review (双月调度 / 季度小结 / 半年总结): what the boards showed for a
 * period when the review was made. It is a plain value written once; later changes to the boards
 * never reach it.
 */

/** A problem as a review lists it. */
export interface ProblemRef {
	id: string;
	county: string;
	countyName: string;
	title: string;
	tier: Tier;
	status: Status;
	due: string;
	assignee: string;
	/** The day of the event the list is about (opened, escalated, closed), or the deadline. */
	day: string;
}

export interface VisitRef {
	id: string;
	county: string;
	countyName: string;
	date: string;
	leader: string;
	mode: Visit['mode'];
}

export interface CountyPeriodStats extends CountyStats {
	name: string;
	opened: number;
	escalated: number;
	closed: number;
	/** Deadlines that fell in the period and were missed (本期逾期). */
	overdueInPeriod: number;
	visits: number;
	/** The paired leader's visits in the campaign year so far, and how many are required. */
	visitsDone: number;
	visitsRequired: number;
}

/** The four numbers a review compares with the previous one. */
export interface KeyNumbers {
	/** 本期新增 */
	opened: number;
	/** 本期办结 */
	closed: number;
	/** 本期逾期 */
	overdue: number;
	/** 超期未销号 */
	overdueNotClosed: number;
}

export const KEY_NUMBERS = ['opened', 'closed', 'overdue', 'overdueNotClosed'] as const;

/**
 * What the tiers' own fields record, as of the day taken: the 党委政府协调 problems reported to
 * the local Party committee and government (通报对象 or 通报日期 filled in) and those on its
 * agenda (纳入议事日程); the 工会系统解决 problems with people, money or resources pushed down
 * (人力、财力、物力下沉), and the people and yuan those add up to.
 */
export interface TierWork {
	reported: number;
	onAgenda: number;
	resourced: number;
	staff: number;
	funds: number;
}

export const TIER_WORK = ['reported', 'onAgenda', 'resourced', 'staff', 'funds'] as const;

export interface ReviewSnapshot {
	version: 1;
	/** When it was taken (ISO) and the day in Shanghai the stock numbers are as of. */
	takenAt: string;
	asOf: string;
	period: { start: string; end: string };
	counties: CountyPeriodStats[];
	total: CountyPeriodStats;
	key: KeyNumbers;
	opened: ProblemRef[];
	escalated: ProblemRef[];
	closed: ProblemRef[];
	/** Deadlines in the period that were missed. */
	overdue: ProblemRef[];
	/** Every problem past its deadline and not closed as of the snapshot. */
	overdueNotClosed: ProblemRef[];
	visits: VisitRef[];
	goals: GoalMatrix;
	/** Absent from snapshots taken before it was recorded. */
	tierWork?: TierWork;
	/** The review this one is compared with, and its key numbers then. */
	previous: { id: string; kind: ReviewKind; start: string; end: string; key: KeyNumbers } | null;
}

export interface SnapshotInput {
	rows: LedgerRow[];
	counties: County[];
	visits: Visit[];
	practices: { county: string; goal: Goal | null }[];
	period: { start: string; end: string };
	/** The campaign's dates, for the paired leaders' visit count. */
	campaign: { start: string; end: string };
	now: Date;
	today: string;
	previous: ReviewSnapshot['previous'];
}

const inPeriod = (day: string, period: { start: string; end: string }) =>
	!!day && day >= period.start && day <= period.end;

function ref(row: LedgerRow, day: string): ProblemRef {
	const p = row.problem;
	return {
		id: p.id,
		county: row.county,
		countyName: row.countyName,
		title: p.title,
		tier: p.tier,
		status: p.status,
		due: p.due,
		assignee: p.assignee,
		day
	};
}

/** A deadline in the period that passed before `today` with the problem not closed by then. */
function missedInPeriod(row: LedgerRow, period: { start: string; end: string }, today: string) {
	const p = row.problem;
	if (!inPeriod(p.due, period) || p.due >= today) return false;
	if (p.status !== 'closed') return true;
	return !closedDays(p).some((day) => day <= p.due);
}

function tierWork(rows: LedgerRow[]): TierWork {
	const work: TierWork = { reported: 0, onAgenda: 0, resourced: 0, staff: 0, funds: 0 };
	for (const { problem: p } of rows) {
		if (p.tier === 'party-gov') {
			if (p.reportedTo.trim() || p.reportedOn) work.reported++;
			if (p.onAgenda) work.onAgenda++;
		} else if (p.tier === 'union-system') {
			if ((p.staff ?? 0) > 0 || (p.funds ?? 0) > 0 || p.materials.trim()) work.resourced++;
			work.staff += p.staff ?? 0;
			work.funds += p.funds ?? 0;
		}
	}
	return work;
}

const byCountyThenDay = (a: ProblemRef, b: ProblemRef, order: Map<string, number>) =>
	(order.get(a.county) ?? 0) - (order.get(b.county) ?? 0) ||
	a.day.localeCompare(b.day) ||
	a.id.localeCompare(b.id);

/** Takes the snapshot of a period from the boards' rows as they are now. */
export function takeSnapshot(input: SnapshotInput): ReviewSnapshot {
	const { period, today } = input;
	const rows = input.rows.filter((r) => !r.problem.deleted);
	const stock = countyStats(rows, input.counties, today);
	const compliance = visitCompliance(input.counties, input.visits, input.campaign, today);
	const order = new Map(input.counties.map((c) => [c.id, c.order]));
	const sort = (list: ProblemRef[]) => list.sort((a, b) => byCountyThenDay(a, b, order));

	const opened: ProblemRef[] = [];
	const escalated: ProblemRef[] = [];
	const closed: ProblemRef[] = [];
	const overdue: ProblemRef[] = [];
	const overdueNotClosed: ProblemRef[] = [];
	for (const row of rows) {
		const p = row.problem;
		const day = openedDay(p);
		if (inPeriod(day, period)) opened.push(ref(row, day));
		const up = escalatedDays(p)
			.filter((d) => inPeriod(d, period))
			.at(-1);
		if (up) escalated.push(ref(row, up));
		const done = closedDays(p)
			.filter((d) => inPeriod(d, period))
			.at(-1);
		if (done && p.status === 'closed') closed.push(ref(row, done));
		if (missedInPeriod(row, period, today)) overdue.push(ref(row, p.due));
		if (p.status !== 'closed' && p.due && p.due < today) overdueNotClosed.push(ref(row, p.due));
	}
	const visits: VisitRef[] = input.visits
		.filter((v) => inPeriod(v.date, period) && order.has(v.county))
		.map((v) => ({
			id: v.id,
			county: v.county,
			countyName: input.counties.find((c) => c.id === v.county)?.name ?? v.county,
			date: v.date,
			leader: v.leader,
			mode: v.mode
		}))
		.sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));

	const count = (list: { county: string }[], county: string | null) =>
		list.filter((x) => county === null || x.county === county).length;
	const periodStats = (stats: CountyStats, county: County | null): CountyPeriodStats => {
		const id = county?.id ?? null;
		const visitState = compliance.filter((c) => id === null || c.county === id);
		const paired = visitState.filter((c) => c.state !== 'province');
		return {
			...stats,
			name: county?.name ?? '',
			opened: count(opened, id),
			escalated: count(escalated, id),
			closed: count(closed, id),
			overdueInPeriod: count(overdue, id),
			visits: count(visits, id),
			visitsDone: paired.reduce((n, c) => n + Math.min(c.done, c.required), 0),
			visitsRequired: paired.reduce((n, c) => n + c.required, 0)
		};
	};
	const counties = input.counties.map((c, i) => periodStats(stock.counties[i] ?? stock.total, c));
	const total = periodStats(stock.total, null);
	return {
		version: 1,
		takenAt: input.now.toISOString(),
		asOf: today,
		period: { ...period },
		counties,
		total,
		key: {
			opened: opened.length,
			closed: closed.length,
			overdue: overdue.length,
			overdueNotClosed: overdueNotClosed.length
		},
		opened: sort(opened),
		escalated: sort(escalated),
		closed: sort(closed),
		overdue: sort(overdue),
		overdueNotClosed: sort(overdueNotClosed),
		visits,
		goals: goalMatrix(rows, input.practices, input.counties),
		tierWork: tierWork(rows),
		previous: input.previous
	};
}

/** The change of each key number from the previous review; null when there is none. */
export function keyChanges(snapshot: ReviewSnapshot): KeyNumbers | null {
	const before = snapshot.previous?.key;
	if (!before) return null;
	return {
		opened: snapshot.key.opened - before.opened,
		closed: snapshot.key.closed - before.closed,
		overdue: snapshot.key.overdue - before.overdue,
		overdueNotClosed: snapshot.key.overdueNotClosed - before.overdueNotClosed
	};
}

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * A snapshot read from the shared doc (written by any client): checked for the shape this
 * code renders, or null when it is not one.
 */
export function parseSnapshot(value: unknown): ReviewSnapshot | null {
	if (!isObject(value) || value.version !== 1) return null;
	if (!isObject(value.period) || !isObject(value.key) || !isObject(value.total)) return null;
	if (!KEY_NUMBERS.every((k) => isCount((value.key as Record<string, unknown>)[k]))) return null;
	const lists = ['opened', 'escalated', 'closed', 'overdue', 'overdueNotClosed', 'visits'];
	if (!lists.every((k) => Array.isArray(value[k]))) return null;
	if (!Array.isArray(value.counties) || !value.counties.every(isObject)) return null;
	if (!isObject(value.goals)) return null;
	const work = value.tierWork;
	if (work !== undefined && !(isObject(work) && TIER_WORK.every((k) => isCount(work[k])))) {
		return null;
	}
	const listsOk = lists.every((k) =>
		(value[k] as unknown[]).every((x) => isObject(x) && typeof x.id === 'string')
	);
	if (!listsOk) return null;
	const previous = value.previous;
	if (previous !== null && !(isObject(previous) && isObject(previous.key))) return null;
	return value as unknown as ReviewSnapshot;
}
