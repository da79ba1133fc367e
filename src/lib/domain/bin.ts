import type { Problem } from './problem';

/** A deleted problem as the board's bin (回收站) lists it. */
export interface BinEntry {
	id: string;
	title: string;
	deletedBy: string;
	deletedAt: string;
}

/**
 * The board's bin: its deleted problems, the latest deletion first, with who deleted each and
 * when, as the deletion logged it (a problem deleted, restored and deleted again shows the last).
 */
export function binOf(problems: Iterable<Problem>): BinEntry[] {
	const entries: BinEntry[] = [];
	for (const problem of problems) {
		if (!problem.deleted) continue;
		const deletion = problem.log.filter((entry) => entry.kind === 'deleted').at(-1);
		entries.push({
			id: problem.id,
			title: problem.title,
			deletedBy: deletion?.by ?? '',
			deletedAt: deletion?.at ?? ''
		});
	}
	return entries.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
}
