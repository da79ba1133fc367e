/**
 * Plain-text edits made against an older state of a shared text, carried onto its current state.
 * Used while an input method (IME) composes: nothing is written to the shared text until the
 * composition ends, and what others typed meanwhile must stay (issue 15, item 2).
 */

/** One step of a Yjs text delta (`Y.YTextEvent['delta']`), as far as plain text goes. */
export interface DeltaOp {
	retain?: number;
	insert?: string | object;
	delete?: number;
}

/** The single splice that turns `before` into `after`: common prefix and suffix kept. */
export interface Splice {
	index: number;
	remove: number;
	insert: string;
}

export function spliceBetween(before: string, after: string): Splice {
	let start = 0;
	const shorter = Math.min(before.length, after.length);
	while (start < shorter && before[start] === after[start]) start++;
	let end = 0;
	while (
		end < shorter - start &&
		before[before.length - 1 - end] === after[after.length - 1 - end]
	) {
		end++;
	}
	return {
		index: start,
		remove: before.length - start - end,
		insert: after.slice(start, after.length - end)
	};
}

/** Where a position in the text before `delta` is in the text after it. */
export function transformIndex(delta: readonly DeltaOp[], index: number): number {
	let at = 0;
	let result = index;
	for (const op of delta) {
		if (op.retain !== undefined) at += op.retain;
		else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			if (at < index) result += length;
		} else if (op.delete !== undefined) {
			if (at < index) result -= Math.min(op.delete, index - at);
			at += op.delete;
		}
		if (at >= index) break;
	}
	return Math.max(0, result);
}

/** Carries a position in the text before `deltas` through each of them. */
const through = (deltas: readonly (readonly DeltaOp[])[], index: number): number =>
	deltas.reduce((at, delta) => transformIndex(delta, at), index);

/**
 * The current text with the local edit (`base` → `edited`) applied where it now belongs, after
 * the remote `deltas` that turned `base` into `current`. Text the edit replaced that a remote
 * change deleted meanwhile is not removed twice; what others inserted stays.
 */
export function rebaseEdit(
	base: string,
	edited: string,
	current: string,
	deltas: readonly (readonly DeltaOp[])[]
): string {
	const splice = spliceBetween(base, edited);
	const from = Math.min(through(deltas, splice.index), current.length);
	const to = Math.min(
		Math.max(from, through(deltas, splice.index + splice.remove)),
		current.length
	);
	return current.slice(0, from) + splice.insert + current.slice(to);
}

/**
 * Where a caret at `caret` in `edited` belongs in the text `rebaseEdit` returns: inside or at the
 * end of the inserted text it keeps its place there; elsewhere it moves with the text around it,
 * others' changes included.
 */
export function rebaseCaret(
	base: string,
	edited: string,
	caret: number,
	deltas: readonly (readonly DeltaOp[])[]
): number {
	const splice = spliceBetween(base, edited);
	const insertedEnd = splice.index + splice.insert.length;
	if (caret < splice.index) return through(deltas, caret);
	if (caret <= insertedEnd) return through(deltas, splice.index) + (caret - splice.index);
	// After the edit: the same place in `base`, carried through the others' changes, then
	// shifted by what the edit added or removed before it.
	const inBase = caret - splice.insert.length + splice.remove;
	return through(deltas, inBase) + splice.insert.length - splice.remove;
}
