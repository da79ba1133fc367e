import * as Y from 'yjs';
import type { Focus, Goal, Status, Tier } from './model';
import {
	appendLog,
	change,
	clip,
	newId,
	problemMap,
	spliceText,
	TEXT_MAX,
	TITLE_MAX,
	touch,
	type Actor
} from './mutate';
import { canVerify, needsEscalationReason, requireEditable, TransitionError } from './lifecycle';
import { keyAfter, planPlacement, type Ordered } from './order';
import { columnOrder, problemsOf, readProblem, type ProblemMap } from './problem';

export { LOCAL_ORIGIN, newId, TEXT_MAX, TITLE_MAX, type Actor } from './mutate';

/*
 * Every command that changes a problem refuses a closed one (已销号) unless the actor verifies
 * (city or admin): see `requireEditable`. The commands that log no actor take one as their last
 * argument for that check; without it a closed problem is refused.
 */

const mayClose = (actor: Actor) => actor.role !== undefined && canVerify(actor.role);

export interface NewProblem {
	title: string;
	tier?: Tier;
	description?: string;
	focus?: Focus;
	visit?: string;
	/** 联系领导: the visit's leader for a problem found on a visit, else the county's paired leader. */
	leader?: string;
}

/**
 * Lists a new problem (逐项列出) at the end of its column; returns its id. `column` is that
 * column's current order when the caller keeps it (the board does); otherwise it is read from the
 * doc, which walks every problem.
 */
export function createProblem(
	doc: Y.Doc,
	input: NewProblem,
	actor: Actor,
	now = new Date(),
	column?: readonly Ordered[]
): string {
	const title = clip(input.title, TITLE_MAX);
	if (!title) throw new Error('a problem needs a title');
	const tier = input.tier ?? 'unsorted';
	const id = newId();
	change(doc, () => {
		const last = (column ?? columnOrder(doc, tier)).at(-1);
		const map = new Y.Map<unknown>();
		problemsOf(doc).set(id, map);
		map.set('title', title);
		map.set('description', new Y.Text(input.description ?? ''));
		map.set('tier', tier);
		map.set('status', 'open');
		map.set('order', keyAfter(last?.order ?? null));
		map.set('focus', input.focus ?? 'other');
		map.set('measures', new Y.Array());
		map.set('coOwners', new Y.Array());
		map.set('owner', '');
		map.set('assignee', '');
		map.set('leader', clip(input.leader ?? '', TEXT_MAX));
		map.set('due', '');
		if (input.visit) map.set('visit', input.visit);
		map.set('createdAt', now.toISOString());
		map.set('createdBy', actor.name);
		touch(map, now);
		appendLog(map, actor, 'created', '', now);
	});
	return id;
}

/** The plain fields of a problem a person edits in the detail panel. */
export interface ProblemFields {
	title: string;
	status: Status;
	focus: Focus;
	goal: Goal | null;
	owner: string;
	assignee: string;
	assigneePhone: string;
	leader: string;
	due: string;
	reportedTo: string;
	reportedOn: string;
	onAgenda: boolean;
	coordinators: string;
	staff: number | null;
	funds: number | null;
	materials: string;
}

/**
 * Changes plain fields; status changes are logged. Tier changes go through moveProblem. Setting
 * or leaving `closed` belongs to those who verify (see closeProblem and reopenProblem).
 */
export function updateProblem(
	doc: Y.Doc,
	id: string,
	patch: Partial<ProblemFields>,
	actor: Actor,
	now = new Date()
): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		const before = readProblem(id, map);
		if (patch.status === 'closed' && before.status !== 'closed' && !mayClose(actor)) {
			throw new TransitionError('only the city union can close problems');
		}
		let changed = false;
		for (const [key, raw] of Object.entries(patch) as [keyof ProblemFields, unknown][]) {
			const value =
				key === 'title'
					? clip(String(raw), TITLE_MAX)
					: typeof raw === 'string'
						? clip(raw, TEXT_MAX)
						: raw;
			if (key === 'title' && !value) continue;
			if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) continue;
			if (before[key] === value) continue;
			if (value === null) map.delete(key);
			else map.set(key, value);
			changed = true;
			if (key === 'status') appendLog(map, actor, 'status', `${before.status}→${value}`, now);
		}
		if (changed) touch(map, now);
	});
}

/**
 * Moves a problem to `index` of column `tier` (drag and drop, keyboard, or the tier field).
 * A change of tier is logged: placing an unsorted problem is triage (`tier`), a move between
 * two of the three tiers is an escalation or its reverse (`escalate`, with the reason the
 * person gave), so reports can count how many problems needed Party and government help.
 * `column` is the target column's current order (live problems, sorted) when the caller keeps
 * it, as the board does: reading it from the doc walks every problem, tens of milliseconds on a
 * board of 10,000 cards.
 */
export function moveProblem(
	doc: Y.Doc,
	id: string,
	tier: Tier,
	index: number,
	actor: Actor,
	now = new Date(),
	reason = '',
	column?: readonly Ordered[]
): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		const before = readProblem(id, map);
		for (const [movedId, key] of planPlacement(column ?? columnOrder(doc, tier), id, index)) {
			problemMap(doc, movedId).set('order', key);
		}
		if (before.tier !== tier) {
			map.set('tier', tier);
			const kind = needsEscalationReason(before.tier, tier) ? 'escalate' : 'tier';
			appendLog(map, actor, kind, `${before.tier}→${tier}`, now, clip(reason, TEXT_MAX));
		}
		touch(map, now);
	});
}

