import * as Y from 'yjs';
import { deleteProblem, type Actor } from './commands';
import { canVerify, mayEdit } from './lifecycle';
import { problemsOf } from './problem';

/**
 * What undo and redo may do to the record. Y.UndoManager reverts a step item by item: left to
 * itself it would take back history entries (the log only grows, and the server refuses a
 * shrinking one), erase a problem it created outright (no bin, no trace), put back a problem a
 * county user deleted (restoring is the city's) or change a problem the city has closed
 * meanwhile. The server refuses each of those (4403) and the board would stop syncing, so undo
 * checks the step before it runs and reverts only what the person may revert.
 */

/** Why a step cannot be undone (or redone); null when it can. */
export type UndoRefusal = 'closed' | 'deleted' | null;

type StackItem = Y.UndoManager['undoStack'][number];

/** The problem a struct belongs to: its id under the board's problems map, or null. */
function problemIdOf(item: Y.Item, problems: object): string | null {
	let current: Y.Item | null = item;
	while (current) {
		const parent = current.parent as Y.AbstractType<unknown> | null;
		if (!parent || !(parent instanceof Y.AbstractType)) return null;
		if (parent === problems) return current.parentSub;
		current = parent._item;
	}
	return null;
}

/** Whether a struct is part of some problem's history log: the log, an entry, or an entry's field. */
function isInLog(item: Y.Item): boolean {
	let current: Y.Item | null = item;
	while (current) {
		if (current.parentSub === 'log') return true;
		const parent = current.parent as Y.AbstractType<unknown> | null;
		if (!parent || !(parent instanceof Y.AbstractType)) return false;
		current = parent._item;
	}
	return false;
}

/** The problems a step touches: what it inserted (undo deletes it) and deleted (undo restores it). */
export function problemsOfStep(doc: Y.Doc, step: StackItem): Set<string> {
	const problems = problemsOf(doc);
	const ids = new Set<string>();
	// Reading only: an origin no UndoManager tracks, and no change, so no update is sent.
	doc.transact((tr) => {
		for (const ds of [step.insertions, step.deletions]) {
			Y.iterateDeletedStructs(tr, ds, (struct) => {
				if (!(struct instanceof Y.Item)) return;
				const id = problemIdOf(struct, problems);
				if (id !== null) ids.add(id);
			});
		}
	}, READING);
	return ids;
}

/** Problems a step created (their entry in the problems map is among its insertions). */
function problemsCreatedBy(doc: Y.Doc, step: StackItem): Set<string> {
	const problems = problemsOf(doc);
	const ids = new Set<string>();
	doc.transact((tr) => {
		Y.iterateDeletedStructs(tr, step.insertions, (struct) => {
			if (struct instanceof Y.Item && struct.parent === problems && struct.parentSub) {
				ids.add(struct.parentSub);
			}
		});
	}, READING);
	return ids;
}

const READING = Object.freeze({ qingdan: 'undo-check' });

/** Whether `actor` may revert a step touching these problems, as the board holds them now. */
export function judgeStep(doc: Y.Doc, ids: Iterable<string>, actor: Actor): UndoRefusal {
	const problems = problemsOf(doc);
	for (const id of ids) {
		const map = problems.get(id);
		if (!(map instanceof Y.Map)) continue;
		if (map.get('status') === 'closed' && !mayEdit('closed', actor)) return 'closed';
		if (map.get('deletedAt') && !(actor.role && canVerify(actor.role))) return 'deleted';
	}
	return null;
}

/**
 * A Y.UndoManager that keeps to the record's rules: history entries are never taken back, a
 * problem the step created is moved to the bin (with its content, and a log entry) instead of
 * being erased, and a step touching a problem the person may no longer change is refused.
 */
export class RecordUndo {
	readonly manager: Y.UndoManager;
	readonly #doc: Y.Doc;
	readonly #actor: Actor;
	/** Problems the step being reverted created: kept whole, then moved to the bin. */
	#created = new Set<string>();

	constructor(
		doc: Y.Doc,
		actor: Actor,
		options: { trackedOrigins: Set<unknown>; captureTimeout: number }
	) {
		this.#doc = doc;
		this.#actor = actor;
		const problems = problemsOf(doc);
		this.manager = new Y.UndoManager(problems, {
			...options,
			deleteFilter: (item) => {
				if (isInLog(item)) return false;
				const id = problemIdOf(item, problems);
				return id === null || !this.#created.has(id);
			}
		});
	}

	/** Why the next undo would be refused, or null. */
	check(kind: 'undo' | 'redo'): UndoRefusal {
		const stack = kind === 'undo' ? this.manager.undoStack : this.manager.redoStack;
		const step = stack.at(-1);
		if (!step) return null;
		return judgeStep(this.#doc, problemsOfStep(this.#doc, step), this.#actor);
	}

	/**
	 * Reverts the last step (or re-applies it) unless the rules refuse it; a refused step is
	 * dropped from the stack (it can never become allowed by undoing further) and its reason
	 * returned.
	 */
	run(kind: 'undo' | 'redo'): UndoRefusal {
		const stack = kind === 'undo' ? this.manager.undoStack : this.manager.redoStack;
		const step = stack.at(-1);
		if (!step) return null;
		const refusal = this.check(kind);
		if (refusal) {
			stack.pop();
			return refusal;
		}
		this.#created = problemsCreatedBy(this.#doc, step);
		try {
			if (kind === 'undo') this.manager.undo();
			else this.manager.redo();
		} finally {
			const created = [...this.#created];
			this.#created = new Set();
			// Taking back a creation: the problem goes to the bin, where the city can restore it.
			for (const id of created) {
				const map = problemsOf(this.#doc).get(id);
				if (map instanceof Y.Map && !map.get('deletedAt'))
					deleteProblem(this.#doc, id, this.#actor);
			}
		}
		return null;
	}

	destroy(): void {
		this.manager.destroy();
	}
}
