import * as Y from 'yjs';
import { newId, type Actor } from './mutate';
import { DATE_PATTERN } from './problem';
import {
	change,
	eachRecord,
	readText,
	recordMap,
	recordsOf,
	spliceText,
	str,
	textOf
} from './records';
import { parseSnapshot, type ReviewSnapshot } from './review-snapshot';
import { addDays } from './stats';

/**
 * Reviews (双月调度 / 季度小结 / 半年总结), kept in the campaign doc's `reviews` map: a kind, a
 * period, the snapshot frozen when it was made (a plain value, written once) and the written
 * parts people edit together (Y.Text): 总体情况, 进展成效, 存在问题, 下步打算.
 */

export const REVIEWS = 'reviews';
export const REVIEW_KINDS = ['bimonthly', 'quarterly', 'half-year'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const isReviewKind = (v: unknown): v is ReviewKind => REVIEW_KINDS.includes(v as ReviewKind);

export const REVIEW_SECTIONS = ['summary', 'progress', 'issues', 'nextSteps'] as const;
export type ReviewSection = (typeof REVIEW_SECTIONS)[number];
export const SECTION_MAX = 20_000;

export interface Review {
	id: string;
	kind: ReviewKind;
	start: string;
	end: string;
	/** Null when what is stored is not a snapshot this version can read. */
	snapshot: ReviewSnapshot | null;
	sections: Record<ReviewSection, string>;
	createdAt: string;
	createdBy: string;
}

export function readReview(id: string, map: Y.Map<unknown>): Review {
	const kind = map.get('kind');
	const date = (key: string) => {
		const value = str(map.get(key), 10);
		return DATE_PATTERN.test(value) ? value : '';
	};
	return {
		id,
		kind: isReviewKind(kind) ? kind : 'bimonthly',
		start: date('start'),
		end: date('end'),
		snapshot: parseSnapshot(map.get('snapshot')),
		sections: Object.fromEntries(
			REVIEW_SECTIONS.map((s) => [s, readText(map.get(s)).slice(0, SECTION_MAX)])
		) as Record<ReviewSection, string>,
		createdAt: str(map.get('createdAt'), 40),
		createdBy: str(map.get('createdBy'), 100)
	};
}

/** Every review in the order they follow each other: by period end, then by when made. */
export function readReviews(doc: Y.Doc): Review[] {
	const result: Review[] = [];
	eachRecord(doc, REVIEWS, (map, id) => result.push(readReview(id, map)));
	return result.sort(
		(a, b) =>
			a.end.localeCompare(b.end) ||
			a.createdAt.localeCompare(b.createdAt) ||
			a.id.localeCompare(b.id)
	);
}

/** The review a new one for a period ending on `end` is compared with: the latest before it. */
export function previousReview(reviews: Review[], end: string): Review | null {
	const earlier = reviews.filter((r) => r.snapshot && r.end && r.end <= end);
	return earlier.at(-1) ?? null;
}

const MONTHS: Record<ReviewKind, number> = { bimonthly: 2, quarterly: 3, 'half-year': 6 };

/**
 * The period a review of `kind` made on `today` covers by default: the two months (Jan–Feb,
 * Mar–Apr, …), quarter or half year that `today` falls in.
 */
export function defaultPeriod(kind: ReviewKind, today: string): { start: string; end: string } {
	const length = MONTHS[kind];
	const year = Number(today.slice(0, 4));
	const month = Number(today.slice(5, 7)) - 1;
	const first = month - (month % length);
	const start = new Date(Date.UTC(year, first, 1));
	const next = new Date(Date.UTC(year, first + length, 1));
	return {
		start: start.toISOString().slice(0, 10),
		end: addDays(next.toISOString().slice(0, 10), -1)
	};
}

export class ReviewError extends Error {}

export interface NewReview {
	kind: ReviewKind;
	start: string;
	end: string;
	snapshot: ReviewSnapshot;
	/** The drafted text of each section. */
	draft: Record<ReviewSection, string>;
}

/** Checks a review's kind and period; throws a ReviewError saying what is wrong. */
export function checkPeriod(kind: unknown, start: string, end: string): void {
	if (!isReviewKind(kind)) throw new ReviewError('unknown review kind');
	if (!DATE_PATTERN.test(start) || !DATE_PATTERN.test(end)) {
		throw new ReviewError('a review needs a start and an end date');
	}
	if (start > end) throw new ReviewError('the period ends before it starts');
}

/** Makes a review with its frozen snapshot and drafted text; returns its id. */
export function createReview(doc: Y.Doc, input: NewReview, actor: Actor, now = new Date()): string {
	checkPeriod(input.kind, input.start, input.end);
	const id = newId();
	// A deep copy, so nothing the caller keeps can reach what is stored.
	const snapshot = JSON.parse(JSON.stringify(input.snapshot)) as ReviewSnapshot;
	change(doc, () => {
		const map = new Y.Map<unknown>();
		recordsOf(doc, REVIEWS).set(id, map);
		map.set('kind', input.kind);
		map.set('start', input.start);
		map.set('end', input.end);
		map.set('snapshot', snapshot);
		for (const section of REVIEW_SECTIONS) {
			map.set(section, new Y.Text(input.draft[section].slice(0, SECTION_MAX)));
		}
		map.set('createdAt', now.toISOString());
		map.set('createdBy', actor.name);
	});
	return id;
}

/** Edits one written part; concurrent typing merges character by character. */
export function editReviewSection(
	doc: Y.Doc,
	id: string,
	section: ReviewSection,
	next: string
): void {
	change(doc, () => {
		spliceText(textOf(recordMap(doc, REVIEWS, id), section), next.slice(0, SECTION_MAX));
	});
}

export function removeReview(doc: Y.Doc, id: string): void {
	change(doc, () => recordsOf(doc, REVIEWS).delete(id));
}
