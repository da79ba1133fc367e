import { GOALS, STATUSES, TIERS } from './model';
import type { Review } from './reviews';
import { REVIEW_SECTIONS } from './reviews';
import { KEY_NUMBERS, keyChanges, type ReviewSnapshot } from './review-snapshot';
import { safeCell, type Cell } from './spreadsheet';

/**
 * A review as worksheets of plain rows (what the .xlsx export writes): the text with its key
 * numbers, the counties' figures, and the problem and visit lists. Labels come from the caller
 * (the interface language); every text cell is neutralized against formula injection.
 */

export interface ReviewSheet {
	name: string;
	rows: Cell[][];
	/** Column widths in characters. */
	widths: number[];
	/** Rows (0-based) that are headers of a table. */
	headers: number[];
}

export type Label = (key: string, params?: Record<string, string | number>) => string;

const text = (value: string): string => safeCell(value);

const LISTS = ['opened', 'escalated', 'closed', 'overdue', 'overdueNotClosed'] as const;

export function reviewSheets(
	review: Review,
	snapshot: ReviewSnapshot,
	meta: { title: string; campaign: string },
	label: Label
): ReviewSheet[] {
	const changes = keyChanges(snapshot);
	const summary: Cell[][] = [
		[text(meta.campaign)],
		[text(meta.title)],
		[text(label('reviews.asOf', { date: snapshot.asOf }))],
		[text(label('reviews.created', { name: review.createdBy, time: review.createdAt }))],
		[],
		[label('reviews.kind'), label('reviews.col.total'), label('reviews.compared', { title: '' })]
	];
	const summaryHeaders = [5];
	for (const key of KEY_NUMBERS) {
		summary.push([label(`reviews.key.${key}`), snapshot.key[key], changes ? changes[key] : null]);
	}
	summary.push([label('dash.closureRate'), Math.round(snapshot.total.closureRate * 1000) / 1000]);
	for (const section of REVIEW_SECTIONS) {
		summary.push([]);
		summaryHeaders.push(summary.length);
		summary.push([label(`reviews.section.${section}`)]);
		for (const line of review.sections[section].split('\n')) {
			if (line.trim()) summary.push([text(line)]);
		}
	}

	const countyHeader: Cell[] = [
		label('visits.county'),
		label('reviews.col.total'),
		...TIERS.map((t) => label(`tier.${t}`)),
		...STATUSES.map((s) => label(`status.${s}`)),
		label('reviews.col.opened'),
		label('reviews.col.escalated'),
		label('reviews.col.closed'),
		label('reviews.key.overdue'),
		label('reviews.key.overdueNotClosed'),
		label('dash.closureRate'),
		label('reviews.col.visits'),
		...GOALS.map((g) => `${label('reviews.col.open')} · ${label(`goal.${g}`)}`)
	];
	const counties: Cell[][] = [countyHeader];
	for (const c of [...snapshot.counties, snapshot.total]) {
		counties.push([
			text(c.county ? c.name : label('dash.allCounties')),
			c.total,
			...TIERS.map((t) => c.byTier[t]),
			...STATUSES.map((s) => c.byStatus[s]),
			c.opened,
			c.escalated,
			c.closed,
			c.overdueInPeriod,
			c.overdue,
			Math.round(c.closureRate * 1000) / 1000,
			c.visits,
			...GOALS.map((g) =>
				c.county
					? (snapshot.goals.problems[c.county]?.[g] ?? 0)
					: snapshot.counties.reduce((n, x) => n + (snapshot.goals.problems[x.county]?.[g] ?? 0), 0)
			)
		]);
	}

	const lists: Cell[][] = [
		[
			label('reviews.kind'),
			label('ledger.no'),
			label('visits.county'),
			label('detail.title'),
			label('detail.tier'),
			label('detail.status'),
			label('detail.assignee'),
			label('detail.due'),
			label('reviews.col.day'),
			'ID'
		]
	];
	for (const list of LISTS) {
		snapshot[list].forEach((p, i) => {
			lists.push([
				label(`reviews.lists.${list}`),
				i + 1,
				text(p.countyName),
				text(p.title),
				label(`tier.${p.tier}`),
				label(`status.${p.status}`),
				text(p.assignee),
				p.due,
				p.day,
				p.id
			]);
		});
	}
	const visits: Cell[][] = [
		[label('visits.date'), label('visits.county'), label('visits.leader'), label('visits.mode')],
		...snapshot.visits.map((v) => [
			v.date,
			text(v.countyName),
			text(v.leader),
			label(`visitMode.${v.mode}`)
		])
	];

	return [
		{
			name: label('reviews.sheetText'),
			rows: summary,
			widths: [24, 12, 16],
			headers: summaryHeaders
		},
		{
			name: label('reviews.sheetStats'),
			rows: counties,
			widths: [12, ...countyHeader.slice(1).map(() => 10)],
			headers: [0]
		},
		{
			name: label('reviews.sheetLists'),
			rows: lists,
			widths: [18, 6, 10, 40, 16, 14, 10, 12, 12, 16],
			headers: [0]
		},
		{ name: label('reviews.lists.visits'), rows: visits, widths: [12, 10, 10, 10], headers: [0] }
	];
}
