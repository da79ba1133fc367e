import { STATUSES, TIERS, type Status, type Tier } from './model';
import type { Problem } from './problem';

/** Deadline warning as supervision offices use it: red = overdue until closed (销号), blue = due within 7 days. */
export type Warning = 'overdue' | 'due-soon' | null;

export function warningOf(problem: Pick<Problem, 'due' | 'status'>, today: string): Warning {
	if (!problem.due || problem.status === 'closed') return null;
	if (problem.due < today) return 'overdue';
	return problem.due <= addDays(today, 7) ? 'due-soon' : null;
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
		dueSoon: 0
	};
	for (const p of problems) {
		if (p.deleted) continue;
		summary.total++;
		summary.byTier[p.tier]++;
		summary.byStatus[p.status]++;
		const warning = warningOf(p, today);
		if (warning === 'overdue') summary.overdue++;
		else if (warning === 'due-soon') summary.dueSoon++;
	}
	return summary;
}
