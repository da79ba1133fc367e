import { equalFlat } from 'lib0/array';
import { liveQuery } from 'dexie';
import * as Y from 'yjs';
import { cardEntries, touchedProblems, type CardEntry } from '$lib/domain/cards';
import { parseDocName } from '$lib/domain/docs';
import { problemsOf } from '$lib/domain/problem';
import { queryTokens } from '$lib/domain/search-tokens';
import { localDatabase } from './db';

/** Changes are gathered this long before one write, so typing does not write per keystroke. */
const FLUSH_DELAY_MS = 150;

/** The key of a card within its campaign: `<county>/<problem id>`. */
export const cardKey = (county: string, id: string) => `${county}/${id}`;

/** When a watched doc is complete enough to write, and to prune, the index from it. */
export interface DocMilestones {
	/** The local copy has been read (or given up on). */
	loaded: Promise<void>;
	/** First caught up with the server: only now can missing problems be taken as gone. */
	synced: Promise<void>;
}

/**
 * Keeps the card index current from a county doc while it is open on this device. Once the local
 * copy is loaded every problem of the doc is written; from then on only the problems each change
 * touches (local, remote or loaded) are rewritten, in one Dexie transaction per batch. Entries of
 * problems the doc does not have are removed only after the first sync with the server, so a
 * local copy that is missing or cut short (offline) does not empty the index. Returns a function
 * that stops watching.
 */
export function watchCards(name: string, doc: Y.Doc, milestones: DocMilestones): () => void {
	const ref = parseDocName(name);
	const db = localDatabase();
	if (ref?.kind !== 'county' || !db) return () => {};
	const { campaign, county } = ref;
	const problems = problemsOf(doc);
	const dirty = new Set<string>();
	let loaded = false;
	let stopped = false;
	/** A write failed: from then on the index cannot vouch for any state of this doc. */
	let failed = false;
	let timer: ReturnType<typeof setTimeout> | null = null;

	/** Writes entries read from the doc just now, with the doc's state they reflect. */
	const write = async (entries: Map<string, CardEntry | null>) => {
		const live = [...entries.values()].filter((e): e is CardEntry => e !== null);
		const gone = [...entries].filter(([, e]) => e === null).map(([id]) => id);
		// Once this write (and the ones before it) is done, every change up to this state is in
		// the index: the first write holds every problem, later ones each problem changed since.
		const stateVector = Y.encodeStateVector(doc);
		try {
			await db.transaction('rw', db.cards, db.indexedDocs, async () => {
				await db.cards.bulkDelete(gone.map((id) => [campaign, county, id]));
				await db.cards.bulkPut(live);
				if (failed) await db.indexedDocs.delete(name);
				else await db.indexedDocs.put({ name, stateVector });
			});
		} catch (error) {
			failed = true;
			// The index is a cache of the docs: what a failed write missed comes back on the next
			// change of those problems, or when the doc is next opened.
			console.warn('card index write failed', error);
		}
	};

	/** Removes the entries of problems the doc does not have; the others are kept current already. */
	const prune = async () => {
		try {
			await db.transaction('rw', db.cards, async () => {
				const stored = await db.cards
					.where('[campaign+county]')
					.equals([campaign, county])
					.primaryKeys();
				await db.cards.bulkDelete(stored.filter((key) => !(problems.get(key[2]) instanceof Y.Map)));
			});
		} catch (error) {
			console.warn('card index write failed', error);
		}
	};

	const flush = () => {
		timer = null;
		if (stopped || dirty.size === 0) return;
		const ids = [...dirty];
		dirty.clear();
		void write(cardEntries(campaign, county, doc, ids));
	};

	const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		if (!loaded) return;
		for (const id of touchedProblems(problems, events)) dirty.add(id);
		timer ??= setTimeout(flush, FLUSH_DELAY_MS);
	};
	problems.observeDeep(observer);
	// Leaving the page: start the pending write now rather than lose it with the timer.
	const onPageHide = () => {
		if (timer) clearTimeout(timer);
		flush();
	};
	addEventListener('pagehide', onPageHide);

	void milestones.loaded.then(async () => {
		if (stopped) return;
		loaded = true;
		// Every problem is written, unless the index already holds this very state of the doc
		// (reopening a board that did not change: 10,000 entries are not cloned and stored again).
		const known = await db.indexedDocs.get(name).catch(() => undefined);
		if (stopped || (known && equalFlat(known.stateVector, Y.encodeStateVector(doc)))) return;
		void write(cardEntries(campaign, county, doc, problems.keys()));
	});
	// Changes the sync brings in are written by the observer; what is left is to forget problems
	// the server's copy does not have.
	void Promise.all([milestones.loaded, milestones.synced]).then(() => {
		if (!stopped) void prune();
	});

	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		removeEventListener('pagehide', onPageHide);
		problems.unobserveDeep(observer);
	};
}

/** Follows every indexed card of a campaign; `onChange` gets them all after each change. */
export function followCampaignCards(
	campaign: string,
	onChange: (cards: CardEntry[]) => void
): () => void {
	const db = localDatabase();
	if (!db) return () => {};
	const subscription = liveQuery(() =>
		db.cards.where('campaign').equals(campaign).toArray()
	).subscribe({
		next: onChange,
		error: (error) => console.warn('card index read failed', error)
	});
	return () => subscription.unsubscribe();
}

/**
 * The cards of a campaign that have every token of the query (keys as `cardKey`), or null when
 * the query has no token to narrow by. Candidates only: the caller still checks each one.
 */
export async function searchCards(campaign: string, query: string): Promise<Set<string> | null> {
	const db = localDatabase();
	const tokens = queryTokens(query);
	if (!db || tokens.length === 0) return null;
	const lists = await Promise.all(
		tokens.map((token) => db.cards.where('tokens').equals(token).primaryKeys())
	);
	const sets = lists.map(
		(keys) =>
			new Set(keys.filter((key) => key[0] === campaign).map((key) => cardKey(key[1], key[2])))
	);
	return sets.reduce((all, these) => new Set([...all].filter((key) => these.has(key))));
}

/** Follows `searchCards` as the index changes. */
export function followSearch(
	campaign: string,
	query: string,
	onChange: (hits: Set<string> | null) => void
): () => void {
	if (!localDatabase() || queryTokens(query).length === 0) {
		onChange(null);
		return () => {};
	}
	const subscription = liveQuery(() => searchCards(campaign, query)).subscribe({
		next: onChange,
		error: (error) => console.warn('card search failed', error)
	});
	return () => subscription.unsubscribe();
}

/** Empties the index (after this device's copies of the docs were dropped). */
export async function clearCards(): Promise<void> {
	const db = localDatabase();
	if (!db) return;
	await db.transaction('rw', db.cards, db.indexedDocs, async () => {
		await db.cards.clear();
		await db.indexedDocs.clear();
	});
}
