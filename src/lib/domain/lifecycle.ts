import * as Y from 'yjs';
import type { Role, Status, Tier } from './model';
import { appendLog, change, clip, problemMap, TEXT_MAX, touch, type Actor } from './mutate';
import {
	readProblem,
	SATISFACTIONS,
	type FileRef,
	type Problem,
	type ProblemMap,
	type Satisfaction
} from './problem';

/**
 * The way a problem goes from listed to closed (销号):
 * open → in-progress → resolved (with a result and evidence) → closed (verified by the city
 * union, with a follow-up check), and back: a resolved problem can be returned (退回), a closed
 * one reopened when it comes back (回潮). Every step is logged with who and when.
 */
export type Transition = 'start' | 'resolve' | 'return' | 'close' | 'reopen';

/** Only the city union (and administrators) verify and close problems. */
export const canVerify = (role: Role) => role === 'admin' || role === 'city';

/** What a person with `role` may do next with a problem in `status`. */
export function transitionsFor(status: Status, role: Role): Transition[] {
	if (role === 'viewer') return [];
	switch (status) {
		case 'open':
			return ['start', 'resolve'];
		case 'in-progress':
			return ['resolve'];
		case 'resolved':
			return canVerify(role) ? ['close', 'return'] : [];
		case 'closed':
			return canVerify(role) ? ['reopen'] : [];
	}
}

export class TransitionError extends Error {}

/**
 * Whether `actor` may change a problem in `status`. A closed problem (已销号) is the city union's
 * record: county users may read it but not edit, move or delete it; the city reopens it (回潮)
 * when it comes back.
 */
export const mayEdit = (status: Status, actor: Pick<Actor, 'role'>) =>
	status !== 'closed' || (actor.role !== undefined && canVerify(actor.role));

/** Throws unless `actor` may change the problem in `map` (see `mayEdit`). */
export function requireEditable(map: ProblemMap, actor: Pick<Actor, 'role'> | undefined) {
	const status = map.get('status');
	if (status === 'closed' && !mayEdit('closed', actor ?? {})) {
		throw new TransitionError('only the city union can change a closed problem');
	}
}

function requireStatus(problem: Problem, allowed: Status[], what: string) {
	if (!allowed.includes(problem.status)) {
		throw new TransitionError(`cannot ${what} a problem that is ${problem.status}`);
	}
}

function setStatus(
	map: Y.Map<unknown>,
	from: Status,
	to: Status,
	actor: Actor,
	now: Date,
	kind: string,
	detail = ''
) {
	map.set('status', to);
	appendLog(map, actor, kind, `${from}→${to}`, now, detail);
	touch(map, now);
}

export function startProblem(doc: Y.Doc, id: string, actor: Actor, now = new Date()): void {
	change(doc, () => {
		const map = problemMap(doc, id);
		const problem = readProblem(id, map);
		requireStatus(problem, ['open'], 'start');
		setStatus(map, problem.status, 'in-progress', actor, now, 'status');
	});
}

/** 已解决: the county or assignee reports the result; evidence files are optional. */
export function resolveProblem(
	doc: Y.Doc,
	id: string,
	input: { note: string; evidence?: FileRef[] },
	actor: Actor,
	now = new Date()
): void {
	const note = clip(input.note, TEXT_MAX);
	if (!note) throw new TransitionError('a resolution needs a result note');
	change(doc, () => {
		const map = problemMap(doc, id);
		const problem = readProblem(id, map);
		requireStatus(problem, ['open', 'in-progress'], 'resolve');
		const resolution = new Y.Map<unknown>();
		resolution.set('note', note);
		resolution.set('at', now.toISOString());
		resolution.set('by', actor.name);
		const evidence = new Y.Array<Y.Map<unknown>>();
		evidence.push((input.evidence ?? []).map((file) => new Y.Map<unknown>(Object.entries(file))));
		resolution.set('evidence', evidence);
		map.set('resolution', resolution);
		setStatus(map, problem.status, 'resolved', actor, now, 'resolved', note);
	});
}

