import type { Closure, FileRef, LogEntry, Measure, Problem } from '../../src/lib/domain/problem.ts';

export type ChangeKind =
	| 'created'
	| 'deleted'
	| 'restored'
	| 'changed'
	| 'added'
	| 'removed'
	| 'ticked'
	| 'unticked'
	| 'edited';

/** One field-level change the server saw in a committed update. */
export interface FieldChange {
	/** Problem id; null for a change that is not a problem's (campaign doc). */
	problem: string | null;
	/** The problem's field (`title`, `due`, `measures`, …); '' for created/deleted/restored. */
	field: string;
	kind: ChangeKind;
	/**
	 * Display-ready text, clipped to VALUE_MAX characters; null when none. Choices (tier, status,
	 * focus, goal) keep their stored key so each reader can name them in its own language;
	 * yes/no fields are 'true'/'false'.
	 */
	old: string | null;
	new: string | null;
}

/** The longest old or new value kept in the record. */
export const VALUE_MAX = 500;

/** Fields whose values are compared whole and reported as 'changed'. */
const PLAIN_FIELDS = [
	'tier',
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
	'reopenCount'
] as const satisfies readonly (keyof Problem)[];

/** Fields people type into: many small updates, reported as 'edited' (and coalesced). */
const TYPED_FIELDS = ['title', 'description'] as const satisfies readonly (keyof Problem)[];

/**
 * Log entries that carry a person's own words, worth keeping in the record: progress notes
 * (进展情况) and guidance (指导督促) by their text, the reason given for an escalation, a return
 * or a reopening by its detail. Everything else in the log the diff already sees in the fields.
 */
const NOTE_FIELDS = new Map<string, { field: string; words: 'text' | 'detail' }>([
	['note', { field: 'log', words: 'text' }],
	['guidance', { field: 'guidance', words: 'text' }],
	['escalate', { field: 'reason', words: 'detail' }],
	['returned', { field: 'reason', words: 'detail' }],
	['reopened', { field: 'reason', words: 'detail' }]
]);

const SATISFACTION_LABELS: Record<Closure['satisfaction'], string> = {
	satisfied: '满意',
	basically: '基本满意',
	unsatisfied: '不满意'
};

/** Clips to VALUE_MAX characters (by code point, so no half surrogate pair); '' becomes null. */
export function clipValue(text: string): string | null {
	if (text === '') return null;
	const chars = Array.from(text);
	return chars.length <= VALUE_MAX ? text : chars.slice(0, VALUE_MAX - 1).join('') + '…';
}

function display(value: string | number | boolean | null): string | null {
	if (value === null) return null;
	return clipValue(String(value));
}

/**
 * What changed in one problem between two reads; before null = created, after null = removed
 * from the doc altogether. Skips `order` (moves inside a column; a tier change is recorded),
 * `updatedAt`, `createdAt`/`createdBy` and the log except new notes.
 */
export function problemChanges(
	id: string,
	before: Problem | null,
	after: Problem | null
): FieldChange[] {
	const change = (
		field: string,
		kind: ChangeKind,
		old: string | null,
		next: string | null
	): FieldChange => ({ problem: id, field, kind, old, new: next });
	if (!before && !after) return [];
	if (!before) {
		return [change('', 'created', null, clipValue(after!.title)), ...newNotes(id, [], after!.log)];
	}
	if (!after) return [change('', 'removed', clipValue(before.title), null)];

	const changes: FieldChange[] = [];
	if (before.deleted !== after.deleted) {
		changes.push(change('', after.deleted ? 'deleted' : 'restored', null, null));
	}
	for (const field of TYPED_FIELDS) {
		if (before[field] !== after[field]) {
			changes.push(change(field, 'edited', clipValue(before[field]), clipValue(after[field])));
		}
	}
	for (const field of PLAIN_FIELDS) {
		if (before[field] !== after[field]) {
			changes.push(change(field, 'changed', display(before[field]), display(after[field])));
		}
	}
	changes.push(...listChanges(id, 'coOwners', before.coOwners, after.coOwners));
	changes.push(...measureChanges(id, before.measures, after.measures));
	changes.push(...resolutionChanges(id, before, after));
	const oldClosure = closureText(before.closure);
	const newClosure = closureText(after.closure);
	if (oldClosure !== newClosure) {
		const kind = !before.closure ? 'added' : !after.closure ? 'removed' : 'changed';
		changes.push(change('closure', kind, clipValue(oldClosure), clipValue(newClosure)));
	}
	changes.push(...newNotes(id, before.log, after.log));
	return changes;
}

