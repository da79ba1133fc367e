import { canVerify } from '../../src/lib/domain/lifecycle.ts';
import type { Role } from '../../src/lib/domain/model.ts';
import type { LogEntry } from '../../src/lib/domain/problem.ts';
export { canonicalJson } from '../../src/lib/domain/canonical-json.ts';

/**
 * Field rules: what a writer may change in a problem, judged on the EFFECT of an update — the
 * problem as it is on the server before, and as it would be after (guard.ts applies the update
 * to a scratch copy of the doc to find out). How an update is encoded (which origins its items
 * name, which content types hold the values, whether a problem's whole map is replaced, update
 * or sync step 2, V1 or V2, socket or file) does not matter: only what people would then see.
 *
 * Closing a problem (销号) and everything recorded with it belong to the city union and the
 * administrators (`canVerify`, as in the domain's `closeProblem`). For anyone else:
 * - a problem's status may not become or stop being `closed`;
 * - its `closure` and `reopenCount` may not change;
 * - a closed problem may not change at all, nor be deleted (soft or hard);
 * - a deleted problem may not be restored (restoring is the city's, from the bin).
 * For everyone: a problem's history log is append-only, and a new entry names its writer.
 */

/**
 * Close code for a refused update (shared with the client in src/lib/sync/protocol.ts): the
 * writer may write this doc, but not this change. Nothing of the update is stored, applied or
 * relayed; what was saved before stays.
 */
export { CLOSE_FORBIDDEN_CHANGE } from '../../src/lib/sync/protocol.ts';

/** A writer's update broke a field rule; its message (≤ 123 bytes) is the close reason. */
export class FieldRuleError extends Error {}

/** Who writes: the account the server knows, never the client's word. */
export interface Writer {
	username: string;
	displayName: string;
	role: Role;
}

/** A problem as the rules see it: the raw value (canonical JSON) and the fields they read. */
export interface ProblemView {
	/** Canonical JSON of the whole problem map (keys sorted), for "did anything change". */
	raw: string;
	status: unknown;
	/** Canonical JSON of the closure value, '' when there is none. */
	closure: string;
	reopenCount: unknown;
	deleted: boolean;
	log: LogEntry[];
}

function refuse(what: string): never {
	throw new FieldRuleError(`only city users and administrators may ${what}`);
}

/** Throws a FieldRuleError when changing `before` into `after` is not the writer's to do. */
export function checkProblemChange(
	writer: Writer,
	before: ProblemView | null,
	after: ProblemView | null,
	options: { attributeLog: boolean }
): void {
	if (!canVerify(writer.role)) {
		const wasClosed = before?.status === 'closed';
		const isClosed = after?.status === 'closed';
		if (!wasClosed && isClosed) refuse('close a problem');
		if (wasClosed && after === null) refuse('remove a closed problem');
		if (wasClosed && !isClosed) refuse('reopen a closed problem');
		if ((before?.closure ?? '') !== (after?.closure ?? '')) {
			refuse('write the closure of a problem');
		}
		if ((before?.reopenCount ?? null) !== (after?.reopenCount ?? null)) {
			refuse('reopen a closed problem');
		}
		if (wasClosed && before.raw !== after?.raw) {
			if (after?.deleted) refuse('delete a closed problem');
			refuse('change a closed problem');
		}
		if (before?.deleted && after && !after.deleted) refuse('restore a deleted problem');
	}
	checkLog(writer, before?.log ?? [], after?.log ?? [], options.attributeLog);
}

/**
 * The history log only grows: every entry that was there stays, in order, unchanged; each new
 * entry names the writer (display name or username) when `attribute` is set.
 */
function checkLog(writer: Writer, before: LogEntry[], after: LogEntry[], attribute: boolean) {
	let kept = 0;
	const added: LogEntry[] = [];
	for (const entry of after) {
		if (kept < before.length && sameEntry(before[kept]!, entry)) kept++;
		else added.push(entry);
	}
	if (kept < before.length) {
		throw new FieldRuleError('the history of a problem can only grow');
	}
	if (!attribute) return;
	for (const entry of added) {
		if (entry.by !== writer.displayName && entry.by !== writer.username) {
			throw new FieldRuleError('a history entry must name the account that writes it');
		}
	}
}

const sameEntry = (a: LogEntry, b: LogEntry): boolean =>
	a.at === b.at && a.by === b.by && a.kind === b.kind && a.text === b.text && a.detail === b.detail;
