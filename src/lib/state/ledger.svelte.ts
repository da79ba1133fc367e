import type * as Y from 'yjs';
import type { County } from '$lib/domain/campaign';
import type { CardEntry } from '$lib/domain/cards';
import { countyDocName } from '$lib/domain/docs';
import { toRow, type LedgerRow } from '$lib/domain/ledger';
import type { Problem } from '$lib/domain/problem';
import { cardKey, followCampaignCards, followSearch } from '$lib/local/card-index';
import { whenSynced, type DocRegistryLike } from '$lib/sync/docs.svelte';
import { BoardState } from './board.svelte';

/**
 * Every county board of a campaign at once, as ledger rows. Until a county's local doc is loaded
 * its rows come from the device's card index (first paint at once, offline too, and for docs
 * this device has no copy of); from then on from the doc itself, live. Opening the docs also keeps them syncing, which keeps the index
 * current for other pages.
 */
export class LedgerState {
	readonly #campaign: string;
	readonly #boards: { county: County; board: BoardState }[];
	/** The card index's entries of this campaign, by county. */
	#indexed = $state.raw<ReadonlyMap<string, CardEntry[]>>(new Map());
	/** Index candidates for the current search; null while unknown or when nothing narrows. */
	#hits = $state.raw<Set<string> | null>(null);
	#query = '';
	#stopIndex: () => void;
	#stopSearch: () => void = () => {};
	#destroyed = false;

	constructor(campaign: string, counties: County[], docs: DocRegistryLike) {
		this.#campaign = campaign;
		this.#boards = counties.map((county) => ({
			county,
			board: new BoardState(docs.open(countyDocName(campaign, county.id)))
		}));
		this.#stopIndex = followCampaignCards(campaign, (cards) => {
			const byCounty = new Map<string, CardEntry[]>();
			for (const card of cards) {
				const list = byCounty.get(card.county) ?? [];
				list.push(card);
				byCounty.set(card.county, list);
			}
			this.#indexed = byCounty;
		});
		// Once every board is read and can be trusted (it has problems, or the server confirmed
		// it), the index has nothing left to add: stop re-reading every card of the campaign after
		// each write to it.
		for (const { board } of this.#boards) {
			void board.handle.whenLoaded.then(() => this.#settle());
			void whenSynced(board.handle).then(() => this.#settle());
		}
	}

	#settle() {
		if (this.#destroyed) return;
		const settled = this.#boards.every(
			({ board }) => board.handle.loaded && (board.problems.size > 0 || board.handle.synced)
		);
		if (!settled) return;
		this.#stopIndex();
		this.#stopIndex = () => {};
		this.#indexed = new Map();
	}

	/** True while rows may still come from the card index (some board not read or trusted yet). */
	get followsIndex(): boolean {
		return this.#indexed.size > 0;
	}

	rows(today: string): LedgerRow[] {
		const rows: LedgerRow[] = [];
		for (const { county, board } of this.#boards) {
			if (this.#fromBoard(county.id, board)) {
				for (const problem of board.problems.values()) {
					if (!problem.deleted) rows.push(toRow(problem, county, today));
				}
			} else {
				for (const card of this.#indexed.get(county.id) ?? []) {
					rows.push(toRow(card.problem, county, today));
				}
			}
		}
		return rows;
	}

	/** Looks the search words up in the card index (for `mayMatch`); the same words do nothing. */
	search(query: string): void {
		if (query === this.#query) return;
		this.#query = query;
		this.#stopSearch();
		this.#hits = null;
		this.#stopSearch = followSearch(this.#campaign, query, (hits) => {
			if (query === this.#query) this.#hits = hits;
		});
	}

	/**
	 * False when the card index rules the row out for the current search. Rows of loaded docs are
	 * newer than the index and in memory already, so they are left to the exact check (`matches`),
	 * as is everything while the index has not answered.
	 */
	mayMatch(row: LedgerRow): boolean {
		if (this.#hits === null) return true;
		const board = this.#boards.find((b) => b.county.id === row.county)?.board;
		return (
			(board !== undefined && this.#fromBoard(row.county, board)) ||
			this.#hits.has(cardKey(row.county, row.problem.id))
		);
	}

	/**
	 * Whether a county's rows come from its doc: once loaded, unless it came up empty while the
	 * index knows problems of it (this device lost its copy, and is offline).
	 */
	#fromBoard(county: string, board: BoardState): boolean {
		return board.handle.loaded && (board.problems.size > 0 || !this.#indexed.get(county)?.length);
	}

	/** The local doc of a county's board, for writing an import into it. */
	doc(county: string): Y.Doc {
		const found = this.#boards.find((b) => b.county.id === county);
		if (!found) throw new Error(`county ${county} is not in this campaign`);
		return found.board.handle.doc;
	}

	/** Every problem of every county by id, deleted ones included (an import checks ids against it). */
	problemIndex(): Map<string, { county: string; problem: Problem }> {
		const index = new Map<string, { county: string; problem: Problem }>();
		for (const { county, board } of this.#boards) {
			for (const problem of board.problems.values())
				index.set(problem.id, { county: county.id, problem });
		}
		return index;
	}

	/** True once every board's local copy has been read. */
	get loaded(): boolean {
		return this.#boards.every(({ board }) => board.handle.loaded);
	}

	destroy() {
		this.#destroyed = true;
		this.#stopIndex();
		this.#stopSearch();
		for (const { board } of this.#boards) board.destroy();
	}
}
