import { GOALS, STATUSES, TIERS } from './model';
import type { Review } from './reviews';
import { REVIEW_SECTIONS } from './reviews';
import { KEY_NUMBERS, keyChanges, type ReviewSnapshot } from './review-snapshot';
import { safeCell, type Cell } from './spreadsheet';

/**
 * A review as worksheets in the office layout of the 台账 export (what the .xlsx export writes):
 * each sheet opens with a title, the 填报单位 and the dates, then holds the text with its key
 * numbers, the counties' figures, or the problem and visit lists. Labels and date formats come
 * from the caller (the interface language); every text cell from the data is neutralized against
 * formula injection.
 */

/**
 * A cell: plain, a rate kept as its fraction and shown as a percentage (0.093 as 9.3%), a change
 * from last time shown with its sign, or a `YYYY-MM-DD` day written as a date.
 */
export type ReviewCell = Cell | { percent: number } | { change: number } | { date: string };

/**
 * How a row is laid out: a table's `header`, `data` and `total` rows; a section's `heading` and
 * its `paragraph`s of text spread over the sheet's width; a `note`; a `blank` line.
 */
export type ReviewRowKind =
	'header' | 'data' | 'total' | 'heading' | 'paragraph' | 'note' | 'blank';

export interface ReviewRow {
	kind: ReviewRowKind;
	cells: ReviewCell[];
}

export interface ReviewSheet {
	name: string;
	title: string;
	/** Under the title: 填报单位, the day the figures are as of, when the review was made. */
	lines: string[];
	rows: ReviewRow[];
	/** Column widths in characters. */
	widths: number[];
	orientation: 'portrait' | 'landscape';
	/** The sheet is one table: its header stays in view and repeats on every printed page. */
	table: boolean;
}

export type Label = (key: string, params?: Record<string, string | number>) => string;

/** Dates as the interface language writes them: a `YYYY-MM-DD` day, and a moment (ISO). */
export interface DateFormat {
	date: (day: string) => string;
	dateTime: (iso: string) => string;
}

const text = (value: string): string => safeCell(value);
const row = (kind: ReviewRowKind, cells: ReviewCell[] = []): ReviewRow => ({ kind, cells });

const LISTS = ['opened', 'escalated', 'closed', 'overdue', 'overdueNotClosed'] as const;

function textRows(
	review: Review,
	snapshot: ReviewSnapshot,
	label: Label,
	format: DateFormat
): ReviewRow[] {
	const changes = keyChanges(snapshot);
	const previous = snapshot.previous;
	const compared = previous
		? label('reviews.compared', {
				title: label('reviews.heading', {
					kind: label(`reviews.kind.${previous.kind}`),
					start: format.date(previous.start),
					end: format.date(previous.end)
				})
			})
		: null;
	const rows: ReviewRow[] = [
		row('header', [
			label('reviews.sheet.figure'),
			label('reviews.sheet.value'),
			...(compared ? [text(compared)] : [])
		])
	];
	for (const key of KEY_NUMBERS) {
		rows.push(
			row('data', [
				label(`reviews.key.${key}`),
				snapshot.key[key],
				...(changes ? [{ change: changes[key] }] : [])
			])
		);
	}
	// The previous review kept only its key numbers: there is no earlier rate to compare with.
	rows.push(
		row('data', [
			label('dash.closureRate'),
			{ percent: snapshot.total.closureRate },
			...(changes ? ['—'] : [])
		])
	);
	if (!previous) rows.push(row('note', [label('reviews.first')]));
	for (const section of REVIEW_SECTIONS) {
		rows.push(row('blank'), row('heading', [label(`reviews.section.${section}`)]));
		for (const line of review.sections[section].split('\n')) {
			if (line.trim()) rows.push(row('paragraph', [text(line.trim())]));
		}
	}
	return rows;
}

