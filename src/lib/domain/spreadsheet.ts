/**
 * Cells for files people open in Excel or WPS (台账 exports). Text that starts like a formula is
 * run as one by the spreadsheet — `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...` typed into a card
 * title would execute on the office computer that opens the export — so such text is written with
 * a leading apostrophe, which spreadsheets show as nothing and read as "this is text".
 */

/** What a spreadsheet may read as the start of a formula: = + - @, tab, CR, and their
 * full-width forms (a Chinese input method types those). */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

export type Cell = string | number | boolean | null | undefined;

/** A text cell that a spreadsheet will show as text, never evaluate. */
export function safeCell(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: strings neutralized, quoted when they hold a quote, comma or line break. */
export function csvField(value: Cell): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'string') return String(value);
	const safe = safeCell(value);
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV file as Excel opens it correctly: UTF-8 with a byte order mark, CRLF line ends. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