/** 销号: verification by the city union, with the follow-up satisfaction check (回访满意度). */
export function closeProblem(
	doc: Y.Doc,
	id: string,
	input: {
		verifier: string;
		verifiedOn: string;
		satisfaction: Satisfaction | null;
		followUp: string;
	},
	actor: Actor & { role: Role },
	now = new Date()
): void {
	if (!canVerify(actor.role)) throw new TransitionError('only the city union can close problems');
	const verifier = clip(input.verifier, 200);
	if (!verifier) throw new TransitionError('closing needs the verifier');
	if (!/^\d{4}-\d{2}-\d{2}$/.test(input.verifiedOn)) {
		throw new TransitionError('closing needs the verification date');
	}
	// The follow-up visit (回访) is what the closure rests on: both its result and what was found.
	const satisfaction = input.satisfaction;
	if (!satisfaction || !SATISFACTIONS.includes(satisfaction)) {
		throw new TransitionError('closing needs the satisfaction found on the follow-up visit');
	}
	const followUp = clip(input.followUp, TEXT_MAX);
	if (!followUp) throw new TransitionError('closing needs what the follow-up visit found');
	change(doc, () => {
		const map = problemMap(doc, id);
		const problem = readProblem(id, map);
		requireStatus(problem, ['resolved'], 'close');
		const closure = new Y.Map<unknown>();
		closure.set('verifier', verifier);
		closure.set('verifiedOn', input.verifiedOn);
		closure.set('satisfaction', satisfaction);
		closure.set('followUp', followUp);
		closure.set('by', actor.name);
		closure.set('at', now.toISOString());
		map.set('closure', closure);
		setStatus(map, problem.status, 'closed', actor, now, 'closed', followUp);
	});
}

/**
 * Sends a problem back to work, with the city union's reason: from `resolved` when verification
 * found it not solved (退回, logged `returned`), from `closed` when it came back (回潮, logged
 * `reopened` and counted).
 */
function sendBack(
	doc: Y.Doc,
	id: string,
	reason: string,
	actor: Actor & { role: Role },
	now: Date,
	from: 'resolved' | 'closed'
): void {
	const verb = from === 'resolved' ? 'return' : 'reopen';
	const clean = clip(reason, TEXT_MAX);
	if (!canVerify(actor.role)) throw new TransitionError(`only the city union can ${verb} problems`);
	if (!clean)
		throw new TransitionError(`${verb === 'return' ? 'returning' : 'reopening'} needs a reason`);
	change(doc, () => {
		const map = problemMap(doc, id);
		const problem = readProblem(id, map);
		requireStatus(problem, [from], verb);
		if (from === 'closed') map.set('reopenCount', problem.reopenCount + 1);
		const kind = from === 'resolved' ? 'returned' : 'reopened';
		setStatus(map, problem.status, 'in-progress', actor, now, kind, clean);
	});
}

/** 退回: verification found the problem not solved; work goes on. */
export function returnProblem(
	doc: Y.Doc,
	id: string,
	reason: string,
	actor: Actor & { role: Role },
	now = new Date()
): void {
	sendBack(doc, id, reason, actor, now, 'resolved');
}

/** 回潮: a closed problem came back. It is reopened, never silently edited, and counted. */
export function reopenProblem(
	doc: Y.Doc,
	id: string,
	reason: string,
	actor: Actor & { role: Role },
	now = new Date()
): void {
	sendBack(doc, id, reason, actor, now, 'closed');
}

/** How serious a tier is: 县级自身 < 工会系统 < 党委政府. Unsorted is not a tier yet. */
const TIER_RANK: Record<Tier, number> = {
	unsorted: 0,
	'county-self': 1,
	'union-system': 2,
	'party-gov': 3
};

/**
 * A move between two of the three tiers is an escalation (or its reverse) and needs a reason;
 * placing an unsorted problem into a tier (triage) or back does not.
 */
export function needsEscalationReason(from: Tier, to: Tier): boolean {
	return from !== to && TIER_RANK[from] > 0 && TIER_RANK[to] > 0;
}

export const isEscalation = (from: Tier, to: Tier) =>
	needsEscalationReason(from, to) && TIER_RANK[to] > TIER_RANK[from];
