import * as Y from 'yjs';
import { LOCAL_ORIGIN } from '$lib/domain/commands';

/** How close together edits must be to undo as one step (typing a sentence, not each key). */
const CAPTURE_MS = 600;

/**
 * Undo and redo of this person's own changes to a board, never a collaborator's: Y.UndoManager
 * tracks only transactions made with LOCAL_ORIGIN. One drag or one field change is one step.
 */
export class UndoState {
	readonly #manager: Y.UndoManager;
	#canUndo = $state(false);
	#canRedo = $state(false);
	readonly #refresh = () => {
		this.#canUndo = this.#manager.canUndo();
		this.#canRedo = this.#manager.canRedo();
	};

	constructor(scope: ConstructorParameters<typeof Y.UndoManager>[0]) {
		this.#manager = new Y.UndoManager(scope, {
			trackedOrigins: new Set([LOCAL_ORIGIN]),
			captureTimeout: CAPTURE_MS
		});
		this.#manager.on('stack-item-added', this.#refresh);
		this.#manager.on('stack-item-popped', this.#refresh);
		this.#manager.on('stack-cleared', this.#refresh);
	}

	get canUndo() {
		return this.#canUndo;
	}

	get canRedo() {
		return this.#canRedo;
	}

	undo() {
		this.#manager.undo();
	}

	redo() {
		this.#manager.redo();
	}

	/** Ends the current step, so the next change is undone on its own. */
	stopCapturing() {
		this.#manager.stopCapturing();
	}

	destroy() {
		this.#manager.destroy();
	}
}
