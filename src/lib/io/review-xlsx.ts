/**
 * A review (调度总结) as an .xlsx file in the office layout of the 台账 export: on every sheet a
 * merged bold title, the 填报单位 and date lines, tables with styled headers, A4 fitted to the
 * page width. exceljs is loaded only when a review is exported.
 */
import type { Cell, Worksheet } from 'exceljs';
import type { ReviewCell, ReviewRow, ReviewSheet } from '../domain/review-sheet';
import {
	a4PageSetup,
	DATE_FORMAT,
	dayValue,
	newWorkbook,
	OFFICE_FONT,
	PERCENT_FORMAT,
	SIGNED_FORMAT,
	styleHeader,
	THIN_BORDER,
	workbookToBlob,
	writeLine,
	writeTitle
} from './xlsx';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function setValue(cell: Cell, value: ReviewCell): void {
	if (value === null || value === undefined || typeof value !== 'object') {
		cell.value = value ?? null;
	} else if ('percent' in value) {
		cell.value = value.percent;
		cell.numFmt = PERCENT_FORMAT;
	} else if ('change' in value) {
		cell.value = value.change;
		cell.numFmt = SIGNED_FORMAT;
	} else if (DAY.test(value.date)) {
		cell.value = dayValue(value.date);
		cell.numFmt = DATE_FORMAT;
	} else {
		cell.value = null;
	}
}

function writeRow(sheet: Worksheet, number: number, row: ReviewRow, columns: number): void {
	const first = row.cells[0];
	const line = typeof first === 'string' ? first : '';
	switch (row.kind) {
		case 'blank':
			return;
		case 'heading':
			return writeLine(sheet, number, columns, line, { size: 12, bold: true });
		case 'paragraph':
			return writeLine(sheet, number, columns, line, { size: 11 });
		case 'note':
			return writeLine(sheet, number, columns, line, { size: 10, color: 'FF595959' });
		case 'header': {
			const header = sheet.getRow(number);
			row.cells.forEach((value, c) => setValue(header.getCell(c + 1), value));
			return styleHeader(header);
		}
		case 'data':
		case 'total':
			row.cells.forEach((value, c) => {
				const cell = sheet.getRow(number).getCell(c + 1);
				setValue(cell, value);
				cell.font = { name: OFFICE_FONT, size: 10.5, bold: row.kind === 'total' };
				cell.alignment = { vertical: 'top', wrapText: true };
				cell.border = THIN_BORDER;
			});
	}
}

/** Excel refuses sheet names over 31 characters or with []:*?/\ */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

/** The workbook of a review's sheets; `footer` is what each printed page says at its foot. */
export async function reviewXlsx(sheets: ReviewSheet[], footer: string): Promise<Blob> {
	const workbook = await newWorkbook();
	for (const sheet of sheets) {
		const columns = sheet.widths.length;
		// The title, then one row per line under it; the body starts below them.
		const body = 2 + sheet.lines.length;
		const header = sheet.table ? body + sheet.rows.findIndex((r) => r.kind === 'header') : 0;
		const worksheet = workbook.addWorksheet(sheetName(sheet.name), {
			pageSetup: a4PageSetup(sheet.orientation, header || undefined),
			headerFooter: { oddFooter: footer },
			...(header ? { views: [{ state: 'frozen' as const, ySplit: header, xSplit: 0 }] } : {})
		});
		worksheet.columns = sheet.widths.map((width) => ({ width }));
		writeTitle(worksheet, 1, columns, sheet.title);
		sheet.lines.forEach((line, i) => writeLine(worksheet, 2 + i, columns, line, { size: 11 }));
		sheet.rows.forEach((row, i) => writeRow(worksheet, body + i, row, columns));
	}
	return workbookToBlob(workbook);
}
