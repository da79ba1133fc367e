/**
 * The 台账 as a spreadsheet: the layout a union office files (title row, 填报单位 and 填报日期,
 * one row per problem) and the conversion of a problem to the text of its cells and back. The
 * sheet is an official Chinese form, so its headers and labels are Chinese in every UI language.
 */
import { todayInShanghai } from '../i18n/format';
import type { LedgerRow } from './ledger';
import { STATUSES, TIERS, type Status, type Tier } from './model';
import type { Problem, Satisfaction } from './problem';
import { toCsv, type Cell } from './spreadsheet';

export const LEDGER_COLUMNS = [
	{ key: 'no', header: '序号', width: 6 },
	{ key: 'county', header: '县区', width: 10 },
	{ key: 'problem', header: '问题描述', width: 40 },
	{ key: 'tier', header: '层级', width: 14 },
	{ key: 'measures', header: '具体举措', width: 36 },
	{ key: 'owner', header: '牵头单位', width: 16 },
	{ key: 'coOwners', header: '协办单位', width: 16 },
	{ key: 'assignee', header: '责任人', width: 10 },
	{ key: 'leader', header: '联系领导', width: 10 },
	{ key: 'due', header: '时限', width: 12 },
	{ key: 'progress', header: '进展情况', width: 36 },
	{ key: 'status', header: '状态', width: 12 },
	// The closure (销号) as the city recorded it: exported for the record, never imported (the
	// import reads only the columns above, and only city users may close).
	{ key: 'result', header: '办理结果', width: 30 },
	{ key: 'verifier', header: '核验人', width: 12 },
	{ key: 'closedOn', header: '销号日期', width: 12 },
	{ key: 'satisfaction', header: '回访满意度', width: 10 },
	{ key: 'followUp', header: '回访情况', width: 30 },
	{ key: 'id', header: '问题编号', width: 16 }
] as const;

export type LedgerColumn = (typeof LEDGER_COLUMNS)[number]['key'];

/** What the sheet says for each tier and status (the board's own Chinese names). */
export const TIER_LABELS: Record<Tier, string> = {
	unsorted: '待分类',
	'party-gov': '党委政府协调',
	'union-system': '工会系统解决',
	'county-self': '县级工会自身解决'
};
export const STATUS_LABELS: Record<Status, string> = {
	open: '待办',
	'in-progress': '推进中',
	resolved: '已解决（待核验）',
	closed: '已销号'
};

/** 回访满意度 as the sheet says it. */
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
	satisfied: '满意',
	basically: '基本满意',
	unsatisfied: '不满意'
};

/** The name of the hidden sheet that keeps each row as exported, for a three-way merge on import. */
export const BASE_SHEET = 'qingdan-base';

/** A row's cells as text, before neutralizing; `due` stays `YYYY-MM-DD` so a writer can type it as a date. */
export type LedgerCells = Record<Exclude<LedgerColumn, 'no'>, string>;

/** The fields of a problem that the sheet carries, in the form the import compares. */
export interface SheetFields {
	title: string;
	description: string;
	tier: Tier;
	measures: { text: string; done: boolean }[];
	owner: string;
	coOwners: string[];
	assignee: string;
	leader: string;
	due: string;
	/** The progress notes, one per line, as the sheet shows them. */
	progress: string;
	status: Status;
}
export type SheetField = keyof SheetFields;

const DONE_MARK = '（已完成）';

/** 问题描述: the title on the first line, the description below it. */
export const problemText = (p: Pick<SheetFields, 'title' | 'description'>) =>
	p.description.trim() ? `${p.title}\n${p.description}` : p.title;

export const measuresText = (measures: SheetFields['measures']) =>
	measures.map((m, i) => `${i + 1}. ${m.text}${m.done ? DONE_MARK : ''}`).join('\n');

/** One progress note (进展) per line: date in Shanghai, who, what. */
export function progressLines(problem: Problem): string[] {
	return problem.log
		.filter((e) => e.kind === 'note' && e.text.trim())
		.map((e) => {
			const date = e.at ? todayInShanghai(new Date(e.at)) : '';
			return `${date} ${e.by}：${e.text.replace(/\s*\n\s*/g, ' ')}`.trim();
		});
}

export function fieldsOf(problem: Problem): SheetFields {
	return {
		title: problem.title,
		description: problem.description,
		tier: problem.tier,
		measures: problem.measures.map((m) => ({ text: m.text, done: m.done })),
		owner: problem.owner,
		coOwners: problem.coOwners,
		assignee: problem.assignee,
		leader: problem.leader,
		due: problem.due,
		progress: progressLines(problem).join('\n'),
		status: problem.status
	};
}

/** Excel refuses cells over 32,767 characters (and WPS repairs the file); long text is cut. */
const CELL_MAX = 32_000;
const clipCell = (text: string) => (text.length > CELL_MAX ? `${text.slice(0, CELL_MAX)}…` : text);

export function cellsOf(problem: Problem, countyName: string): LedgerCells {
	const fields = fieldsOf(problem);
	const cells: LedgerCells = {
		county: countyName,
		problem: problemText(fields),
		tier: TIER_LABELS[fields.tier],
		measures: measuresText(fields.measures),
		owner: fields.owner,
		coOwners: fields.coOwners.join('、'),
		assignee: fields.assignee,
		leader: fields.leader,
		due: fields.due,
		progress: fields.progress,
		status: STATUS_LABELS[fields.status],
		result: problem.resolution?.note ?? '',
		verifier: problem.closure?.verifier ?? '',
		closedOn: problem.closure?.verifiedOn ?? '',
		satisfaction: problem.closure ? SATISFACTION_LABELS[problem.closure.satisfaction] : '',
		followUp: problem.closure?.followUp ?? '',
		id: problem.id
	};
	for (const key of Object.keys(cells) as (keyof LedgerCells)[]) cells[key] = clipCell(cells[key]);
	return cells;
}

