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
import {
	a4PageSetup,
	DATE_FORMAT,
	dayValue,
	newWorkbook,
	OFFICE_FONT,
	readSheets,
	styleHeader,
	THIN_BORDER,
	workbookToBlob,
	writeTitle
} from './xlsx';

/** Builds the .xlsx: title, 填报单位/日期, frozen header row, wrapped cells, A4 landscape. */
export async function ledgerXlsx(rows: LedgerRow[], meta: SheetMeta): Promise<Blob> {
	const workbook = await newWorkbook();
	const sheet = workbook.addWorksheet('台账', {
		views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }],
		pageSetup: a4PageSetup('landscape', 3),
		headerFooter: { oddFooter: '第 &P 页，共 &N 页' }
	});
	const width = LEDGER_COLUMNS.length;
	sheet.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
	writeTitle(sheet, 1, width, safeCell(meta.title));

	sheet.mergeCells(2, 1, 2, 5);
	sheet.getCell(2, 1).value = safeCell(meta.unit);
	sheet.mergeCells(2, width - 3, 2, width);
	const date = sheet.getCell(2, width - 3);
	date.value = safeCell(meta.date);
	date.alignment = { horizontal: 'right' };
	for (const cell of [sheet.getCell(2, 1), date]) cell.font = { name: OFFICE_FONT, size: 11 };
	sheet.getRow(2).height = 22;

	const header = sheet.getRow(3);
	header.values = LEDGER_COLUMNS.map((c) => c.header);
	styleHeader(header);

	ledgerBody(rows).forEach((values, i) => {
		const row = sheet.getRow(4 + i);
		values.forEach((value, c) => {
			const column = LEDGER_COLUMNS[c]!;
			const cell = row.getCell(c + 1);
			if (column.key === 'due' && typeof value === 'string' && value) {
				cell.value = dayValue(value);
				cell.numFmt = DATE_FORMAT;
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
					: { name: OFFICE_FONT, size: 10.5 };
			cell.border = THIN_BORDER;
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
