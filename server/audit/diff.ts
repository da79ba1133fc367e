import type { Problem } from '../../src/lib/domain/problem.ts';

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

/** One field-level change of a committed update, as the audit trail keeps it. */
export interface FieldChange {
	problem: string | null;
	field: string;
	kind: ChangeKind;
	old: string | null;
	new: string | null;
}

/** What changed in one problem between two reads; before null = created, after null = removed. */
export function problemChanges(
	id: string,
	before: Problem | null,
	after: Problem | null
): FieldChange[] {
	if (!before && after)
		return [{ problem: id, field: '', kind: 'created', old: null, new: after.title }];
	if (before && !after)
		return [{ problem: id, field: '', kind: 'removed', old: before.title, new: null }];
	return [];
}
