import type { County } from '$lib/domain/campaign';
import { countyDocName } from '$lib/domain/docs';
import { toRow, type LedgerRow } from '$lib/domain/ledger';
import type { DocRegistryLike } from '$lib/sync/docs.svelte';
import { BoardState } from './board.svelte';

/**
 * Every county board of a campaign at once, as ledger rows. The boards are the same local
 * documents the county pages use, so the ledger and its search work offline too.
 */
export class LedgerState {
	readonly #boards: { county: County; board: BoardState }[];

	constructor(campaign: string, counties: County[], docs: DocRegistryLike) {
		this.#boards = counties.map((county) => ({
			county,
			board: new BoardState(docs.open(countyDocName(campaign, county.id)))
		}));
	}

	rows(today: string): LedgerRow[] {
		const rows: LedgerRow[] = [];
		for (const { county, board } of this.#boards) {
			for (const problem of board.problems.values()) {
				if (!problem.deleted) rows.push(toRow(problem, county, today));
			}
		}
		return rows;
	}

	/** True once every board's local copy has been read. */
	get loaded(): boolean {
		return this.#boards.every(({ board }) => board.handle.loaded);
	}

	destroy() {
		for (const { board } of this.#boards) board.destroy();
	}
}
