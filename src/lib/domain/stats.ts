import { STATUSES, TIERS, type Status, type Tier } from './model';
import type { Problem } from './problem';

/**
 * The three-colour deadline warning of a supervision office (督办):
 * red = overdue until closed (销号), yellow = behind schedule, blue = due within DUE_SOON_DAYS.
 */
export type Warning = 'overdue' | 'behind' | 'due-soon' | null;

export const WARNINGS = ['overdue', 'behind', 'due-soon'] as const;

/**
 * Days ahead within which a deadline is due soon (“7 天内到期”, the blue warning): today and the
 * next seven days. Cards, county tiles, the ledger, the dashboard and review drafts all use it.
 */
export const DUE_SOON_DAYS = 7;

type Timed = Pick<Problem, 'due' | 'status'> & Partial<Pick<Problem, 'createdAt' | 'measures'>>;

export function warningOf(problem: Timed, today: string): Warning {
	if (!problem.due || problem.status === 'closed') return null;
	if (problem.due < today) return 'overdue';
	if (isBehind(problem, today)) return 'behind';
	return problem.due <= addDays(today, DUE_SOON_DAYS) ? 'due-soon' : null;
}

/**
 * 进度滞后: more than half of the time from listing to the deadline has passed, but the work
 * has not started or less than half of its measures are done.
 */
export function isBehind(problem: Timed, today: string): boolean {
	if (problem.status !== 'open' && problem.status !== 'in-progress') return false;
	const start = problem.createdAt && shanghaiDay(problem.createdAt);
	if (!start || !problem.due || problem.due <= start) return false;
	const elapsed = days(start, today) / days(start, problem.due);
	if (elapsed < 0.5) return false;
	if (problem.status === 'open') return true;
	const measures = problem.measures ?? [];
	if (measures.length === 0) return false;
	return measures.filter((m) => m.done).length / measures.length < 0.5;
}

function days(from: string, to: string): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** The day in Shanghai (UTC+8, no daylight saving) of an ISO time; '' when it is not one. */
export function shanghaiDay(iso: string): string {
	const at = Date.parse(iso);
	if (Number.isNaN(at)) return '';
	return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Adds days to a `YYYY-MM-DD` date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

export interface CountySummary {
	total: number;
	byTier: Record<Tier, number>;
	byStatus: Record<Status, number>;
	overdue: number;
	behind: number;
	dueSoon: number;
}

const zeroes = <K extends string>(keys: readonly K[]) =>
	Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Counts per tier and status for a county tile; deleted problems don't count. */
export function summarize(problems: Iterable<Problem>, today: string): CountySummary {
	const summary: CountySummary = {
		total: 0,
		byTier: zeroes(TIERS),
		byStatus: zeroes(STATUSES),
		overdue: 0,
		behind: 0,
		dueSoon: 0
	};
	for (const p of problems) {
		if (p.deleted) continue;
		summary.total++;
		summary.byTier[p.tier]++;
		summary.byStatus[p.status]++;
		const warning = warningOf(p, today);
		if (warning === 'overdue') summary.overdue++;
		else if (warning === 'behind') summary.behind++;
		else if (warning === 'due-soon') summary.dueSoon++;
	}
	return summary;
}
