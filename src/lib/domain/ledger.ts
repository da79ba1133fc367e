import {
	FOCUSES,
	GOALS,
	STATUSES,
	TIERS,
	type Focus,
	type Goal,
	type Status,
	type Tier
} from './model';
import { closedDays, openedDay } from './dashboard';
import { DATE_PATTERN } from './problem';
import type { Problem } from './problem';
import { warningOf, WARNINGS, type Warning } from './stats';

/** A problem as the cross-county ledger (台账) shows it: with its county and warning. */
export interface LedgerRow {
	problem: Problem;
	county: string;
	countyName: string;
	countyOrder: number;
	warning: Warning;
}

/** What a person narrows the ledger to; every field optional, all of them must hold. */
export interface LedgerFilter {
	county: string;
	tier: Tier | '';
	status: Status | '';
	focus: Focus | '';
	/** One of the five 强 goals, or 'none' for problems without one. */
	goal: Goal | 'none' | '';
	leader: string;
	assignee: string;
	warning: Exclude<Warning, null> | 'none' | '';
	/** Only problems where I am the responsible person or the paired leader. */
	mine: boolean;
	/** Only problems not closed yet (未销号). */
	open: boolean;
	/** Deadline on or after / on or before a day (`YYYY-MM-DD`): a span of deadlines. */
	dueFrom: string;
	dueTo: string;
	/** Listed (新增) or closed (销号) within a span of days, `YYYY-MM-DD..YYYY-MM-DD`. */
	opened: string;
	closed: string;
	/** Words to find in titles, descriptions, measures and notes. */
	q: string;
}

export const EMPTY_FILTER: LedgerFilter = {
	county: '',
	tier: '',
	status: '',
	focus: '',
	goal: '',
	leader: '',
	assignee: '',
	warning: '',
	mine: false,
	open: false,
	dueFrom: '',
	dueTo: '',
	opened: '',
	closed: '',
	q: ''
};

export function toRow(
	problem: Problem,
	county: { id: string; name: string; order: number },
	today: string
): LedgerRow {
	return {
		problem,
		county: county.id,
		countyName: county.name,
		countyOrder: county.order,
		warning: warningOf(problem, today)
	};
}

/** Everything a search looks in, lower-cased once per problem version. */
export function searchableText(p: Problem): string {
	return [
		p.title,
		p.description,
		p.owner,
		p.coOwners.join(' '),
		p.assignee,
		p.leader,
		...p.measures.map((m) => m.text),
		...p.log.filter((e) => e.kind === 'note' || e.kind === 'guidance').map((e) => e.text),
		p.resolution?.note ?? ''
	]
		.join('\n')
		.toLowerCase();
}

/** True when the row passes every part of the filter; `me` is the person's display name. */
export function matches(row: LedgerRow, filter: LedgerFilter, me: string): boolean {
	const p = row.problem;
	if (p.deleted) return false;
	if (filter.county && row.county !== filter.county) return false;
	if (filter.tier && p.tier !== filter.tier) return false;
	if (filter.status && p.status !== filter.status) return false;
	if (filter.focus && p.focus !== filter.focus) return false;
	if (filter.goal && (p.goal ?? 'none') !== filter.goal) return false;
	if (filter.open && p.status === 'closed') return false;
	if (filter.dueFrom && !(p.due && p.due >= filter.dueFrom)) return false;
	if (filter.dueTo && !(p.due && p.due <= filter.dueTo)) return false;
	if (filter.opened && !inSpan(openedDay(p), filter.opened)) return false;
	if (filter.closed && !closedDays(p).some((day) => inSpan(day, filter.closed))) return false;
	if (filter.leader && p.leader !== filter.leader) return false;
	if (filter.assignee && p.assignee !== filter.assignee) return false;
	if (
		filter.warning === 'none'
			? row.warning !== null
			: filter.warning && row.warning !== filter.warning
	) {
		return false;
	}
	if (filter.mine && p.assignee !== me && p.leader !== me) return false;
	const words = filter.q.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length) {
		const text = searchableText(p);
		if (!words.every((w) => text.includes(w))) return false;
	}
	return true;
}

export const SORT_KEYS = [
	'county',
	'title',
	'tier',
	'status',
	'due',
	'assignee',
	'leader',
	'updated'
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const collator = new Intl.Collator('zh-CN');

/** Sorts ledger rows; problems without a deadline go last when sorting by deadline. */
export function sortRows(rows: LedgerRow[], key: SortKey, descending = false): LedgerRow[] {
	const value = (r: LedgerRow): string | number => {
		switch (key) {
			case 'county':
				return r.countyOrder;
			case 'title':
				return r.problem.title;
			case 'tier':
				return TIERS.indexOf(r.problem.tier);
			case 'status':
				return STATUSES.indexOf(r.problem.status);
			case 'due':
				return r.problem.due || '9999-99-99';
			case 'assignee':
				return r.problem.assignee;
			case 'leader':
				return r.problem.leader;
			case 'updated':
				return r.problem.updatedAt;
		}
	};
	const sign = descending ? -1 : 1;
	return [...rows].sort((a, b) => {
		const x = value(a);
		const y = value(b);
		const order =
			typeof x === 'number' && typeof y === 'number'
				? x - y
				: collator.compare(String(x), String(y));
		return (
			sign * order || a.countyOrder - b.countyOrder || a.problem.id.localeCompare(b.problem.id)
		);
	});
}

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | '' =>
	allowed.includes(value as T) ? (value as T) : '';

const day = (value: string | null) => (value && DATE_PATTERN.test(value) ? value : '');

/** A span of days `from..to`, or '' for anything else. */
function span(value: string | null): string {
	const [from = '', to = '', ...rest] = (value ?? '').split('..');
	return rest.length === 0 && day(from) && day(to) && from <= to ? `${from}..${to}` : '';
}

function inSpan(date: string, value: string): boolean {
	const [from = '', to = ''] = value.split('..');
	return !!date && date >= from && date <= to;
}

/** A filter from URL search parameters (links and saved filters are just URLs). */
export function filterFromParams(params: URLSearchParams): LedgerFilter {
	return {
		county: params.get('county') ?? '',
		tier: pick(params.get('tier'), TIERS),
		status: pick(params.get('status'), STATUSES),
		focus: pick(params.get('focus'), FOCUSES),
		goal: pick(params.get('goal'), [...GOALS, 'none'] as const),
		leader: params.get('leader') ?? '',
		assignee: params.get('assignee') ?? '',
		warning: pick(params.get('warning'), [...WARNINGS, 'none'] as const),
		mine: params.get('mine') === '1',
		open: params.get('open') === '1',
		dueFrom: day(params.get('dueFrom')),
		dueTo: day(params.get('dueTo')),
		opened: span(params.get('opened')),
		closed: span(params.get('closed')),
		q: params.get('q') ?? ''
	};
}

export function filterToParams(filter: LedgerFilter): URLSearchParams {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(filter)) {
		if (value === true) params.set(key, '1');
		else if (typeof value === 'string' && value) params.set(key, value);
	}
	return params;
}
