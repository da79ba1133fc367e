/**
 * Reading the cells of a 台账 sheet: finding its header row by text, turning Excel's typed cells
 * into the problem fields they stand for, and the fingerprints of rows as exported.
 */
import {
	LEDGER_COLUMNS,
	parseDate,
	parseList,
	parseMeasures,
	parseProblemText,
	parseStatus,
	parseTier,
	unneutralize,
	type LedgerCells,
	type LedgerColumn,
	type SheetField,
	type SheetFields
} from './ledger-sheet';

/** A cell as a spreadsheet reader hands it over (Excel types dates and numbers). */
export type SheetCell = string | number | boolean | Date | null;

export const IMPORT_ERRORS = [
	'read-only',
	'no-header',
	'county-missing',
	'county-unknown',
	'county-forbidden',
	'county-mismatch',
	'id-unknown',
	'id-deleted',
	'id-duplicate',
	'title-missing',
	'title-long',
	'tier-unknown',
	'status-unknown',
	'status-change',
	'date-bad'
] as const;
export type ImportErrorKind = (typeof IMPORT_ERRORS)[number];

/** Per problem id, a fingerprint of each field as exported (the hidden base sheet). */
export type BaseFingerprints = Map<string, Partial<Record<SheetField, string>>>;

const normalizeHeader = (text: string) => text.replace(/[\s（）()*＊]/g, '').toLowerCase();

const HEADER_ALIASES: Record<string, Exclude<LedgerColumn, 'no'>> = {
	问题: 'problem',
	问题名称: 'problem',
	完成时限: 'due',
	进展: 'progress',
	编号: 'id',
	id: 'id',
	问题编号请勿修改: 'id'
};

function columnOf(header: string): Exclude<LedgerColumn, 'no'> | null {
	const key = normalizeHeader(header);
	if (!key) return null;
	for (const column of LEDGER_COLUMNS) {
		if (column.key !== 'no' && normalizeHeader(column.header) === key) return column.key;
	}
	return HEADER_ALIASES[key] ?? null;
}

/** Cell text as a person typed it: line ends unified, the neutralizing apostrophe taken off. */
export function cellText(cell: SheetCell | undefined): string {
	if (cell === null || cell === undefined) return '';
	if (cell instanceof Date) return parseDate(cell) ?? '';
	if (typeof cell !== 'string') return String(cell);
	return unneutralize(cell.replace(/\r\n?/g, '\n').trim());
}

/** Finds the header row by its text; null when no row has both 县区 and 问题描述. */
export function findHeader(
	rows: SheetCell[][]
): { row: number; columns: Map<Exclude<LedgerColumn, 'no'>, number> } | null {
	for (let r = 0; r < Math.min(rows.length, 30); r++) {
		const columns = new Map<Exclude<LedgerColumn, 'no'>, number>();
		(rows[r] ?? []).forEach((cell, c) => {
			const column = columnOf(cellText(cell));
			if (column && !columns.has(column)) columns.set(column, c);
		});
		if (columns.has('county') && columns.has('problem')) return { row: r, columns };
	}
	return null;
}

export type RowCells = Partial<Record<Exclude<LedgerColumn, 'no'>, SheetCell>>;

/** The sheet fields a row gives (only its columns), or the kinds of what is wrong with it. */
export function parseFields(cells: RowCells): {
	fields: Partial<SheetFields>;
	errors: { kind: ImportErrorKind; value: string }[];
} {
	const fields: Partial<SheetFields> = {};
	const errors: { kind: ImportErrorKind; value: string }[] = [];
	const has = (key: keyof RowCells) => key in cells;
	const text = (key: keyof RowCells) => cellText(cells[key]);
	if (has('problem')) Object.assign(fields, parseProblemText(text('problem')));
	if (has('tier')) {
		const tier = parseTier(text('tier'));
		if (tier) fields.tier = tier;
		else errors.push({ kind: 'tier-unknown', value: text('tier') });
	}
	if (has('status')) {
		const status = parseStatus(text('status'));
		if (status) fields.status = status;
		else errors.push({ kind: 'status-unknown', value: text('status') });
	}
	if (has('due')) {
		const raw = cells.due ?? null;
		const due = parseDate(typeof raw === 'string' ? raw.trim() : raw);
		if (due === null) errors.push({ kind: 'date-bad', value: String(raw) });
		else fields.due = due;
	}
	if (has('measures')) fields.measures = parseMeasures(text('measures'));
	if (has('owner')) fields.owner = text('owner');
	if (has('coOwners')) fields.coOwners = parseList(text('coOwners'));
	if (has('assignee')) fields.assignee = text('assignee');
	if (has('leader')) fields.leader = text('leader');
	if (has('progress')) fields.progress = text('progress');
	return { fields, errors };
}

/** A short fingerprint (FNV-1a) of a field's value, to tell whether a file changed it. */
export function fingerprint(value: unknown): string {
	let hash = 0x811c9dc5;
	const text = JSON.stringify(value);
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The fingerprints of an exported row, read back the way an import will read it. */
export function baseFingerprints(cells: LedgerCells): Partial<Record<SheetField, string>> {
	const { fields } = parseFields(cells);
	return Object.fromEntries(
		Object.entries(fields).map(([field, value]) => [field, fingerprint(value)])
	);
}

/** Reads the hidden base sheet: rows of problem id and its fingerprints as JSON. */
export function parseBase(rows: SheetCell[][]): BaseFingerprints {
	const base: BaseFingerprints = new Map();
	for (const row of rows) {
		const id = cellText(row[0]);
		try {
			const value: unknown = JSON.parse(cellText(row[1]));
			if (id && value && typeof value === 'object') {
				base.set(id, value as Partial<Record<SheetField, string>>);
			}
		} catch {
			// A base row someone edited is ignored: that row is then compared two-way.
		}
	}
	return base;
}