function countyRows(snapshot: ReviewSnapshot, label: Label): ReviewRow[] {
	const header = [
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
	const goalCount = (county: string, goal: (typeof GOALS)[number]) =>
		snapshot.goals.problems[county]?.[goal] ?? 0;
	return [
		row('header', header),
		...[...snapshot.counties, snapshot.total].map((c) =>
			row(c.county ? 'data' : 'total', [
				text(c.county ? c.name : label('dash.allCounties')),
				c.total,
				...TIERS.map((t) => c.byTier[t]),
				...STATUSES.map((s) => c.byStatus[s]),
				c.opened,
				c.escalated,
				c.closed,
				c.overdueInPeriod,
				c.overdue,
				{ percent: c.closureRate },
				c.visits,
				...GOALS.map((g) =>
					c.county
						? goalCount(c.county, g)
						: snapshot.counties.reduce((n, x) => n + goalCount(x.county, g), 0)
				)
			])
		)
	];
}

function listRows(snapshot: ReviewSnapshot, label: Label): ReviewRow[] {
	const rows = [
		row('header', [
			label('reviews.sheet.list'),
			label('ledger.no'),
			label('visits.county'),
			label('detail.title'),
			label('detail.tier'),
			label('detail.status'),
			label('detail.assignee'),
			label('detail.due'),
			label('reviews.col.day'),
			label('reviews.sheet.id')
		])
	];
	for (const list of LISTS) {
		snapshot[list].forEach((p, i) => {
			rows.push(
				row('data', [
					label(`reviews.lists.${list}`),
					i + 1,
					text(p.countyName),
					text(p.title),
					label(`tier.${p.tier}`),
					label(`status.${p.status}`),
					text(p.assignee),
					{ date: p.due },
					{ date: p.day },
					p.id
				])
			);
		});
	}
	if (rows.length === 1) rows.push(row('note', [label('reviews.none')]));
	return rows;
}

function visitRows(snapshot: ReviewSnapshot, label: Label): ReviewRow[] {
	const rows = [
		row('header', [
			label('visits.date'),
			label('visits.county'),
			label('visits.leader'),
			label('visits.mode')
		]),
		...snapshot.visits.map((v) =>
			row('data', [
				{ date: v.date },
				text(v.countyName),
				text(v.leader),
				label(`visitMode.${v.mode}`)
			])
		)
	];
	if (rows.length === 1) rows.push(row('note', [label('reviews.none')]));
	return rows;
}

export function reviewSheets(
	review: Review,
	snapshot: ReviewSnapshot,
	meta: { title: string; campaign: string },
	label: Label,
	format: DateFormat
): ReviewSheet[] {
	const title = text(label('reviews.sheet.title', { campaign: meta.campaign, title: meta.title }));
	const created = format.dateTime(review.createdAt);
	const lines = [
		label('reviews.sheet.unit', { unit: label('reviews.sheet.cityUnion') }),
		label('reviews.sheet.asOf', { date: format.date(snapshot.asOf) }),
		text(
			review.createdBy
				? label('reviews.sheet.created', { time: created, name: review.createdBy })
				: label('reviews.sheet.createdAt', { time: created })
		)
	];
	const part = (name: string) => text(label('reviews.sheet.part', { title, part: name }));
	const counties = countyRows(snapshot, label);
	return [
		{
			name: label('reviews.sheetText'),
			title,
			lines,
			rows: textRows(review, snapshot, label, format),
			widths: [24, 14, 40],
			orientation: 'portrait',
			table: false
		},
		{
			name: label('reviews.sheetStats'),
			title: part(label('reviews.sheetStats')),
			lines,
			rows: counties,
			widths: [12, 8, ...counties[0]!.cells.slice(2).map(() => 10)],
			orientation: 'landscape',
			table: true
		},
		{
			name: label('reviews.sheetLists'),
			title: part(label('reviews.sheetLists')),
			lines,
			rows: listRows(snapshot, label),
			widths: [18, 6, 10, 40, 16, 14, 10, 12, 12, 16],
			orientation: 'landscape',
			table: true
		},
		{
			name: label('reviews.lists.visits'),
			title: part(label('reviews.lists.visits')),
			lines,
			rows: visitRows(snapshot, label),
			widths: [16, 14, 14, 16],
			orientation: 'portrait',
			table: true
		}
	];
}
