import * as Y from 'yjs';
import type { County } from './campaign';
import { isFocus, VISIT_MODES, type Focus, type VisitMode } from './model';
import { change, clip, newId, spliceText, TEXT_MAX } from './mutate';
import { DATE_PATTERN } from './problem';
import {
	appendVisitHistory,
	newVisitHistory,
	readVisitHistory,
	type VisitChange,
	type VisitFieldChange
} from './visit-history';

/** A research visit (调查研究) of a city leader to a county union. */
export interface Visit {
	id: string;
	county: string;
	date: string;
	mode: VisitMode;
	leader: string;
	participants: string;
	topics: Focus[];
	summary: string;
	createdBy: string;
	createdAt?: string;
	/** When it was deleted: hidden from lists and counts, and restorable. Absent while it stands. */
	deletedAt?: string;
	/** Who changed what and when, oldest first (as read from the doc). */
	history?: VisitChange[];
}

export interface VisitInput {
	county: string;
	date: string;
	mode: VisitMode;
	leader: string;
	participants: string;
	topics: Focus[];
	summary?: string;
}

/**
 * The fields an edit may change. A visit stays with its county: the problems it found are on
 * that county's board and name it as their source.
 */
export type VisitPatch = Partial<Omit<VisitInput, 'county'>>;

/** The seed: each city leader visits the paired county union at least twice a year. */
export const REQUIRED_VISITS = 2;

export const visitsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('visits');

const str = (v: unknown, max = TEXT_MAX) => (typeof v === 'string' ? v.slice(0, max) : '');

export function readVisit(id: string, map: Y.Map<unknown>): Visit {
	const mode = map.get('mode');
	const topics = map.get('topics');
	const summary = map.get('summary');
	const date = str(map.get('date'), 10);
	const createdAt = str(map.get('createdAt'), 40);
	const deletedAt = map.get('deletedAt');
	return {
		id,
		county: str(map.get('county'), 100),
		date: DATE_PATTERN.test(date) ? date : '',
		mode: VISIT_MODES.includes(mode as VisitMode) ? (mode as VisitMode) : 'on-site',
		leader: str(map.get('leader'), 100),
		participants: str(map.get('participants'), 500),
		topics: topics instanceof Y.Array ? topics.toArray().filter(isFocus) : [],
		summary: summary instanceof Y.Text ? summary.toString() : str(summary),
		createdBy: str(map.get('createdBy'), 100),
		...(createdAt ? { createdAt } : {}),
		...(typeof deletedAt === 'string' ? { deletedAt: deletedAt.slice(0, 40) } : {}),
		history: readVisitHistory(map)
	};
}

const newestFirst = (a: Visit, b: Visit) =>
	b.date.localeCompare(a.date) || a.id.localeCompare(b.id);

/** Every visit of a campaign doc, deleted ones too, newest first. */
export function readAllVisits(doc: Y.Doc): Visit[] {
	const result: Visit[] = [];
	visitsOf(doc).forEach((map, id) => {
		if (map instanceof Y.Map) result.push(readVisit(id, map));
	});
	return result.sort(newestFirst);
}

/** The visits of a campaign doc that stand (not deleted), newest first. */
export function readVisits(doc: Y.Doc): Visit[] {
	return readAllVisits(doc).filter((v) => v.deletedAt === undefined);
}

export class VisitError extends Error {}

function check(input: VisitInput) {
	if (!input.county) throw new VisitError('a visit needs a county');
	if (!DATE_PATTERN.test(input.date)) throw new VisitError('a visit needs a date');
	if (!VISIT_MODES.includes(input.mode)) throw new VisitError('unknown visit mode');
	if (!clip(input.leader, 100)) throw new VisitError('a visit needs the leader who made it');
}

/** Records a visit (county, date, mode, leader, participants, themes, notes); returns its id. */
export function recordVisit(doc: Y.Doc, input: VisitInput, by: string, now = new Date()): string {
	check(input);
	const id = newId();
	change(doc, () => {
		const map = new Y.Map<unknown>();
		visitsOf(doc).set(id, map);
		map.set('county', input.county);
		map.set('date', input.date);
		map.set('mode', input.mode);
		map.set('leader', clip(input.leader, 100));
		map.set('participants', clip(input.participants, 500));
		map.set('topics', Y.Array.from(input.topics.filter(isFocus)));
		map.set('summary', new Y.Text(clip(input.summary ?? '', TEXT_MAX)));
		map.set('createdBy', by);
		map.set('createdAt', now.toISOString());
		map.set('history', newVisitHistory());
	});
	return id;
}

function visitMap(doc: Y.Doc, id: string): Y.Map<unknown> {
	const map = visitsOf(doc).get(id);
	if (!(map instanceof Y.Map)) throw new VisitError(`visit ${id} not found`);
	return map;
}

/** What a person changed in the form: the fields whose saved value differs from the opened one. */
export function visitEdits(opened: VisitInput, saved: VisitInput): VisitPatch {
	const patch: VisitPatch = {};
	if (saved.date !== opened.date) patch.date = saved.date;
	if (saved.mode !== opened.mode) patch.mode = saved.mode;
	if (clip(saved.leader, 100) !== clip(opened.leader, 100)) patch.leader = saved.leader;
	if (clip(saved.participants, 500) !== clip(opened.participants, 500)) {
		patch.participants = saved.participants;
	}
	if ([...saved.topics].sort().join() !== [...opened.topics].sort().join()) {
		patch.topics = saved.topics;
	}
	if ((saved.summary ?? '').trim() !== (opened.summary ?? '').trim()) patch.summary = saved.summary;
	return patch;
}

