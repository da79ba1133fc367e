import * as Y from 'yjs';
import { searchableText } from './ledger';
import { problemsOf, readProblem, type Problem } from './problem';
import { indexTokens } from './search-tokens';

/** One problem in the device's card index: enough for the ledger, filters and search. */
export interface CardEntry {
	campaign: string;
	county: string;
	id: string;
	problem: Problem;
	/** Search tokens of its searchable text (see search-tokens.ts). */
	tokens: string[];
}

/** The index entry of a problem; null for a deleted one (the index keeps live problems only). */
export function cardEntry(campaign: string, county: string, problem: Problem): CardEntry | null {
	if (problem.deleted) return null;
	return {
		campaign,
		county,
		id: problem.id,
		problem,
		tokens: indexTokens(searchableText(problem))
	};
}

/** Entries for the given problems of a county doc; ids without a live problem map to null. */
export function cardEntries(
	campaign: string,
	county: string,
	doc: Y.Doc,
	ids: Iterable<string>
): Map<string, CardEntry | null> {
	const problems = problemsOf(doc);
	const entries = new Map<string, CardEntry | null>();
	for (const id of ids) {
		const map = problems.get(id);
		entries.set(
			id,
			map instanceof Y.Map ? cardEntry(campaign, county, readProblem(id, map)) : null
		);
	}
	return entries;
}

/** Ids of the problems a batch of deep events on the `problems` map touched. */
export function touchedProblems<T>(
	problems: Y.Map<T>,
	events: Y.YEvent<Y.AbstractType<unknown>>[]
): Set<string> {
	const ids = new Set<string>();
	for (const event of events) {
		if (event.target === problems) event.changes.keys.forEach((_change, key) => ids.add(key));
		else if (event.path.length > 0) ids.add(String(event.path[0]));
	}
	return ids;
}
