/** A month laid out as weeks (Monday first, as calendars in China are), for the deadline calendar. */
export interface CalendarDay {
	date: string;
	inMonth: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM` of a `YYYY-MM-DD` date, or of a month shifted by `delta`. */
export function monthOf(date: string, delta = 0): string {
	const [y, m] = date.split('-').map(Number) as [number, number];
	const index = y * 12 + (m - 1) + delta;
	return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** The weeks that show `month` (YYYY-MM), each of seven days, padded with the neighbours' days. */
export function monthGrid(month: string): CalendarDay[][] {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const first = new Date(Date.UTC(y, m - 1, 1));
	const offset = (first.getUTCDay() + 6) % 7;
	const start = new Date(first);
	start.setUTCDate(1 - offset);
	const weeks: CalendarDay[][] = [];
	const cursor = new Date(start);
	do {
		const week: CalendarDay[] = [];
		for (let i = 0; i < 7; i++) {
			week.push({
				date: cursor.toISOString().slice(0, 10),
				inMonth: cursor.getUTCMonth() === m - 1
			});
			cursor.setUTCDate(cursor.getUTCDate() + 1);
		}
		weeks.push(week);
	} while (cursor.getUTCMonth() === m - 1);
	return weeks;
}

export const isMonth = (v: string | null): v is string => !!v && /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
