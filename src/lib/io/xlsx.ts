import type { CellValue, Workbook } from 'exceljs';

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
