import * as Y from 'yjs';

/** The fields of a visit whose changes its history names. */
export const VISIT_FIELDS = [
	'date',
	'mode',
	'leader',
	'participants',
	'topics',
	'summary'
] as const;
export type VisitField = (typeof VISIT_FIELDS)[number];

/**
 * One field's change, as stored values: a date `YYYY-MM-DD`, a mode key, names, topic keys joined
 * by commas. The notes are a shared text edited in place, so their change is named without them.
 */
export interface VisitFieldChange {
	field: VisitField;
	from: string;
	to: string;
}

export const VISIT_CHANGE_KINDS = ['created', 'edited', 'deleted', 'restored'] as const;
export type VisitChangeKind = (typeof VISIT_CHANGE_KINDS)[number];

/** One line of a visit's history: who did what, when. */
export interface VisitChange {
	at: string;
	by: string;
	kind: VisitChangeKind;
	/** What an edit changed (empty for the other kinds). */
	changes: VisitFieldChange[];
}

const HISTORY = 'history';
const VALUE_MAX = 500;

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
const isField = (v: unknown): v is VisitField => VISIT_FIELDS.includes(v as VisitField);
const isKind = (v: unknown): v is VisitChangeKind =>
	VISIT_CHANGE_KINDS.includes(v as VisitChangeKind);

/** A new visit's history, made with it so that clients editing it later all append to one array. */
export function newVisitHistory(): Y.Array<Y.Map<unknown>> {
	return new Y.Array<Y.Map<unknown>>();
}

/** Appends one line to a visit's history (inside the transaction that makes the change). */
export function appendVisitHistory(
	visit: Y.Map<unknown>,
	by: string,
	kind: Exclude<VisitChangeKind, 'created'>,
	now: Date,
	changes: VisitFieldChange[] = []
): void {
	let history = visit.get(HISTORY);
	// Visits recorded before histories were kept get theirs with their first change.
	if (!(history instanceof Y.Array)) visit.set(HISTORY, (history = newVisitHistory()));
	const entry = new Y.Map<unknown>();
	entry.set('at', now.toISOString());
	entry.set('by', by);
	entry.set('kind', kind);
	if (changes.length) {
		entry.set(
			'changes',
			changes.map((c) => ({
				field: c.field,
				from: c.from.slice(0, VALUE_MAX),
				to: c.to.slice(0, VALUE_MAX)
			}))
		);
	}
	(history as Y.Array<Y.Map<unknown>>).push([entry]);
}

function readChanges(v: unknown): VisitFieldChange[] {
	if (!Array.isArray(v)) return [];
	const result: VisitFieldChange[] = [];
	for (const c of v as unknown[]) {
		if (typeof c !== 'object' || c === null) continue;
		const { field, from, to } = c as Record<string, unknown>;
		if (isField(field)) result.push({ field, from: str(from, VALUE_MAX), to: str(to, VALUE_MAX) });
	}
	return result;
}

/**
 * A visit's history, oldest first: its recording (from createdAt/createdBy), then the stored
 * lines. Lines another client wrote are read defensively; unknown kinds are left out.
 */
export function readVisitHistory(visit: Y.Map<unknown>): VisitChange[] {
	const result: VisitChange[] = [];
	const createdAt = str(visit.get('createdAt'), 40);
	if (createdAt) {
		result.push({
			at: createdAt,
			by: str(visit.get('createdBy'), 100),
			kind: 'created',
			changes: []
		});
	}
	const history = visit.get(HISTORY);
	if (!(history instanceof Y.Array)) return result;
	history.forEach((entry: unknown) => {
		if (!(entry instanceof Y.Map)) return;
		const kind = entry.get('kind');
		if (!isKind(kind) || kind === 'created') return;
		result.push({
			at: str(entry.get('at'), 40),
			by: str(entry.get('by'), 100),
			kind,
			changes: readChanges(entry.get('changes'))
		});
	});
	// Appends made apart merge in an order of their own; a history reads in the order of time.
	return result.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
