import type { Borders, CellValue, PageSetup, Row, Workbook, Worksheet } from 'exceljs';

/**
 * Excel workbooks (.xlsx) for exports and imports. exceljs is large (about 250 KB gzipped), so it
 * is only fetched when a person exports or imports: nothing here imports it statically, and the
 * initial bundle stays small. In the browser the package's `browser` build is used.
 */
export type ExcelModule = typeof import('exceljs');

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let loading: Promise<ExcelModule> | null = null;

/** The exceljs module, loaded on first use; a failed load (offline, no cache) may be retried. */
export function loadExcel(): Promise<ExcelModule> {
	loading ??= import('exceljs').then(
		(mod) => ((mod as { default?: ExcelModule }).default ?? mod) as ExcelModule,
		(error: unknown) => {
			loading = null;
			throw error;
		}
	);
	return loading;
}

/** A new, empty workbook with the app as its author. */
export async function newWorkbook(): Promise<Workbook> {
	const Excel = await loadExcel();
	const workbook = new Excel.Workbook();
	workbook.creator = '清单 Qingdan';
	workbook.created = new Date();
	return workbook;
}

/** The workbook as a file to download. */
export async function workbookToBlob(workbook: Workbook): Promise<Blob> {
	const buffer = await workbook.xlsx.writeBuffer();
	return new Blob([buffer as ArrayBuffer], { type: XLSX_MIME });
}

// The office layout a union office files (台账, 调度总结): a merged bold title, 宋体, header rows in
// grey with thin borders, A4 fitted to the page width.

export const OFFICE_FONT = '宋体';
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
export const THIN_BORDER: Partial<Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
export const DATE_FORMAT = 'yyyy-mm-dd';
/** A fraction shown as a percentage: 0.093 shows as 9.3%. */
export const PERCENT_FORMAT = '0.0%';
/** A change from last time, with its sign: +3, -2, 0. */
export const SIGNED_FORMAT = '+0;-0;0';

/**
 * A4 fitted to one page wide (as many pages down as needed), centred, with `repeatRow` (1-based)
 * printed at the top of every page.
 */
export function a4PageSetup(
	orientation: 'portrait' | 'landscape',
	repeatRow?: number
): Partial<PageSetup> {
	return {
		paperSize: 9,
		orientation,
		fitToPage: true,
		fitToWidth: 1,
		fitToHeight: 0,
		horizontalCentered: true,
		...(repeatRow ? { printTitlesRow: `${repeatRow}:${repeatRow}` } : {}),
		margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 }
	};
}

/** Characters a spreadsheet draws twice as wide: CJK, Hangul, full-width forms. */
const WIDE =
	/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Width of a text in Excel's column units (characters of the default font). */
export function displayWidth(text: string): number {
	let width = 0;
	for (const ch of text) width += WIDE.test(ch) || ch.codePointAt(0)! > 0xffff ? 2 : 1;
	return width;
}

/**
 * The height (points) of a row whose wrapped text runs over columns `width` units wide. Excel and
 * WPS do not grow a row for text in merged cells, so the writer sets it.
 */
export function wrappedHeight(text: string, width: number, fontSize: number): number {
	const perLine = Math.max(1, width - 1);
	const lines = text
		.split('\n')
		.reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / perLine)), 0);
	return Math.ceil(lines * fontSize * 1.4 + 4);
}

const widthOf = (sheet: Worksheet, from: number, to: number) => {
	let width = 0;
	for (let c = from; c <= to; c++) width += sheet.getColumn(c).width ?? 9;
	return width;
};

/** Row `row` as the sheet's title: merged over the first `columns` columns, centred, bold. */
export function writeTitle(sheet: Worksheet, row: number, columns: number, text: string): void {
	sheet.mergeCells(row, 1, row, columns);
	const cell = sheet.getCell(row, 1);
	cell.value = text;
	cell.font = { name: OFFICE_FONT, size: 18, bold: true };
	cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
	sheet.getRow(row).height = Math.max(36, wrappedHeight(text, widthOf(sheet, 1, columns), 18));
}

/** Row `row` as text over the first `columns` columns, merged and wrapped, tall enough to show. */
export function writeLine(
	sheet: Worksheet,
	row: number,
	columns: number,
	text: string,
	font: { size: number; bold?: boolean; color?: string }
): void {
	sheet.mergeCells(row, 1, row, columns);
	const cell = sheet.getCell(row, 1);
	cell.value = text;
	cell.font = {
		name: OFFICE_FONT,
		size: font.size,
		bold: font.bold ?? false,
		...(font.color ? { color: { argb: font.color } } : {})
	};
	cell.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
	sheet.getRow(row).height = wrappedHeight(text, widthOf(sheet, 1, columns), font.size);
}

/** A table's header row: bold, centred, wrapped, on grey, with thin borders. */
export function styleHeader(row: Row): void {
	let height = 24;
	row.eachCell((cell, col) => {
		cell.font = { name: OFFICE_FONT, size: 11, bold: true };
		cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
		cell.border = THIN_BORDER;
		const width = row.worksheet.getColumn(col).width ?? 9;
		height = Math.max(height, wrappedHeight(String(cell.value ?? ''), width, 11));
	});
	row.height = height;
}

/** A `YYYY-MM-DD` day as a date cell's value (that day's midnight UTC, which Excel shows as the day). */
export function dayValue(day: string): Date {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y!, m! - 1, d!));
}

/** What a cell holds once Excel's typing is taken off: text, number, boolean, date or nothing. */
export type PlainCell = string | number | boolean | Date | null;

/** One worksheet as plain rows; `rows[0]` is the sheet's row 1, so row numbers stay Excel's. */
export interface SheetRows {
	name: string;
	hidden: boolean;
	rows: PlainCell[][];
}

/** Rich text, hyperlinks, formulas (their cached result) and errors reduced to a plain value. */
export function plainCell(value: CellValue): PlainCell {
	if (value === null || value === undefined) return null;
	if (value instanceof Date) return value;
	if (typeof value !== 'object') return value;
	if ('richText' in value) return value.richText.map((part) => part.text).join('');
	if ('hyperlink' in value) return plainCell(value.text as CellValue);
	if ('formula' in value || 'sharedFormula' in value) {
		return plainCell((value.result ?? null) as CellValue);
	}
	return null;
}

/** Reads every worksheet of an .xlsx file; throws when the bytes are not a workbook. */
export async function readSheets(data: ArrayBuffer): Promise<SheetRows[]> {
	const Excel = await loadExcel();
	const workbook = new Excel.Workbook();
	await workbook.xlsx.load(data);
	return workbook.worksheets.map((sheet) => {
		const rows: PlainCell[][] = [];
		sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
			const cells: PlainCell[] = [];
			row.eachCell({ includeEmpty: false }, (cell, col) => {
				cells[col - 1] = plainCell(cell.value);
			});
			rows[rowNumber - 1] = Array.from(cells, (c) => c ?? null);
		});
		return {
			name: sheet.name,
			hidden: sheet.state !== 'visible',
			rows: Array.from(rows, (r) => r ?? [])
		};
	});
}
