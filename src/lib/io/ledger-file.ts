/**
 * The 台账 as a file: the .xlsx a union office files (exceljs, loaded on demand) and CSV, and
 * reading either back for an import.
 */
import type { LedgerRow } from '../domain/ledger';
import {
	findHeader,
	baseFingerprints,
	parseBase,
	type BaseFingerprints,
	type SheetCell
} from '../domain/ledger-rows';
import {
	BASE_SHEET,
	cellsOf,
	ledgerBody,
	LEDGER_COLUMNS,
	type SheetMeta
} from '../domain/ledger-sheet';
import { safeCell } from '../domain/spreadsheet';
import { newWorkbook, readSheets, workbookToBlob } from './xlsx';

const FONT = '宋体';
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Builds the .xlsx: title, 填报单位/日期, frozen header row, wrapped cells, A4 landscape. */
export async function ledgerXlsx(rows: LedgerRow[], meta: SheetMeta): Promise<Blob> {
	const workbook = await newWorkbook();
	const sheet = workbook.addWorksheet('台账', {
		views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }],
		pageSetup: {
			paperSize: 9,
			orientation: 'landscape',
			fitToPage: true,
			fitToWidth: 1,
			fitToHeight: 0,
			horizontalCentered: true,
			printTitlesRow: '3:3',
			margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 }
		},
		headerFooter: { oddFooter: '第 &P 页，共 &N 页' }
	});
	const width = LEDGER_COLUMNS.length;
	sheet.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));

	sheet.mergeCells(1, 1, 1, width);
	const title = sheet.getCell(1, 1);
	title.value = safeCell(meta.title);
	title.font = { name: FONT, size: 18, bold: true };
	title.alignment = { horizontal: 'center', vertical: 'middle' };
	sheet.getRow(1).height = 36;

	sheet.mergeCells(2, 1, 2, 5);
	sheet.getCell(2, 1).value = safeCell(meta.unit);
	sheet.mergeCells(2, width - 3, 2, width);
	const date = sheet.getCell(2, width - 3);
	date.value = safeCell(meta.date);
	date.alignment = { horizontal: 'right' };
	for (const cell of [sheet.getCell(2, 1), date]) cell.font = { name: FONT, size: 11 };
	sheet.getRow(2).height = 22;

	const header = sheet.getRow(3);
	header.values = LEDGER_COLUMNS.map((c) => c.header);
	header.height = 24;
	header.eachCell((cell) => {
		cell.font = { name: FONT, size: 11, bold: true };
		cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
		cell.border = BORDER;
	});

	ledgerBody(rows).forEach((values, i) => {
		const row = sheet.getRow(4 + i);
		values.forEach((value, c) => {
			const column = LEDGER_COLUMNS[c]!;
			const cell = row.getCell(c + 1);
			if (column.key === 'due' && typeof value === 'string' && value) {
				const [y, m, d] = value.split('-').map(Number);
				cell.value = new Date(Date.UTC(y!, m! - 1, d!));
				cell.numFmt = 'yyyy-mm-dd';
			} else {
				cell.value = typeof value === 'string' ? safeCell(value) : (value ?? null);
			}
			const centered = ['no', 'county', 'tier', 'assignee', 'leader', 'due', 'status'];
			cell.alignment = {
				vertical: 'top',
				wrapText: true,
				horizontal: centered.includes(column.key) ? 'center' : 'left'
			};
			cell.font =
				column.key === 'id'
					? { name: 'Arial', size: 8, color: { argb: 'FF808080' } }
					: { name: FONT, size: 10.5 };
			cell.border = BORDER;
		});
	});

	// What each row said when exported, so an import changes only what the office changed.
	const base = workbook.addWorksheet(BASE_SHEET, { state: 'veryHidden' });
	for (const row of rows) {
		base.addRow([
			row.problem.id,
			JSON.stringify(baseFingerprints(cellsOf(row.problem, row.countyName)))
		]);
	}
	return workbookToBlob(workbook);
}

/** A CSV file's rows; quoted fields may hold commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field || row.length) rows.push([...row, field]);
	return rows;
}

/** UTF-8 as we write it; Excel and WPS in China save CSV as GB18030 (GBK) unless told otherwise. */
function decodeText(data: ArrayBuffer): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(data);
	} catch {
		return new TextDecoder('gb18030').decode(data);
	}
}

export class UnreadableFileError extends Error {}

/** Reads an exported-and-edited 台账 (.xlsx or .csv): the sheet with the ledger table, and the base. */
export async function readLedgerFile(
	data: ArrayBuffer,
	fileName: string
): Promise<{ rows: SheetCell[][]; base: BaseFingerprints }> {
	if (/\.csv$/i.test(fileName)) return { rows: parseCsv(decodeText(data)), base: new Map() };
	let sheets;
	try {
		sheets = await readSheets(data);
	} catch (error) {
		throw new UnreadableFileError(String(error));
	}
	const table = sheets.find((s) => s.name !== BASE_SHEET && findHeader(s.rows)) ?? sheets[0];
	const base = sheets.find((s) => s.name === BASE_SHEET);
	return { rows: table?.rows ?? [], base: base ? parseBase(base.rows) : new Map() };
}