/**
 * Deleting moves the problem to the board's bin (回收站): it keeps the problem (and any edit made
 * concurrently) so that it can be restored. A closed problem cannot be deleted but by the city.
 */
export function deleteProblem(doc: Y.Doc, id: string, actor: Actor, now = new Date()): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		map.set('deletedAt', now.toISOString());
		map.set('deletedBy', actor.name);
		appendLog(map, actor, 'deleted', '', now);
	});
}

/** Takes a problem out of the bin; only the city union and administrators restore. */
export function restoreProblem(doc: Y.Doc, id: string, actor: Actor, now = new Date()): void {
	if (!mayClose(actor)) throw new TransitionError('only the city union can restore problems');
	change(doc, () => {
		const map = problemMap(doc, id);
		map.delete('deletedAt');
		map.delete('deletedBy');
		appendLog(map, actor, 'restored', '', now);
		touch(map, now);
	});
}

function textOf(map: ProblemMap): Y.Text {
	let text = map.get('description');
	if (!(text instanceof Y.Text)) {
		text = new Y.Text(typeof text === 'string' ? text : '');
		map.set('description', text);
	}
	return text as Y.Text;
}

/**
 * Applies an edited description as the smallest splice against the shared text, so that
 * concurrent typing elsewhere in the text merges character by character.
 */
export function editDescription(
	doc: Y.Doc,
	id: string,
	next: string,
	now = new Date(),
	actor?: Actor
): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		if (spliceText(textOf(map), next)) touch(map, now);
	});
}

function measuresOf(map: ProblemMap): Y.Array<Y.Map<unknown>> {
	let measures = map.get('measures');
	if (!(measures instanceof Y.Array)) {
		measures = new Y.Array<Y.Map<unknown>>();
		map.set('measures', measures);
	}
	return measures as Y.Array<Y.Map<unknown>>;
}

function findMeasure(map: ProblemMap, measureId: string): Y.Map<unknown> {
	const found = measuresOf(map)
		.toArray()
		.find((m) => m instanceof Y.Map && m.get('id') === measureId);
	if (!found) throw new Error(`measure ${measureId} not found`);
	return found;
}

/** Adds a concrete measure (具体举措) at the end of the checklist; returns its id. */
export function addMeasure(
	doc: Y.Doc,
	id: string,
	text: string,
	now = new Date(),
	actor?: Actor
): string {
	const clean = clip(text, TEXT_MAX);
	if (!clean) throw new Error('a measure needs text');
	const measureId = newId();
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		const measure = new Y.Map<unknown>();
		measure.set('id', measureId);
		measure.set('text', clean);
		measure.set('done', false);
		measuresOf(map).push([measure]);
		touch(map, now);
	});
	return measureId;
}

export function setMeasureDone(
	doc: Y.Doc,
	id: string,
	measureId: string,
	done: boolean,
	now = new Date(),
	actor?: Actor
): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		findMeasure(map, measureId).set('done', done);
		touch(map, now);
	});
}

export function editMeasure(
	doc: Y.Doc,
	id: string,
	measureId: string,
	text: string,
	now = new Date(),
	actor?: Actor
): void {
	const clean = clip(text, TEXT_MAX);
	if (!clean) return;
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		findMeasure(map, measureId).set('text', clean);
		touch(map, now);
	});
}

export function removeMeasure(
	doc: Y.Doc,
	id: string,
	measureId: string,
	now = new Date(),
	actor?: Actor
): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		const measures = measuresOf(map);
		const index = measures
			.toArray()
			.findIndex((m) => m instanceof Y.Map && m.get('id') === measureId);
		if (index >= 0) measures.delete(index, 1);
		touch(map, now);
	});
}

/** Replaces the co-operating units (协办单位) with the given list. */
export function setCoOwners(
	doc: Y.Doc,
	id: string,
	units: string[],
	now = new Date(),
	actor?: Actor
): void {
	const clean = [...new Set(units.map((u) => clip(u, 200)).filter(Boolean))];
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		let list = map.get('coOwners');
		if (!(list instanceof Y.Array)) {
			list = new Y.Array<string>();
			map.set('coOwners', list);
		}
		const arr = list as Y.Array<string>;
		if (JSON.stringify(arr.toArray()) === JSON.stringify(clean)) return;
		arr.delete(0, arr.length);
		arr.push(clean);
		touch(map, now);
	});
}

/**
 * Appends a progress note (进展情况) to the problem's log, or with kind `guidance` a note of the
 * upper union's guidance and supervision (指导督促) on a problem the county solves itself.
 */
export function addProgressNote(
	doc: Y.Doc,
	id: string,
	text: string,
	actor: Actor,
	now = new Date(),
	kind: 'note' | 'guidance' = 'note'
): void {
	const clean = clip(text, TEXT_MAX);
	if (!clean) return;
	change(doc, () => {
		const map = problemMap(doc, id);
		requireEditable(map, actor);
		appendLog(map, actor, kind, clean, now);
		touch(map, now);
	});
}