/** Items of a list of names (协办单位) that appeared or went, each on its own. */
function listChanges(id: string, field: string, before: string[], after: string[]): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const name of new Set(before)) {
		if (!after.includes(name)) {
			changes.push({ problem: id, field, kind: 'removed', old: clipValue(name), new: null });
		}
	}
	for (const name of new Set(after)) {
		if (!before.includes(name)) {
			changes.push({ problem: id, field, kind: 'added', old: null, new: clipValue(name) });
		}
	}
	return changes;
}

/** Measures compared by id: added, removed, text edited, ticked or unticked. */
function measureChanges(id: string, before: Measure[], after: Measure[]): FieldChange[] {
	const changes: FieldChange[] = [];
	const field = 'measures';
	const old = new Map(before.map((m) => [m.id, m]));
	const next = new Map(after.map((m) => [m.id, m]));
	for (const [key, m] of old) {
		if (!next.has(key)) {
			changes.push({ problem: id, field, kind: 'removed', old: clipValue(m.text), new: null });
		}
	}
	for (const [key, m] of next) {
		const was = old.get(key);
		if (!was) {
			changes.push({ problem: id, field, kind: 'added', old: null, new: clipValue(m.text) });
			if (m.done)
				changes.push({ problem: id, field, kind: 'ticked', old: null, new: clipValue(m.text) });
			continue;
		}
		if (was.text !== m.text) {
			changes.push({
				problem: id,
				field,
				kind: 'edited',
				old: clipValue(was.text),
				new: clipValue(m.text)
			});
		}
		if (was.done !== m.done) {
			const kind = m.done ? 'ticked' : 'unticked';
			changes.push({ problem: id, field, kind, old: null, new: clipValue(m.text) });
		}
	}
	return changes;
}

/** 解决情况: the result note as it is set, edited or taken back, and its evidence files. */
function resolutionChanges(id: string, before: Problem, after: Problem): FieldChange[] {
	const changes: FieldChange[] = [];
	const was = before.resolution;
	const now = after.resolution;
	if (!was && now) {
		changes.push({
			problem: id,
			field: 'resolution',
			kind: 'added',
			old: null,
			new: clipValue(now.note)
		});
	} else if (was && !now) {
		changes.push({
			problem: id,
			field: 'resolution',
			kind: 'removed',
			old: clipValue(was.note),
			new: null
		});
	} else if (was && now && was.note !== now.note) {
		changes.push({
			problem: id,
			field: 'resolution',
			kind: 'edited',
			old: clipValue(was.note),
			new: clipValue(now.note)
		});
	}
	const fileName = (f: FileRef) => `${f.name} (${f.sha256.slice(0, 12)})`;
	changes.push(
		...listChanges(
			id,
			'evidence',
			(was?.evidence ?? []).map(fileName),
			(now?.evidence ?? []).map(fileName)
		)
	);
	return changes;
}

/** 销号 in one line: date, verifier, satisfaction, follow-up. */
function closureText(closure: Closure | null): string {
	if (!closure) return '';
	return [
		closure.verifiedOn,
		closure.verifier,
		SATISFACTION_LABELS[closure.satisfaction],
		closure.followUp
	]
		.filter(Boolean)
		.join(' · ');
}

/**
 * Notes and reasons that appeared in the log. The log is append-only but concurrent appends
 * may interleave, so entries are matched as a multiset, not by position.
 */
function newNotes(id: string, before: LogEntry[], after: LogEntry[]): FieldChange[] {
	const key = (e: LogEntry) => JSON.stringify([e.at, e.by, e.kind, e.text, e.detail]);
	const seen = new Map<string, number>();
	for (const e of before) seen.set(key(e), (seen.get(key(e)) ?? 0) + 1);
	const changes: FieldChange[] = [];
	for (const e of after) {
		const k = key(e);
		const count = seen.get(k) ?? 0;
		if (count > 0) {
			seen.set(k, count - 1);
			continue;
		}
		const note = NOTE_FIELDS.get(e.kind);
		const words = note ? clipValue(e[note.words]) : null;
		if (note && words) {
			changes.push({ problem: id, field: note.field, kind: 'added', old: null, new: words });
		}
	}
	return changes;
}
