import * as Y from 'yjs';
import type { County } from './campaign';
import { isFocus, VISIT_MODES, type Focus, type VisitMode } from './model';
import { change, clip, newId, TEXT_MAX } from './mutate';
import { DATE_PATTERN } from './problem';

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

/** The seed: each city leader visits the paired county union at least twice a year. */
export const REQUIRED_VISITS = 2;

export const visitsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('visits');

const str = (v: unknown, max = TEXT_MAX) => (typeof v === 'string' ? v.slice(0, max) : '');

export function readVisit(id: string, map: Y.Map<unknown>): Visit {
	const mode = map.get('mode');
	const topics = map.get('topics');
	const summary = map.get('summary');
	const date = str(map.get('date'), 10);
	return {
		id,
		county: str(map.get('county'), 100),
		date: DATE_PATTERN.test(date) ? date : '',
		mode: VISIT_MODES.includes(mode as VisitMode) ? (mode as VisitMode) : 'on-site',
		leader: str(map.get('leader'), 100),
		participants: str(map.get('participants'), 500),
		topics: topics instanceof Y.Array ? topics.toArray().filter(isFocus) : [],
		summary: summary instanceof Y.Text ? summary.toString() : str(summary),
		createdBy: str(map.get('createdBy'), 100)
	};
}

/** Every visit of a campaign doc, newest first. */
export function readVisits(doc: Y.Doc): Visit[] {
	const result: Visit[] = [];
	visitsOf(doc).forEach((map, id) => {
		if (map instanceof Y.Map && typeof map.get('deletedAt') !== 'string') {
			result.push(readVisit(id, map));
		}
	});
	return result.sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
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
	});
	return id;
}

/** Changes a visit's plain fields (the notes are a shared text edited in place). */
export function updateVisit(doc: Y.Doc, id: string, input: VisitInput): void {
	check(input);
	change(doc, () => {
		const map = visitsOf(doc).get(id);
		if (!(map instanceof Y.Map)) throw new VisitError(`visit ${id} not found`);
		map.set('county', input.county);
		map.set('date', input.date);
		map.set('mode', input.mode);
		map.set('leader', clip(input.leader, 100));
		map.set('participants', clip(input.participants, 500));
		const before = readVisit(id, map).topics;
		if (before.join() !== input.topics.join()) map.set('topics', Y.Array.from(input.topics));
	});
}

export function deleteVisit(doc: Y.Doc, id: string, now = new Date()): void {
	change(doc, () => {
		visitsOf(doc).get(id)?.set('deletedAt', now.toISOString());
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
