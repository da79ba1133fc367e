import * as Y from 'yjs';
import { expect } from 'vitest';
import { TIERS, type Tier } from '../../../src/lib/domain/model.ts';
import { compareOrdered } from '../../../src/lib/domain/order.ts';
import { problemsOf, readProblems, toColumns } from '../../../src/lib/domain/problem.ts';
import { canonicalJson } from './tracked-client.ts';

/** What a board shows: the ids in each column, top to bottom. */
export function columnIds(doc: Y.Doc): Record<Tier, string[]> {
	const columns = toColumns(readProblems(doc));
	return Object.fromEntries(TIERS.map((tier) => [tier, columns[tier].map((p) => p.id)])) as Record<
		Tier,
		string[]
	>;
}

/** Everything stored about the problems, comparable across docs. */
export const boardState = (doc: Y.Doc): string => canonicalJson(problemsOf(doc).toJSON());

/**
 * The board a person sees is sound: every live problem in exactly one column (its tier), none
 * deleted, and each column strictly sorted (no two cards tie, so every client shows one order).
 */
export function expectSoundBoard(doc: Y.Doc, where: string): void {
	const problems = readProblems(doc);
	const columns = toColumns(problems);
	const shown = TIERS.flatMap((tier) => columns[tier].map((p) => p.id));
	const live = problems.filter((p) => !p.deleted).map((p) => p.id);
	expect([...shown].sort(), `${where}: every live card shown exactly once`).toEqual(
		[...live].sort()
	);
	const faults: string[] = [];
	for (const tier of TIERS) {
		const list = columns[tier];
		for (const p of list) if (p.tier !== tier) faults.push(`${p.id} shown in ${tier}`);
		for (let i = 1; i < list.length; i++) {
			if (compareOrdered(list[i - 1]!, list[i]!) >= 0) faults.push(`${tier}[${i}] not sorted`);
		}
	}
	expect(faults, `${where}: columns`).toEqual([]);
}

/** Docs agree on everything stored and on what each column shows. */
export function expectConverged(docs: readonly Y.Doc[], where: string): void {
	const states = docs.map((doc) => boardState(doc));
	const shown = docs.map((doc) => JSON.stringify(columnIds(doc)));
	const differing = docs
		.map((_, i) => i)
		.filter((i) => states[i] !== states[0] || shown[i] !== shown[0]);
	if (differing.length > 0) {
		expect(boardState(docs[differing[0]!]!), `${where}: doc ${differing[0]} equals doc 0`).toBe(
			states[0]
		);
		expect(shown[differing[0]!], `${where}: doc ${differing[0]} shows the same columns`).toBe(
			shown[0]
		);
	}
}