/** What the header block says: a title, the reporting unit (填报单位) and the date (填报日期). */
export interface SheetMeta {
	title: string;
	unit: string;
	date: string;
}

export function sheetMeta(campaignName: string, unit: string, today: string): SheetMeta {
	const [y, m, d] = today.split('-').map(Number);
	return {
		title: `${campaignName}问题清单台账`,
		unit: `填报单位：${unit}`,
		date: `填报日期：${y}年${m}月${d}日`
	};
}

/** The reporting unit: one county's union when the export is one county's, else the city union. */
export const reportingUnit = (countyName: string | null) =>
	countyName ? `${countyName}总工会` : '市总工会';

/** The rows of the sheet's table below its header block, cells in LEDGER_COLUMNS order. */
export const ledgerBody = (rows: LedgerRow[]): Cell[][] =>
	rows.map((row, i) => {
		const cells = cellsOf(row.problem, row.countyName);
		return LEDGER_COLUMNS.map((c) => (c.key === 'no' ? i + 1 : cells[c.key]));
	});

/**
 * The whole sheet as CSV text (UTF-8 with BOM, CRLF): the header block, the column headers,
 * one row per problem; every text cell neutralized by toCsv.
 */
export function ledgerCsv(rows: LedgerRow[], meta: SheetMeta): string {
	return toCsv([
		[meta.title],
		[meta.unit, '', '', '', meta.date],
		LEDGER_COLUMNS.map((c) => c.header),
		...ledgerBody(rows)
	]);
}

/** Takes off the apostrophe safeCell put before text that looks like a formula. */
export const unneutralize = (text: string) =>
	/^'[=+\-@\t\r＝＋－＠]/.test(text) ? text.slice(1) : text;

/** A file name for the export, e.g. `县级工会加强年问题清单台账-2022-10-14.xlsx`. */
export const ledgerFileName = (meta: SheetMeta, today: string, ext: 'xlsx' | 'csv') =>
	`${meta.title}-${today}.${ext}`.replace(/[\\/:*?"<>|]/g, '_');

const normalizeLabel = (text: string) => text.replace(/[\s（）()]/g, '').toLowerCase();

/** A tier from its sheet label, its English name or its code; null when unknown. Blank is 待分类. */
export function parseTier(text: string): Tier | null {
	const key = normalizeLabel(text);
	if (!key) return 'unsorted';
	const english: Record<string, Tier> = {
		unsorted: 'unsorted',
		'party&governmentcoordination': 'party-gov',
		solvedwithintheunionsystem: 'union-system',
		solvedbythecountyunion: 'county-self'
	};
	for (const tier of TIERS) {
		if (normalizeLabel(TIER_LABELS[tier]) === key || tier === key) return tier;
	}
	return english[key] ?? null;
}

/** A status from its sheet label (with or without （待核验）) or its code; null when unknown. */
export function parseStatus(text: string): Status | null {
	const key = normalizeLabel(text);
	if (!key) return 'open';
	for (const status of STATUSES) {
		const label = normalizeLabel(STATUS_LABELS[status]);
		if (label === key || label.replace('待核验', '') === key || status === key) return status;
	}
	return null;
}

/** Measures from a cell: one per line, numbering dropped, （已完成） or √ marks a done one. */
export function parseMeasures(text: string): SheetFields['measures'] {
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			let rest = line.replace(/^\d+\s*[.、．)）]\s*/, '');
			let done = false;
			if (/^[√✓✔☑]\s*/.test(rest)) {
				done = true;
				rest = rest.replace(/^[√✓✔☑]\s*/, '');
			}
			const suffix = /[（(]已完成[）)]$/;
			if (suffix.test(rest)) {
				done = true;
				rest = rest.replace(suffix, '').trim();
			}
			return { text: rest, done };
		})
		.filter((m) => m.text);
}

export const parseList = (text: string) =>
	text
		.split(/[、,，;；\n]/)
		.map((s) => s.trim())
		.filter(Boolean);

/** 问题描述 split back: first line the title, the rest the description. */
export function parseProblemText(text: string): { title: string; description: string } {
	const [first = '', ...rest] = text.split('\n');
	return { title: first.trim(), description: rest.join('\n').trim() };
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | null {
	const date = new Date(Date.UTC(y, m - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
		return null;
	}
	if (y < 1990 || y > 2100) return null;
	return `${y}-${pad(m)}-${pad(d)}`;
}

/** Days from Excel's day 0 (1899-12-30, which absorbs its 1900 leap-year bug) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

/**
 * A deadline as Excel or WPS hand it over: a Date (a date cell), a serial day number, or text
 * such as `2023-09-30`, `2023/9/30`, `2023.9.30` or `2023年9月30日`. '' for an empty cell;
 * null when it is not a date.
 */
export function parseDate(value: string | number | Date | boolean | null): string | null {
	if (value === null || value === '') return '';
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return null;
		// exceljs reads a date cell as that day's midnight UTC; a little rounding absorbs times.
		const shifted = new Date(value.getTime() + 12 * 3600_000);
		return validDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 1) return null;
		const date = new Date((Math.floor(value) - EXCEL_EPOCH_DAYS) * 86_400_000);
		return validDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
	}
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (!text) return '';
	const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
	if (match) return validDate(Number(match[1]), Number(match[2]), Number(match[3]));
	if (/^\d+(\.\d+)?$/.test(text)) return parseDate(Number(text));
	return null;
}
