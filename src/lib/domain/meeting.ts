// Meeting mode (会议模式) at a 双月调度: the ledger shown on a projector one county or one tier
// at a time, in screens that never scroll — nobody at a meeting is there to scroll.
import type { Problem } from './problem';
import { shanghaiDay } from './stats';

/** One county or one tier, with its problems in the order the meeting goes through them. */
export interface MeetingGroup<T> {
	key: string;
	title: string;
	rows: T[];
}

/** A meeting goes through the ledger county by county (default) or tier by tier. */
export type MeetingBy = 'county' | 'tier';

/** One screen: a whole group, or part `part` of `parts` of a group too big for one screen. */
export interface MeetingPage<T> {
	key: string;
	title: string;
	part: number;
	parts: number;
	/** Problems in the whole group, on this screen and the group's other ones. */
	count: number;
	rows: T[];
}

/** How many cards a screen holds: `columns` side by side, `rows` above each other. */
export interface MeetingGrid {
	columns: number;
	rows: number;
}

/**
 * The smallest card still readable from the back of a room, with a title of two lines and two
 * lines of its progress note, and the space between cards (px).
 */
export const MEETING_CARD = { minWidth: 440, minHeight: 300, gap: 20, maxColumns: 3 } as const;

/** The grid that fits in `width` × `height` pixels: one to three columns, at least one row. */
export function meetingGrid(width: number, height: number): MeetingGrid {
	const fit = (space: number, size: number) =>
		Math.floor((space + MEETING_CARD.gap) / (size + MEETING_CARD.gap));
	return {
		columns: Math.min(MEETING_CARD.maxColumns, Math.max(1, fit(width, MEETING_CARD.minWidth))),
		rows: Math.max(1, fit(height, MEETING_CARD.minHeight))
	};
}

/**
 * Splits groups into screens of at most `perScreen` cards. A bigger group is split evenly (10 on
 * screens of 9 become 5 and 5), so no screen is left with one lonely card. A group without
 * problems keeps its screen: “nothing open in 海港区” is news at a meeting too.
 */
export function meetingPages<T>(groups: MeetingGroup<T>[], perScreen: number): MeetingPage<T>[] {
	const size = Math.max(1, Math.floor(perScreen));
	return groups.flatMap((group) => {
		const parts = Math.max(1, Math.ceil(group.rows.length / size));
		const base = Math.floor(group.rows.length / parts);
		const extra = group.rows.length % parts;
		const pages: MeetingPage<T>[] = [];
		let start = 0;
		for (let part = 1; part <= parts; part++) {
			const end = start + base + (part <= extra ? 1 : 0);
			pages.push({
				key: group.key,
				title: group.title,
				part,
				parts,
				count: group.rows.length,
				rows: group.rows.slice(start, end)
			});
			start = end;
		}
		return pages;
	});
}

/**
 * The grid for `count` cards on a screen that holds `grid`: as few rows as the columns allow,
 * so the cards always span the whole width and get as tall (and their type as large) as the
 * screen lets them; 4 cards make two rows of two rather than a row of three and a lonely one.
 */
export function meetingLayout(count: number, grid: MeetingGrid): MeetingGrid {
	const rows = Math.min(grid.rows, Math.max(1, Math.ceil(count / grid.columns)));
	return { columns: Math.min(grid.columns, Math.max(1, Math.ceil(count / rows))), rows };
}

/** A progress note (进展) as a meeting reads it: the day in Shanghai, who wrote it, and what. */
export interface ProgressNote {
	day: string;
	by: string;
	text: string;
}

/**
 * The latest progress note of a problem, or null. Notes written apart on several devices are
 * merged in no particular order, so the latest is the one with the latest time, not the last.
 */
export function latestProgressNote(problem: Pick<Problem, 'log'>): ProgressNote | null {
	const time = (at: string) => {
		const ms = Date.parse(at);
		return Number.isNaN(ms) ? -Infinity : ms;
	};
	let latest: Problem['log'][number] | null = null;
	for (const entry of problem.log) {
		if (entry.kind !== 'note' || !entry.text.trim()) continue;
		if (!latest || time(entry.at) >= time(latest.at)) latest = entry;
	}
	return latest && { day: shanghaiDay(latest.at), by: latest.by, text: latest.text.trim() };
}