/**
 * Changes the given fields of a visit and records in its history who changed what; fields left
 * out keep what others may have written meanwhile. Nothing is written when nothing differs.
 */
export function updateVisit(
	doc: Y.Doc,
	id: string,
	patch: VisitPatch,
	by: string,
	now = new Date()
): void {
	const map = visitMap(doc, id);
	const before = readVisit(id, map);
	const after = {
		county: before.county,
		date: patch.date ?? before.date,
		mode: patch.mode ?? before.mode,
		leader: patch.leader === undefined ? before.leader : clip(patch.leader, 100),
		participants:
			patch.participants === undefined ? before.participants : clip(patch.participants, 500),
		topics: patch.topics === undefined ? before.topics : patch.topics.filter(isFocus),
		summary: patch.summary === undefined ? before.summary : clip(patch.summary, TEXT_MAX)
	};
	check(after);
	const changes: VisitFieldChange[] = [];
	const note = (field: VisitFieldChange['field'], from: string, to: string) => {
		if (from !== to) changes.push({ field, from, to });
		return from !== to;
	};
	change(doc, () => {
		if (note('date', before.date, after.date)) map.set('date', after.date);
		if (note('mode', before.mode, after.mode)) map.set('mode', after.mode);
		if (note('leader', before.leader, after.leader)) map.set('leader', after.leader);
		if (note('participants', before.participants, after.participants)) {
			map.set('participants', after.participants);
		}
		// Topics are a set: ticking them in another order changes nothing.
		if (note('topics', [...before.topics].sort().join(), [...after.topics].sort().join())) {
			map.set('topics', Y.Array.from(after.topics));
		}
		if (before.summary !== after.summary) {
			const summary = map.get('summary');
			if (summary instanceof Y.Text) spliceText(summary, after.summary);
			else map.set('summary', new Y.Text(after.summary));
			changes.push({ field: 'summary', from: '', to: '' });
		}
		if (changes.length) appendVisitHistory(map, by, 'edited', now, changes);
	});
}

/** Deletes a visit: hidden from lists and counts, kept restorable; its problems stay on their boards. */
export function deleteVisit(doc: Y.Doc, id: string, by: string, now = new Date()): void {
	const map = visitMap(doc, id);
	if (typeof map.get('deletedAt') === 'string') return;
	change(doc, () => {
		map.set('deletedAt', now.toISOString());
		appendVisitHistory(map, by, 'deleted', now);
	});
}

/** Brings a deleted visit back into lists and counts. */
export function restoreVisit(doc: Y.Doc, id: string, by: string, now = new Date()): void {
	const map = visitMap(doc, id);
	if (!map.has('deletedAt')) return;
	change(doc, () => {
		map.delete('deletedAt');
		appendVisitHistory(map, by, 'restored', now);
	});
}

export type ComplianceState = 'done' | 'on-track' | 'short' | 'province';

export interface Compliance {
	county: string;
	leader: string;
	/** Visits by the paired leader within the period, in any mode. */
	done: number;
	/**
	 * Of those, made on site (实地); the rest by video call or phone, which the plan accepts when
	 * epidemic rules keep leaders away, so both are shown.
	 */
	onSite: number;
	required: number;
	state: ComplianceState;
	/** The last day the missing visits can still be made. */
	deadline: string;
}

/**
 * Whether each paired leader makes the required visits in [start, end]: done, on track (time
 * left for the rest, at most one visit due per half of the period), or short (behind, with the
 * deadline). Province-paired counties are the province union's to visit.
 */
export function visitCompliance(
	counties: County[],
	visits: Visit[],
	period: { start: string; end: string },
	today: string
): Compliance[] {
	// The campaign's dates arrive with its doc; until then there is nothing to judge.
	if (!DATE_PATTERN.test(period.start) || !DATE_PATTERN.test(period.end)) return [];
	const midpoint = middleOf(period.start, period.end);
	return counties.map((county) => {
		const counted = visits.filter(
			(v) =>
				v.deletedAt === undefined &&
				v.county === county.id &&
				v.leader === county.leader &&
				v.date >= period.start &&
				v.date <= period.end
		);
		const done = counted.length;
		const onSite = counted.filter((v) => v.mode === 'on-site').length;
		let state: ComplianceState;
		if (county.pairedBy === 'province') state = 'province';
		else if (done >= REQUIRED_VISITS) state = 'done';
		else if (today > period.end) state = 'short';
		// One visit in each half of the period keeps a leader on track.
		else state = done >= 1 || today <= midpoint ? 'on-track' : 'short';
		return {
			county: county.id,
			leader: county.leader,
			done,
			onSite,
			required: REQUIRED_VISITS,
			state,
			deadline: period.end
		};
	});
}

function middleOf(start: string, end: string): string {
	const a = Date.parse(`${start}T00:00:00Z`);
	const b = Date.parse(`${end}T00:00:00Z`);
	return new Date(a + (b - a) / 2).toISOString().slice(0, 10);
}
