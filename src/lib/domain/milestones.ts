import * as Y from 'yjs';
import { newId } from './mutate';
import { DATE_PATTERN } from './problem';
import { addDays } from './stats';
import { change, clip, eachRecord, recordMap, recordsOf, str } from './records';

export const MILESTONE_KINDS = ['report', 'review', 'other'] as const;
/** 报送 (a report due) / 调度·小结·总结 (a review) / anything else on the campaign calendar. */
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
export const isMilestoneKind = (v: unknown): v is MilestoneKind =>
	MILESTONE_KINDS.includes(v as MilestoneKind);

/** A dated step of the campaign; `county` is empty when it concerns every county. */
export interface Milestone {
	id: string;
	title: string;
	date: string;
	kind: MilestoneKind;
	county: string;
}

export const MILESTONES = 'milestones';
export const MILESTONE_TITLE_MAX = 200;
/** How far ahead the reminder looks. */
export const REMINDER_DAYS = 7;

/** Every milestone with a valid date, earliest first. */
export function readMilestones(doc: Y.Doc): Milestone[] {
	const result: Milestone[] = [];
	eachRecord(doc, MILESTONES, (map, id) => {
		const date = str(map.get('date'), 10);
		if (!DATE_PATTERN.test(date)) return;
		const kind = map.get('kind');
		result.push({
			id,
			title: str(map.get('title'), MILESTONE_TITLE_MAX) || id,
			date,
			kind: isMilestoneKind(kind) ? kind : 'other',
			county: str(map.get('county'), 100)
		});
	});
	return result.sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/** Milestones due from today to `days` days ahead; with `county`, only that county's and everyone's. */
export function upcomingMilestones(
	milestones: Milestone[],
	today: string,
	county: string | null = null,
	days = REMINDER_DAYS
): Milestone[] {
	const until = addDays(today, days);
	return milestones.filter(
		(m) => m.date >= today && m.date <= until && (!county || !m.county || m.county === county)
	);
}

/** Whole days from `today` to `date` (0 = today). */
export function daysUntil(date: string, today: string): number {
	return Math.round(
		(Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000
	);
}

/** Groups milestones (already sorted) by month, `YYYY-MM`, for the calendar list. */
export function byMonth(milestones: Milestone[]): [string, Milestone[]][] {
	const months = new Map<string, Milestone[]>();
	for (const m of milestones) {
		const key = m.date.slice(0, 7);
		const list = months.get(key);
		if (list) list.push(m);
		else months.set(key, [m]);
	}
	return [...months];
}

export interface MilestoneInput {
	title: string;
	date: string;
	kind: MilestoneKind;
	county?: string;
}

function checkDate(date: string) {
	if (!DATE_PATTERN.test(date)) throw new Error('a milestone needs a date, YYYY-MM-DD');
}

export function addMilestone(doc: Y.Doc, input: MilestoneInput): string {
	const title = clip(input.title, MILESTONE_TITLE_MAX);
	if (!title) throw new Error('a milestone needs a title');
	checkDate(input.date);
	const id = newId();
	change(doc, () => {
		const map = new Y.Map<unknown>();
		recordsOf(doc, MILESTONES).set(id, map);
		map.set('title', title);
		map.set('date', input.date);
		map.set('kind', isMilestoneKind(input.kind) ? input.kind : 'other');
		if (input.county) map.set('county', input.county);
	});
	return id;
}

export function updateMilestone(doc: Y.Doc, id: string, patch: Partial<MilestoneInput>): void {
	if (patch.date !== undefined) checkDate(patch.date);
	change(doc, () => {
		const map = recordMap(doc, MILESTONES, id);
		if (patch.title !== undefined) {
			const title = clip(patch.title, MILESTONE_TITLE_MAX);
			if (title && title !== map.get('title')) map.set('title', title);
		}
		if (patch.date !== undefined && patch.date !== map.get('date')) map.set('date', patch.date);
		if (patch.kind !== undefined && isMilestoneKind(patch.kind) && patch.kind !== map.get('kind')) {
			map.set('kind', patch.kind);
		}
		if (patch.county !== undefined) {
			if (patch.county) map.set('county', patch.county);
			else map.delete('county');
		}
	});
}

export function removeMilestone(doc: Y.Doc, id: string): void {
	change(doc, () => recordsOf(doc, MILESTONES).delete(id));
}
