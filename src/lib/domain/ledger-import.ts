/**
 * Reading a filled-in 台账 back (导入): the header row is found by its text, every row is checked,
 * and the result is a plan — new problems, and for rows with a problem id only the fields the
 * file changed — that a person previews before anything is written.
 */
import type { County } from './campaign';
import { canWrite } from './docs';
import {
	cellText,
	findHeader,
	fingerprint,
	parseFields,
	type BaseFingerprints,
	type ImportErrorKind,
	type RowCells,
	type SheetCell
} from './ledger-rows';
import {
	cellsOf,
	fieldsOf,
	measuresText,
	STATUS_LABELS,
	TIER_LABELS,
	type SheetField,
	type SheetFields
} from './ledger-sheet';
import type { User } from './model';
import { TITLE_MAX } from './mutate';
import type { Problem } from './problem';

/** A problem with a row of the file; `row` is the spreadsheet's own row number (0: the file). */
export interface ImportError {
	row: number;
	kind: ImportErrorKind;
	value: string;
}

export interface FieldChange {
	field: SheetField;
	before: string;
	after: string;
}

export interface PlannedRow {
	row: number;
	kind: 'new' | 'update' | 'unchanged';
	county: string;
	/** The problem the row updates; null for a new problem. */
	id: string | null;
	title: string;
	changes: FieldChange[];
	/** The new values of the changed fields (every given field for a new problem). */
	fields: Partial<SheetFields>;
	/** A progress note (进展) to add: the lines of 进展情况 the problem does not have yet. */
	note: string;
}

export interface ImportPlan {
	rows: PlannedRow[];
	errors: ImportError[];
	counts: { new: number; updated: number; unchanged: number };
}

