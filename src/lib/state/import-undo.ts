import * as Y from 'yjs';
import { LOCAL_ORIGIN } from '$lib/domain/commands';
import { problemsOf } from '$lib/domain/problem';

/** Undoes one import in every county doc it wrote to; `dispose` when the offer to undo ends. */
export interface ImportUndo {
	undo(): void;
	dispose(): void;
}

/**
 * Runs `write` (one transaction per doc) and records exactly those transactions, so that undo
 * reverts the import and nothing the person or anyone else does afterwards.
 */
export function recordImport(docs: Y.Doc[], write: () => void): ImportUndo {
	const managers = docs.map(
		(doc) =>
			new Y.UndoManager(problemsOf(doc), {
				trackedOrigins: new Set([LOCAL_ORIGIN]),
				captureTimeout: 0
			})
	);
	const dispose = () => {
		for (const manager of managers) manager.destroy();
		managers.length = 0;
	};
	try {
		write();
	} catch (error) {
		dispose();
		throw error;
	}
	for (const manager of managers) manager.trackedOrigins.clear();
	return {
		undo() {
			for (const manager of managers) while (manager.canUndo()) manager.undo();
			dispose();
		},
		dispose
	};
}
