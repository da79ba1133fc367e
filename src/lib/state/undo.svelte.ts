import type * as Y from 'yjs';
import { LOCAL_ORIGIN, type Actor } from '$lib/domain/commands';
import { RecordUndo, type UndoRefusal } from '$lib/domain/undo-rules';

/** How close together edits must be to undo as one step (typing a sentence, not each key). */
const CAPTURE_MS = 600;

/**
 * Undo and redo of this person's own changes to a board, never a collaborator's: the undo
 * manager tracks only transactions made with LOCAL_ORIGIN. One drag or one field change is one
 * step. Steps the record's rules refuse (a problem closed or deleted meanwhile) are dropped and
 * the reason returned, so the caller can say why.
 */
export class UndoState {
	readonly #undo: RecordUndo;
	#canUndo = $state(false);
	#canRedo = $state(false);
	readonly #refresh = () => {
		this.#canUndo = this.#undo.manager.canUndo();
		this.#canRedo = this.#undo.manager.canRedo();
	};

	constructor(doc: Y.Doc, actor: Actor) {
		this.#undo = new RecordUndo(doc, actor, {
			trackedOrigins: new Set([LOCAL_ORIGIN]),
			captureTimeout: CAPTURE_MS
		});
		const manager = this.#undo.manager;
		manager.on('stack-item-added', this.#refresh);
		manager.on('stack-item-popped', this.#refresh);
		manager.on('stack-cleared', this.#refresh);
	}

	get canUndo() {
		return this.#canUndo;
	}

	get canRedo() {
		return this.#canRedo;
	}

	undo(): UndoRefusal {
		const refusal = this.#undo.run('undo');
		this.#refresh();
		return refusal;
	}

	redo(): UndoRefusal {
		const refusal = this.#undo.run('redo');
		this.#refresh();
		return refusal;
	}

	/** Ends the current step, so the next change is undone on its own. */
	stopCapturing() {
		this.#undo.manager.stopCapturing();
	}

	destroy() {
		this.#undo.destroy();
	}
}