/** What the import checks the file against: who imports, the counties, every problem now. */
export interface ImportContext {
	user: User;
	campaign: string;
	counties: County[];
	problems: ReadonlyMap<string, { county: string; problem: Problem }>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** How a field reads in the preview (and in Chinese, as in the sheet). */
export function showField(field: SheetField, value: SheetFields[SheetField]): string {
	switch (field) {
		case 'tier':
			return TIER_LABELS[value as SheetFields['tier']];
		case 'status':
			return STATUS_LABELS[value as SheetFields['status']];
		case 'measures':
			return measuresText(value as SheetFields['measures']);
		case 'coOwners':
			return (value as string[]).join('、');
		default:
			return String(value);
	}
}

const SHEET_FIELDS: SheetField[] = [
	'title',
	'description',
	'tier',
	'measures',
	'owner',
	'coOwners',
	'assignee',
	'leader',
	'due',
	'progress',
	'status'
];

type Report = (kind: ImportErrorKind, value?: string) => void;

/** The county a row belongs to: its 县区 cell, else the problem's, else a county user's own. */
function rowCounty(
	text: string,
	existing: { county: string } | undefined,
	ctx: ImportContext,
	error: Report
): County | undefined {
	if (text) {
		const key = text.replace(/\s/g, '');
		const county = ctx.counties.find(
			(c) => c.name === key || c.id === key || `${c.name}总工会` === key
		);
		if (!county) error('county-unknown', text);
		else if (existing && county.id !== existing.county) error('county-mismatch', text);
		return county;
	}
	const fallback = existing?.county ?? ctx.user.county;
	const county = ctx.counties.find((c) => c.id === fallback);
	if (!county) error('county-missing');
	return county;
}

/** A row without an id: every field it fills in, as a new problem. */
function planNew(planned: PlannedRow, fields: Partial<SheetFields>, error: Report) {
	if (fields.status && fields.status !== 'open' && fields.status !== 'in-progress') {
		error('status-change', STATUS_LABELS[fields.status]);
	}
	planned.kind = 'new';
	for (const field of SHEET_FIELDS) {
		const value = fields[field];
		if (value === undefined || field === 'progress') continue;
		const blank = field === 'tier' ? 'unsorted' : field === 'status' ? 'open' : '';
		if (same(value, blank) || (Array.isArray(value) && value.length === 0)) continue;
		Object.assign(planned.fields, { [field]: value });
		planned.changes.push({ field, before: '', after: showField(field, value) });
	}
	planned.note = fields.progress ?? '';
	if (planned.note) planned.changes.push({ field: 'progress', before: '', after: planned.note });
}

/** A row with an id: only the fields that differ from the problem and that the file changed. */
function planUpdate(
	planned: PlannedRow,
	fields: Partial<SheetFields>,
	problem: Problem,
	countyName: string,
	exported: Partial<Record<SheetField, string>> | undefined,
	error: Report
) {
	// Compared as the sheet shows it, so trimming and line breaks are no change.
	const current = { ...fieldsOf(problem), ...parseFields(cellsOf(problem, countyName)).fields };
	for (const field of SHEET_FIELDS) {
		const value = fields[field];
		if (value === undefined || same(value, current[field])) continue;
		if (exported?.[field] === fingerprint(value)) continue;
		if (field === 'progress') {
			// The log only grows: lines the problem does not have yet become one new note.
			const known = new Set(current.progress.split('\n'));
			const added = (value as string).split('\n').filter((line) => line && !known.has(line));
			if (added.length === 0) continue;
			planned.note = added.join('\n');
			planned.changes.push({ field, before: '', after: planned.note });
			continue;
		}
		if (field === 'status' && !(current.status === 'open' && value === 'in-progress')) {
			error('status-change', STATUS_LABELS[value as SheetFields['status']]);
			continue;
		}
		Object.assign(planned.fields, { [field]: value });
		planned.changes.push({
			field,
			before: showField(field, current[field]),
			after: showField(field, value)
		});
	}
	planned.kind = planned.changes.length ? 'update' : 'unchanged';
}

/**
 * Checks every row of the sheet and plans the import. Nothing may be written while `errors` is
 * not empty. `base` holds the fingerprints of the rows as exported: a field the file left as it
 * was exported is not written back, so a change made in the app meanwhile survives.
 */
export function planImport(
	rows: SheetCell[][],
	base: BaseFingerprints,
	ctx: ImportContext
): ImportPlan {
	const plan: ImportPlan = { rows: [], errors: [], counts: { new: 0, updated: 0, unchanged: 0 } };
	if (ctx.user.role === 'viewer') {
		plan.errors.push({ row: 0, kind: 'read-only', value: '' });
		return plan;
	}
	const header = findHeader(rows);
	if (!header) {
		plan.errors.push({ row: 0, kind: 'no-header', value: '' });
		return plan;
	}
	const seen = new Set<string>();
	for (let r = header.row + 1; r < rows.length; r++) {
		const rowNumber = r + 1;
		const cells: RowCells = {};
		for (const [column, index] of header.columns) cells[column] = rows[r]?.[index] ?? null;
		if (Object.values(cells).every((cell) => cellText(cell) === '')) continue;
		const error: Report = (kind, value = '') => plan.errors.push({ row: rowNumber, kind, value });

		const id = cellText(cells.id);
		const existing = id ? ctx.problems.get(id) : undefined;
		if (id && seen.has(id)) error('id-duplicate', id);
		seen.add(id);
		if (id && !existing) error('id-unknown', id);
		else if (existing?.problem.deleted) error('id-deleted', existing.problem.title);

		const county = rowCounty(cellText(cells.county), existing, ctx, error);

		const { fields, errors } = parseFields(cells);
		for (const e of errors) error(e.kind, e.value);
		if ((!id || 'title' in fields) && !fields.title) error('title-missing');
		if ((fields.title?.length ?? 0) > TITLE_MAX) error('title-long', fields.title?.slice(0, 20));
		if (id && !existing) continue;

		const planned: PlannedRow = {
			row: rowNumber,
			kind: 'unchanged',
			county: county?.id ?? '',
			id: existing ? id : null,
			title: fields.title || existing?.problem.title || '',
			changes: [],
			fields: {},
			note: ''
		};
		if (existing) {
			planUpdate(planned, fields, existing.problem, county?.name ?? '', base.get(id), error);
		} else planNew(planned, fields, error);
		// Other counties' rows may stay in the file (a whole-city export) as long as they are unchanged.
		const ref = { kind: 'county', campaign: ctx.campaign, county: planned.county } as const;
		if (county && planned.kind !== 'unchanged' && !canWrite(ctx.user, ref)) {
			error('county-forbidden', county.name);
		}
		plan.rows.push(planned);
	}
	for (const row of plan.rows) {
		if (row.kind === 'new') plan.counts.new++;
		else if (row.kind === 'update') plan.counts.updated++;
		else plan.counts.unchanged++;
	}
	return plan;
}
