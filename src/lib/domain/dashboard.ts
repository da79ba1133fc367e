import type { County } from './campaign';
import type { LedgerRow } from './ledger';
import { GOALS, STATUSES, TIERS, type Goal, type Status, type Tier } from './model';
import type { Problem } from './problem';
import { addDays, shanghaiDay, warningOf } from './stats';

/**
 * The numbers of the campaign dashboard (and of a review's frozen snapshot): counts per county,
 * tier, status and goal, closure rate, deadlines, and problems opened and closed over time.
 * Everything is computed from the boards' problems; dates are days in Shanghai.
 */

export interface CountyStats {
	county: string;
	total: number;
	byTier: Record<Tier, number>;
	byStatus: Record<Status, number>;
	/** Not closed (未销号). */
	open: number;
	/** Past the deadline and not closed (超期未销号, the red warning). */
	overdue: number;
	/** The blue warning (DUE_SOON_DAYS), exactly the problems cards and the ledger mark due soon. */
	dueSoon: number;
	/** Closed ÷ all, 0 when there are none. */
	closureRate: number;
}

const zeroes = <K extends string>(keys: readonly K[]) =>
	Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function emptyStats(county: string): CountyStats {
	return {
		county,
		total: 0,
		byTier: zeroes(TIERS),
		byStatus: zeroes(STATUSES),
		open: 0,
		overdue: 0,
		dueSoon: 0,
		closureRate: 0
	};
}

function add(stats: CountyStats, p: Problem, today: string) {
	stats.total++;
	stats.byTier[p.tier]++;
	stats.byStatus[p.status]++;
	if (p.status !== 'closed') stats.open++;
	const warning = warningOf(p, today);
	if (warning === 'overdue') stats.overdue++;
	else if (warning === 'due-soon') stats.dueSoon++;
}

const rate = (s: CountyStats) => (s.total ? s.byStatus.closed / s.total : 0);

/** Counts per county (in the campaign's order) and for all counties together. */
export function countyStats(
	rows: LedgerRow[],
	counties: Pick<County, 'id'>[],
	today: string
): { counties: CountyStats[]; total: CountyStats } {
	const byCounty = new Map(counties.map((c) => [c.id, emptyStats(c.id)]));
	const total = emptyStats('');
	for (const row of rows) {
		if (row.problem.deleted) continue;
		const stats = byCounty.get(row.county);
		if (!stats) continue;
		add(stats, row.problem, today);
		add(total, row.problem, today);
	}
	const list = [...byCounty.values()];
	for (const s of [...list, total]) s.closureRate = rate(s);
	return { counties: list, total };
}

/** Open (未销号) problems per goal per county, and practices per goal per county (五强). */
export interface GoalMatrix {
	problems: Record<string, Record<Goal | 'none', number>>;
	practices: Record<string, Record<Goal, number>>;
}

export function goalMatrix(
	rows: LedgerRow[],
	practices: { county: string; goal: Goal | null }[],
	counties: Pick<County, 'id'>[]
): GoalMatrix {
	const matrix: GoalMatrix = { problems: {}, practices: {} };
	for (const c of counties) {
		matrix.problems[c.id] = { ...zeroes(GOALS), none: 0 };
		matrix.practices[c.id] = zeroes(GOALS);
	}
	for (const { county, problem } of rows) {
		if (problem.deleted || problem.status === 'closed') continue;
		const cell = matrix.problems[county];
		if (cell) cell[problem.goal ?? 'none']++;
	}
	for (const practice of practices) {
		const cell = matrix.practices[practice.county];
		if (cell && practice.goal) cell[practice.goal]++;
	}
	return matrix;
}

/** Days (in Shanghai) on which a problem was closed (销号); reopened ones keep the earlier days. */
export function closedDays(p: Problem): string[] {
	const days = p.log
		.filter((e) => e.text.endsWith('→closed'))
		.map((e) => shanghaiDay(e.at))
		.filter(Boolean);
	if (days.length === 0 && p.status === 'closed' && p.closure) {
		const day = shanghaiDay(p.closure.at);
		if (day) days.push(day);
	}
	return days;
}

/** Days (in Shanghai) on which a problem was escalated between two tiers (升级). */
export function escalatedDays(p: Problem): string[] {
	return p.log
		.filter((e) => e.kind === 'escalate')
		.map((e) => shanghaiDay(e.at))
		.filter(Boolean);
}

/** The day a problem was listed (新增). */
export const openedDay = (p: Problem) => shanghaiDay(p.createdAt);

export type SeriesUnit = 'week' | 'month';

export interface SeriesBucket {
	/** First day of the week (Monday) or month, `YYYY-MM-DD`. */
	start: string;
	/** Last day of the bucket. */
	end: string;
	opened: number;
	closed: number;
}

function bucketStart(day: string, unit: SeriesUnit): string {
	if (unit === 'month') return `${day.slice(0, 7)}-01`;
	const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
	return addDays(day, -weekday);
}

function nextBucket(start: string, unit: SeriesUnit): string {
	if (unit === 'week') return addDays(start, 7);
	const d = new Date(`${start}T00:00:00Z`);
	d.setUTCMonth(d.getUTCMonth() + 1);
	return d.toISOString().slice(0, 10);
}

/**
 * Problems opened and closed per week (Monday to Sunday) or calendar month, from `from` to `to`
 * (both days in Shanghai, inclusive); every bucket in the range is there, empty ones too.
 */
export function openedClosedSeries(
	problems: Iterable<Problem>,
	range: { from: string; to: string },
	unit: SeriesUnit
): SeriesBucket[] {
	const buckets: SeriesBucket[] = [];
	if (!range.from || !range.to || range.from > range.to) return buckets;
	const index = new Map<string, SeriesBucket>();
	for (let start = bucketStart(range.from, unit); start <= range.to;) {
		const next = nextBucket(start, unit);
		const bucket = { start, end: addDays(next, -1), opened: 0, closed: 0 };
		buckets.push(bucket);
		index.set(start, bucket);
		start = next;
	}
	const inRange = (day: string) => day >= range.from && day <= range.to;
	for (const p of problems) {
		if (p.deleted) continue;
		const opened = openedDay(p);
		if (opened && inRange(opened)) index.get(bucketStart(opened, unit))!.opened++;
		for (const day of closedDays(p)) {
			if (inRange(day)) index.get(bucketStart(day, unit))!.closed++;
		}
	}
	return buckets;
}

/**
 * The span of the opened/closed series: the campaign's period widened to every day a problem was
 * listed or closed, never past today, and at most the thirteen calendar months up to its end (a campaign year and its first month).
 */
export function seriesRange(
	rows: LedgerRow[],
	period: { start: string; end: string },
	today: string
): { from: string; to: string } {
	let from = period.start || today;
	let to = period.end || today;
	for (const { problem } of rows) {
		if (problem.deleted) continue;
		for (const day of [openedDay(problem), ...closedDays(problem)]) {
			if (!day) continue;
			if (day < from) from = day;
			if (day > to) to = day;
		}
	}
	if (to > today) to = today;
	const [year = 0, month = 1] = to.split('-').map(Number);
	const earliest = new Date(Date.UTC(year, month - 13, 1)).toISOString().slice(0, 10);
	return { from: from < earliest ? earliest : from, to };
}

/** Weeks for a short span (up to about four months), months for a longer one. */
export function seriesUnitFor(from: string, to: string): SeriesUnit {
	const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
	return days <= 120 ? 'week' : 'month';
}
