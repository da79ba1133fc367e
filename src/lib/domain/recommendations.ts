import * as Y from 'yjs';
import { newId, type Actor } from './mutate';
import {
	arrayOf,
	change,
	clip,
	eachRecord,
	readStrings,
	readText,
	recordMap,
	recordsOf,
	setStrings,
	spliceText,
	str,
	textOf,
	type RecordMap
} from './records';

export const RECOMMENDATION_STATUSES = ['drafting', 'submitted', 'adopted'] as const;
/** 起草中 / 已报送 / 已采纳 */
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];
export const isRecommendationStatus = (v: unknown): v is RecommendationStatus =>
	RECOMMENDATION_STATUSES.includes(v as RecommendationStatus);

/** A problem of some county's list, stored as `${county}/${problemId}`. */
export interface ProblemRef {
	county: string;
	problem: string;
}

/** A policy recommendation (对策建议) generalizing hard problems common to several counties. */
export interface Recommendation {
	id: string;
	title: string;
	summary: string;
	counties: string[];
	linkedProblems: ProblemRef[];
	status: RecommendationStatus;
	/** Whom it was sent to (e.g. 市委、省总工会). */
	submittedTo: string;
	createdAt: string;
	createdBy: string;
	updatedAt: string;
}

export const RECOMMENDATIONS = 'recommendations';
export const RECOMMENDATION_TITLE_MAX = 200;
export const SUMMARY_MAX = 20_000;

export const problemRefKey = (ref: ProblemRef) => `${ref.county}/${ref.problem}`;

export function parseProblemRef(key: string): ProblemRef | null {
	const slash = key.indexOf('/');
	if (slash <= 0 || slash === key.length - 1) return null;
	return { county: key.slice(0, slash), problem: key.slice(slash + 1) };
}

export function readRecommendation(id: string, map: RecordMap): Recommendation {
	const status = map.get('status');
	return {
		id,
		title: str(map.get('title'), RECOMMENDATION_TITLE_MAX) || id,
		summary: readText(map.get('summary')),
		counties: readStrings(map.get('counties')),
		linkedProblems: readStrings(map.get('linkedProblems'))
			.map(parseProblemRef)
			.filter((ref): ref is ProblemRef => ref !== null),
		status: isRecommendationStatus(status) ? status : 'drafting',
		submittedTo: str(map.get('submittedTo'), 200),
		createdAt: str(map.get('createdAt'), 40),
		createdBy: str(map.get('createdBy'), 100),
		updatedAt: str(map.get('updatedAt'), 40)
	};
}

/** Every recommendation, most recently changed first. */
export function readRecommendations(doc: Y.Doc): Recommendation[] {
	const result: Recommendation[] = [];
	eachRecord(doc, RECOMMENDATIONS, (map, id) => result.push(readRecommendation(id, map)));
	return result.sort(
		(a, b) =>
			(b.updatedAt || b.createdAt).localeCompare(a.updatedAt || a.createdAt) ||
			a.id.localeCompare(b.id)
	);
}

export interface NewRecommendation {
	title: string;
	summary?: string;
	counties?: string[];
}

export function createRecommendation(
	doc: Y.Doc,
	input: NewRecommendation,
	actor: Actor,
	now = new Date()
): string {
	const title = clip(input.title, RECOMMENDATION_TITLE_MAX);
	if (!title) throw new Error('a recommendation needs a title');
	const id = newId();
	change(doc, () => {
		const map = new Y.Map<unknown>();
		recordsOf(doc, RECOMMENDATIONS).set(id, map);
		map.set('title', title);
		map.set('summary', new Y.Text((input.summary ?? '').slice(0, SUMMARY_MAX)));
		map.set('counties', new Y.Array());
		map.set('linkedProblems', new Y.Array());
		setStrings(map, 'counties', input.counties ?? [], 100);
		map.set('status', 'drafting');
		map.set('submittedTo', '');
		map.set('createdAt', now.toISOString());
		map.set('createdBy', actor.name);
		map.set('updatedAt', now.toISOString());
	});
	return id;
}

export interface RecommendationFields {
	title: string;
	status: RecommendationStatus;
	submittedTo: string;
}

function edit(doc: Y.Doc, id: string, now: Date, fn: (map: RecordMap) => boolean) {
	change(doc, () => {
		const map = recordMap(doc, RECOMMENDATIONS, id);
		if (fn(map)) map.set('updatedAt', now.toISOString());
	});
}

export function updateRecommendation(
	doc: Y.Doc,
	id: string,
	patch: Partial<RecommendationFields>,
	now = new Date()
): void {
	edit(doc, id, now, (map) => {
		let changed = false;
		const set = (key: string, value: string) => {
			if (map.get(key) === value) return;
			map.set(key, value);
			changed = true;
		};
		if (patch.title !== undefined) {
			const title = clip(patch.title, RECOMMENDATION_TITLE_MAX);
			if (title) set('title', title);
		}
		if (patch.status !== undefined && isRecommendationStatus(patch.status)) {
			set('status', patch.status);
		}
		if (patch.submittedTo !== undefined) set('submittedTo', clip(patch.submittedTo, 200));
		return changed;
	});
}

export function editRecommendationSummary(
	doc: Y.Doc,
	id: string,
	next: string,
	now = new Date()
): void {
	edit(doc, id, now, (map) => spliceText(textOf(map, 'summary'), next.slice(0, SUMMARY_MAX)));
}

/**
 * Replaces the counties the recommendation speaks for. Problems of counties taken off the list
 * are unlinked with them.
 */
export function setRecommendationCounties(
	doc: Y.Doc,
	id: string,
	counties: string[],
	now = new Date()
): void {
	edit(doc, id, now, (map) => {
		const changed = setStrings(map, 'counties', counties, 100);
		const kept = readStrings(map.get('linkedProblems')).filter((key) => {
			const ref = parseProblemRef(key);
			return ref !== null && counties.includes(ref.county);
		});
		return setStrings(map, 'linkedProblems', kept, 200) || changed;
	});
}

/** Replaces which problems of one county are linked; the county joins if any are. */
export function setRecommendationProblems(
	doc: Y.Doc,
	id: string,
	county: string,
	problemIds: string[],
	now = new Date()
): void {
	edit(doc, id, now, (map) => {
		const others = readStrings(map.get('linkedProblems')).filter(
			(key) => parseProblemRef(key)?.county !== county
		);
		const mine = problemIds.map((problem) => problemRefKey({ county, problem }));
		const changed = setStrings(map, 'linkedProblems', [...others, ...mine], 200);
		const counties = arrayOf<string>(map, 'counties');
		if (mine.length > 0 && !counties.toArray().includes(county)) {
			counties.push([county]);
			return true;
		}
		return changed;
	});
}

export function removeRecommendation(doc: Y.Doc, id: string): void {
	change(doc, () => recordsOf(doc, RECOMMENDATIONS).delete(id));
}
