import type * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	createProblem,
	deleteProblem,
	moveProblem,
	restoreProblem,
	updateProblem
} from '../../src/lib/domain/commands';
import { TIERS } from '../../src/lib/domain/model';
import { readProblems, toColumns, type Columns } from '../../src/lib/domain/problem';

/**
 * The runes module is compiled by Vitest's Svelte plugin; `tsc -p tsconfig.tests.json` knows
 * neither `$lib` nor runes, so the module is imported by a path it does not follow.
 */
interface Board {
	readonly columns: Columns;
	destroy(): void;
}
const BOARD_MODULE: string = '../../src/lib/state/board.svelte';
const { BoardState } = (await import(BOARD_MODULE)) as {
	BoardState: new (handle: { doc: Y.Doc }) => Board;
};
import { alice, bob, newDoc, syncAll } from './support';

const ids = (columns: Columns) =>
	Object.fromEntries(TIERS.map((tier) => [tier, columns[tier].map((p) => p.id)]));

/** A seeded pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('BoardState keeps its columns in step with the doc, column by column', () => {
	test.each([1, 2, 3])(
		'seed %i: after every local or remote change the columns equal a full rebuild',
		(seed) => {
			const next = random(seed);
			const doc = newDoc(1);
			const other = newDoc(2);
			const board = new BoardState({ doc });
			const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
			const all: string[] = [];
			for (let i = 0; i < 30; i++) all.push(createProblem(doc, { title: `问题 ${i}` }, alice));
			syncAll(doc, other);
			for (let step = 0; step < 200; step++) {
				const r = next();
				const id = pick(all);
				if (r < 0.1)
					all.push(createProblem(doc, { title: `新 ${step}`, tier: pick(TIERS) }, alice));
				else if (r < 0.55) moveProblem(doc, id, pick(TIERS), Math.floor(next() * 12), alice);
				else if (r < 0.65) deleteProblem(doc, id, alice);
				else if (r < 0.72) restoreProblem(doc, id, alice);
				else if (r < 0.8) updateProblem(doc, id, { owner: `单位 ${step}` }, alice);
				else {
					// Concurrent moves here and on another replica, then merged both ways.
					syncAll(doc, other);
					moveProblem(other, pick(all), pick(TIERS), Math.floor(next() * 12), bob);
					moveProblem(other, pick(all), pick(TIERS), 0, bob);
					moveProblem(doc, pick(all), pick(TIERS), 1, alice);
					syncAll(doc, other);
				}
				expect(ids(board.columns), `step ${step}`).toEqual(ids(toColumns(readProblems(doc))));
			}
			syncAll(doc, other);
			expect(ids(board.columns)).toEqual(ids(toColumns(readProblems(doc))));
			board.destroy();
		}
	);

	test("moves and new cards placed from the board's columns get the keys a read of the doc gives", () => {
		// The board passes its own sorted column to moveProblem and createProblem instead of
		// letting them walk every problem of the doc; the resulting order keys must be the same.
		const next = random(7);
		const read = newDoc(1);
		const all: string[] = [];
		for (let i = 0; i < 40; i++) all.push(createProblem(read, { title: `问题 ${i}` }, alice));
		const kept = newDoc(1);
		syncAll(read, kept);
		const board = new BoardState({ doc: kept });
		const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
		const orders = (doc: Y.Doc) => readProblems(doc).map((p) => [p.id, p.tier, p.order]);
		for (let step = 0; step < 150; step++) {
			const id = pick(all);
			const tier = pick(TIERS);
			const index = Math.floor(next() * 15);
			const now = new Date(Date.UTC(2022, 3, 1, 0, step));
			moveProblem(read, id, tier, index, alice, now);
			moveProblem(kept, id, tier, index, alice, now, '', board.columns[tier]);
			if (step % 10 === 0) {
				deleteProblem(read, id, alice, now);
				deleteProblem(kept, id, alice, now);
			}
			expect(orders(kept), `step ${step}`).toEqual(orders(read));
		}
		board.destroy();
	});

	test('an edit that does not move a card keeps every other card and column as they were', () => {
		const doc = newDoc(1);
		const a = createProblem(doc, { title: '甲' }, alice);
		createProblem(doc, { title: '乙' }, alice);
		createProblem(doc, { title: '丙', tier: 'party-gov' }, alice);
		const board = new BoardState({ doc });
		const before = board.columns;
		updateProblem(doc, a, { owner: '市总工会' }, alice);
		expect(board.columns['party-gov']).toBe(before['party-gov']);
		expect(board.columns.unsorted[1]).toBe(before.unsorted[1]);
		expect(board.columns.unsorted[0]!.owner).toBe('市总工会');
		board.destroy();
	});
});
