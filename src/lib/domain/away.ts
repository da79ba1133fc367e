import { isTier } from './model';
import type { Problem } from './problem';

/**
 * "While you were away" (离线期间): what others changed on a board while this device was apart,
 * and which of our own changes met a concurrent change, with how Yjs resolved it.
 *
 * Works on four plain readings of the problems: `base` when we went apart, `ours` (base plus our
 * changes), `theirs` (base plus the changes that came in from the server) and `after` (merged).
 */
export interface AwayStates {
	base: readonly Problem[];
	ours: readonly Problem[];
	theirs: readonly Problem[];
	after: readonly Problem[];
	/**
	 * Per problem, the keys others set whose value is lost to us: the server had already replaced
	 * it with our concurrent value when it answered (Yjs keeps no content of replaced values).
	 */
	unknown?: Readonly<Record<string, readonly string[]>>;
	/**
	 * Per problem and key, the name of whoever set the value others changed, where known (their
	 * device is online now). Names a change that writes no history line.
	 */
	writers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export const CHANGE_KINDS = ['created', 'moved', 'closed', 'edited', 'deleted'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One problem others changed. `by` holds the names their history entries carry (may be empty). */
export interface OtherChange {
	id: string;
	title: string;
	kinds: ChangeKind[];
	by: string[];
	/** Left out of the board now (deleted), so there is no card to link to. */
	gone: boolean;
}

/** How many problems one person changed, per kind; `name` is '' for changes without a history line. */
export interface PersonChanges {
	name: string;
	counts: Record<ChangeKind, number>;
}

/** Fields of a problem a conflict can be about (plain values: last writer by client id wins). */
export type ConflictField = Exclude<
	keyof Problem,
	'id' | 'log' | 'createdAt' | 'createdBy' | 'updatedAt' | 'order' | 'reopenCount'
>;

/**
 * One problem both sides changed while apart.
 * - `moved`: both moved it; `ours`/`theirs`/`final` are tiers.
 * - `field`: both set the same field; the final value is one of the two, `winner` says whose.
 * - `merged`: both edited a text or list that merges (description, measures, co-owners): both kept.
 * - `deleted`: one side deleted it while the other edited it; the edits are kept with it.
 */
export interface AwayConflict {
	id: string;
	title: string;
	kind: 'moved' | 'field' | 'merged' | 'deleted';
	/** The field both set; null for a delete that met an edit. */
	field: ConflictField | 'tier' | null;
	ours: string;
	theirs: string;
	final: string;
	winner: 'ours' | 'theirs' | 'both';
	/** Their value is not known (see AwayStates.unknown); `theirs` is then ''. */
	theirsUnknown: boolean;
	/** Who on the other side (from their history lines), if known. */
	by: string[];
	gone: boolean;
}

export interface AwaySummary {
	others: OtherChange[];
	people: PersonChanges[];
	/** Problems we changed while apart (now merged with everyone's). */
	ours: number;
	conflicts: AwayConflict[];
}

const PLAIN_FIELDS: readonly ConflictField[] = [
	'title',
	'status',
	'focus',
	'goal',
	'owner',
	'assignee',
	'assigneePhone',
	'leader',
	'due',
	'visit',
	'reportedTo',
	'reportedOn',
	'onAgenda',
	'coordinators',
	'staff',
	'funds',
	'materials',
	'resolution',
	'closure'
];
/** Shared texts and lists: concurrent edits are merged, both sides kept. */
const MERGED_FIELDS: readonly ConflictField[] = ['description', 'measures', 'coOwners'];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** How a value reads in a summary line. */
function shown(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value);
}

/** Moved: to another tier, or to another place in its column by a move of this very card. */
function moved(from: Problem, to: Problem): boolean {
	return from.tier !== to.tier || (from.order !== to.order && from.updatedAt !== to.updatedAt);
}

function fieldsChanged(from: Problem, to: Problem): ConflictField[] {
	return [...PLAIN_FIELDS, ...MERGED_FIELDS].filter((f) => !same(from[f], to[f]));
}

/** Whether anything a person would call a change happened to the problem. */
function changed(from: Problem, to: Problem): boolean {
	return (
		moved(from, to) ||
		from.deleted !== to.deleted ||
		fieldsChanged(from, to).length > 0 ||
		to.log.length > from.log.length
	);
}

function kindsOf(from: Problem | undefined, to: Problem): ChangeKind[] {
	if (!from) return to.deleted ? [] : ['created'];
	const kinds: ChangeKind[] = [];
	if (to.deleted && !from.deleted) return ['deleted'];
	if (moved(from, to)) kinds.push('moved');
	if (to.status === 'closed' && from.status !== 'closed') kinds.push('closed');
	const lifecycle: ConflictField[] = kinds.includes('closed')
		? ['status', 'closure', 'resolution']
		: ['status'];
	const others = fieldsChanged(from, to).filter((f) => !lifecycle.includes(f));
	const notes = to.log.length > from.log.length && kinds.length === 0;
	if (others.length > 0 || notes || (from.deleted && !to.deleted)) kinds.push('edited');
	if (kinds.length === 0 && from.status !== to.status) kinds.push('edited');
	return kinds;
}

/** Kinds of change a lost value still shows: they moved the card, or they edited it. */
function withLostKinds(kinds: ChangeKind[], lost: readonly string[]): ChangeKind[] {
	if (kinds.includes('deleted')) return kinds;
	const result = [...kinds];
	if (lost.some((k) => k === 'tier') && !result.includes('moved')) result.push('moved');
	const edited = lost.some((k) => k !== 'tier' && k !== 'order' && k !== 'updatedAt');
	if ((edited || result.length === 0) && lost.length > 0 && !result.includes('edited')) {
		result.push('edited');
	}
	return result;
}

/** Names on the history lines one side added. */
function authors(from: Problem | undefined, to: Problem): string[] {
	const added = to.log.slice(from?.log.length ?? 0);
	return [...new Set(added.map((e) => e.by).filter(Boolean))];
}

/** Their reading with the tier their last move logged, when the tier value itself was lost. */
function withLoggedTier(before: Problem | undefined, their: Problem | undefined) {
	if (!their) return their;
	const moves = their.log
		.slice(before?.log.length ?? 0)
		.filter((e) => e.kind === 'tier' || e.kind === 'escalate');
	const to = moves.at(-1)?.text.split('→')[1];
	return isTier(to) ? { ...their, tier: to } : their;
}

const byId = (list: readonly Problem[]) => new Map(list.map((p) => [p.id, p]));

function conflictsOf(
	base: Problem,
	ours: Problem,
	theirs: Problem,
	after: Problem,
	by: string[],
	unknown: readonly string[],
	written: Readonly<Record<string, string>>
): AwayConflict[] {
	const common = {
		id: after.id,
		title: after.title,
		by,
		gone: after.deleted,
		theirsUnknown: false
	};
	const ourDelete = ours.deleted && !base.deleted;
	const theirDelete = theirs.deleted && !base.deleted;
	if (ourDelete !== theirDelete) {
		const editor = ourDelete ? theirs : ours;
		const edited = moved(base, editor) || fieldsChanged(base, editor).length > 0;
		if (!edited) return [];
		return [
			{
				...common,
				kind: 'deleted',
				field: null,
				ours: ourDelete ? 'deleted' : 'edited',
				theirs: theirDelete ? 'deleted' : 'edited',
				final: after.deleted ? 'deleted' : 'kept',
				winner: 'both'
			}
		];
	}
	const result: AwayConflict[] = [];
	if (moved(base, ours) && (moved(base, theirs) || unknown.includes('tier'))) {
		result.push({
			...common,
			kind: 'moved',
			field: 'tier',
			ours: ours.tier,
			theirs: theirs.tier,
			final: after.tier,
			winner: ours.tier === theirs.tier ? 'both' : after.tier === ours.tier ? 'ours' : 'theirs'
		});
	}
	const theirFields = new Set(fieldsChanged(base, theirs));
	for (const field of fieldsChanged(base, ours)) {
		const lost = unknown.includes(field);
		if (!lost && (!theirFields.has(field) || same(ours[field], theirs[field]))) continue;
		const merged = MERGED_FIELDS.includes(field);
		result.push({
			...common,
			by: written[field] ? [written[field]] : by,
			kind: merged ? 'merged' : 'field',
			field,
			ours: shown(ours[field]),
			theirs: lost ? '' : shown(theirs[field]),
			final: shown(after[field]),
			winner: merged ? 'both' : same(after[field], ours[field]) ? 'ours' : 'theirs',
			theirsUnknown: lost && !merged
		});
	}
	return result;
}

/** The summary of a catch-up; empty lists when nothing happened on either side. */
export function summarizeAway(states: AwayStates): AwaySummary {
	const base = byId(states.base);
	const ours = byId(states.ours);
	const theirs = byId(states.theirs);
	const after = byId(states.after);
	const others: OtherChange[] = [];
	const conflicts: AwayConflict[] = [];
	const people = new Map<string, Record<ChangeKind, number>>();
	let ourCount = 0;

	for (const [id, now] of after) {
		const before = base.get(id);
		const mine = ours.get(id);
		if (mine && (!before || changed(before, mine))) ourCount++;
		const unknown = states.unknown?.[id] ?? [];
		const their = unknown.includes('tier')
			? withLoggedTier(before, theirs.get(id))
			: theirs.get(id);
		if (!their || (before && !changed(before, their) && unknown.length === 0)) continue;
		const written = states.writers?.[id] ?? {};
		const logged = authors(before, their);
		const by = logged.length > 0 ? logged : [...new Set(Object.values(written))];
		const kinds = withLostKinds(kindsOf(before, their), before ? unknown : []);
		if (kinds.length > 0) {
			others.push({ id, title: now.title, kinds, by, gone: now.deleted });
			for (const name of by.length > 0 ? by : ['']) {
				const counts = people.get(name) ?? {
					created: 0,
					moved: 0,
					closed: 0,
					edited: 0,
					deleted: 0
				};
				for (const kind of kinds) counts[kind]++;
				people.set(name, counts);
			}
		}
		if (before && mine && changed(before, mine)) {
			conflicts.push(...conflictsOf(before, mine, their, now, by, unknown, written));
		}
	}
	return {
		others,
		people: [...people].map(([name, counts]) => ({ name, counts })),
		ours: ourCount,
		conflicts
	};
}

/** True when the summary has nothing worth showing. */
export const isEmptySummary = (s: AwaySummary) =>
	s.others.length === 0 && s.conflicts.length === 0 && s.ours === 0;

/** One summary of two catch-ups in a row (a report not yet dismissed, then another). */
export function mergeSummaries(earlier: AwaySummary, later: AwaySummary): AwaySummary {
	const others = new Map(earlier.others.map((c) => [c.id, c]));
	for (const change of later.others) {
		const before = others.get(change.id);
		others.set(
			change.id,
			before
				? {
						...change,
						kinds: [...new Set([...before.kinds, ...change.kinds])],
						by: [...new Set([...before.by, ...change.by])]
					}
				: change
		);
	}
	const people = new Map<string, Record<ChangeKind, number>>();
	for (const { name, counts } of [...earlier.people, ...later.people]) {
		const sum = people.get(name) ?? { created: 0, moved: 0, closed: 0, edited: 0, deleted: 0 };
		for (const kind of CHANGE_KINDS) sum[kind] += counts[kind];
		people.set(name, sum);
	}
	return {
		others: [...others.values()],
		people: [...people].map(([name, counts]) => ({ name, counts })),
		ours: earlier.ours + later.ours,
		conflicts: [...earlier.conflicts, ...later.conflicts]
	};
}
