import * as Y from 'yjs';
import { newId, type Actor } from './mutate';
import { isGoal, type Goal } from './model';
import {
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
	textOf
} from './records';

/** A good practice (好经验、好做法) of a county, written up from the problems it solved. */
export interface Practice {
	id: string;
	title: string;
	county: string;
	description: string;
	/** Ids of problems in the county's own problem list. */
	linkedProblems: string[];
	tags: string[];
	goal: Goal | null;
	/** 可复制可推广: worth spreading to the other counties. */
	replicable: boolean;
	createdAt: string;
	createdBy: string;
}

export const PRACTICES = 'practices';
export const PRACTICE_TITLE_MAX = 200;
export const DESCRIPTION_MAX = 20_000;

export function readPractice(id: string, map: Y.Map<unknown>): Practice {
	const goal = map.get('goal');
	return {
		id,
		title: str(map.get('title'), PRACTICE_TITLE_MAX) || id,
		county: str(map.get('county'), 100),
		description: readText(map.get('description')),
		linkedProblems: readStrings(map.get('linkedProblems')),
		tags: readStrings(map.get('tags')),
		goal: isGoal(goal) ? goal : null,
		replicable: map.get('replicable') === true,
		createdAt: str(map.get('createdAt'), 40),
		createdBy: str(map.get('createdBy'), 100)
	};
}

/** Every practice, newest first. */
export function readPractices(doc: Y.Doc): Practice[] {
	const result: Practice[] = [];
	eachRecord(doc, PRACTICES, (map, id) => result.push(readPractice(id, map)));
	return result.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

export interface NewPractice {
	title: string;
	county: string;
	description?: string;
	goal?: Goal | null;
	tags?: string[];
	linkedProblems?: string[];
}

export function createPractice(
	doc: Y.Doc,
	input: NewPractice,
	actor: Actor,
	now = new Date()
): string {
	const title = clip(input.title, PRACTICE_TITLE_MAX);
	if (!title) throw new Error('a practice needs a title');
	if (!input.county) throw new Error('a practice belongs to a county');
	const id = newId();
	change(doc, () => {
		const map = new Y.Map<unknown>();
		recordsOf(doc, PRACTICES).set(id, map);
		map.set('title', title);
		map.set('county', input.county);
		map.set('description', new Y.Text((input.description ?? '').slice(0, DESCRIPTION_MAX)));
		map.set('linkedProblems', new Y.Array());
		map.set('tags', new Y.Array());
		setStrings(map, 'linkedProblems', input.linkedProblems ?? [], 100);
		setStrings(map, 'tags', input.tags ?? [], 50);
		if (input.goal && isGoal(input.goal)) map.set('goal', input.goal);
		map.set('replicable', false);
		map.set('createdAt', now.toISOString());
		map.set('createdBy', actor.name);
	});
	return id;
}

export interface PracticeFields {
	title: string;
	county: string;
	goal: Goal | null;
	replicable: boolean;
}

/**
 * Changes plain fields. Moving a practice to another county unlinks its problems: they belong to
 * the old county's list.
 */
export function updatePractice(doc: Y.Doc, id: string, patch: Partial<PracticeFields>): void {
	change(doc, () => {
		const map = recordMap(doc, PRACTICES, id);
		const before = readPractice(id, map);
		if (patch.title !== undefined) {
			const title = clip(patch.title, PRACTICE_TITLE_MAX);
			if (title && title !== before.title) map.set('title', title);
		}
		if (patch.county && patch.county !== before.county) {
			map.set('county', patch.county);
			setStrings(map, 'linkedProblems', []);
		}
		if (patch.goal !== undefined && patch.goal !== before.goal) {
			if (patch.goal === null) map.delete('goal');
			else if (isGoal(patch.goal)) map.set('goal', patch.goal);
		}
		if (patch.replicable !== undefined && patch.replicable !== before.replicable) {
			map.set('replicable', patch.replicable);
		}
	});
}

export function editPracticeDescription(doc: Y.Doc, id: string, next: string): void {
	change(doc, () => {
		spliceText(
			textOf(recordMap(doc, PRACTICES, id), 'description'),
			next.slice(0, DESCRIPTION_MAX)
		);
	});
}

export function setPracticeTags(doc: Y.Doc, id: string, tags: string[]): void {
	change(doc, () => setStrings(recordMap(doc, PRACTICES, id), 'tags', tags, 50));
}

/** Replaces the linked problems (ids in the practice's county). */
export function setPracticeProblems(doc: Y.Doc, id: string, problemIds: string[]): void {
	change(doc, () => setStrings(recordMap(doc, PRACTICES, id), 'linkedProblems', problemIds, 100));
}

export function removePractice(doc: Y.Doc, id: string): void {
	change(doc, () => recordsOf(doc, PRACTICES).delete(id));
}
