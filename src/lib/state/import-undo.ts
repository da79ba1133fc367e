import type * as Y from 'yjs';
import { LOCAL_ORIGIN, type Actor } from '$lib/domain/commands';
import { RecordUndo, type UndoRefusal } from '$lib/domain/undo-rules';

/** Undoes one import in every county doc it wrote to; `dispose` when the offer to undo ends. */
export interface ImportUndo {
	/** Null when every doc was reverted; else why a doc's part could not be (it is kept). */
	undo(): UndoRefusal;
	dispose(): void;
}

/**
 * Runs `write` (one transaction per doc) and records exactly those transactions, so that undo
 * reverts the import and nothing the person or anyone else does afterwards. Undo keeps to the
 * record's rules (see RecordUndo): problems the import created go to the bin, history stays.
 */
export function recordImport(docs: Y.Doc[], actor: Actor, write: () => void): ImportUndo {
	const undos = docs.map(
		(doc) =>
			new RecordUndo(doc, actor, {
				trackedOrigins: new Set([LOCAL_ORIGIN]),
				captureTimeout: 0
			})
	);
	const dispose = () => {
		for (const undo of undos) undo.destroy();
		undos.length = 0;
	};
	try {
		write();
	} catch (error) {
		dispose();
		throw error;
	}
	for (const undo of undos) undo.manager.trackedOrigins.clear();
	return {
		undo() {
			let refusal: UndoRefusal = null;
			for (const undo of undos) {
				while (undo.manager.canUndo()) refusal = undo.run('undo') ?? refusal;
			}
			dispose();
			return refusal;
		},
		dispose
	};
}
