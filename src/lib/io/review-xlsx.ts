import type { Review } from '$lib/domain/reviews';
import { reviewSheets } from '$lib/domain/review-sheet';
import type { ReviewSnapshot } from '$lib/domain/review-snapshot';
import { t, type MessageKey } from '$lib/i18n/index.svelte';
import { downloadFile } from './download';
import { newWorkbook, workbookToBlob } from './xlsx';

/** Builds the review's workbook (exceljs is loaded only now) and hands it to the download. */
export async function exportReview(
	review: Review,
	snapshot: ReviewSnapshot,
	meta: { title: string; campaign: string }
): Promise<void> {
	const workbook = await newWorkbook();
	const label = (key: string, params?: Record<string, string | number>) =>
		t(key as MessageKey, params);
	for (const sheet of reviewSheets(review, snapshot, meta, label)) {
		// Excel refuses sheet names over 31 characters or with []:*?/\
		const name = sheet.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
		const worksheet = workbook.addWorksheet(name, {
			pageSetup: {
				paperSize: 9,
				orientation: 'landscape',
				fitToPage: true,
				fitToWidth: 1,
				fitToHeight: 0
			}
		});
		worksheet.columns = sheet.widths.map((width) => ({ width }));
		for (const row of sheet.rows) worksheet.addRow(row.map((cell) => cell ?? null));
		for (const index of sheet.headers) worksheet.getRow(index + 1).font = { bold: true };
		if (sheet.headers[0] === 0) worksheet.views = [{ state: 'frozen', ySplit: 1 }];
		worksheet.eachRow((row) => {
			row.alignment = { wrapText: true, vertical: 'top' };
		});
	}
	const day = snapshot.asOf.replaceAll('-', '');
	downloadFile(await workbookToBlob(workbook), `${meta.title}-${day}.xlsx`);
}
