import * as Y from 'yjs';
import type { Tier } from '$lib/domain/model';
import { compareOrdered } from '$lib/domain/order';
import {
	problemsOf,
	readProblem,
	toColumns,
	type Columns,
	type Problem
} from '$lib/domain/problem';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/**
 * The problems of one county doc as reactive state. Only problems touched by a change are read
 * again, so unchanged cards keep their identity and are not re-rendered; only the columns they
 * left or entered are rebuilt (a removal and a sorted insert), not the whole board: on a board
 * of 10,000 cards a move costs a few array copies instead of a sort of every card.
 */
export class BoardState {
	readonly handle: DocHandle;
	/** Kept up to date in place (copying 10,000 entries per change costs milliseconds); readers
	 * depend on `#version`, which every change bumps. */
	readonly #problems = new Map<string, Problem>();
	#version = $state(0);
	#columns = $state.raw<Columns>(toColumns([]));
	readonly #map: Y.Map<Y.Map<unknown>>;
	readonly #observer: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void;

	constructor(handle: DocHandle) {
		this.handle = handle;
		this.#map = problemsOf(handle.doc);
		this.#readAll();
		this.#columns = toColumns(this.#problems.values());
		this.#observer = (events) => this.#apply(events);
		this.#map.observeDeep(this.#observer);
	}

	#readAll() {
		this.#map.forEach((map, id) => {
			if (map instanceof Y.Map) this.#problems.set(id, readProblem(id, map));
		});
	}

	#apply(events: Y.YEvent<Y.AbstractType<unknown>>[]) {
		const changed = new Set<string>();
		for (const event of events) {
			if (event instanceof Y.YMapEvent && event.target === this.#map) {
				event.keysChanged.forEach((key: string) => changed.add(key));
			} else if (event.path.length > 0) changed.add(String(event.path[0]));
		}
		if (changed.size === 0) return;
		const problems = this.#problems;
		const touched = new Set<Tier>();
		const added: Problem[] = [];
		for (const id of changed) {
			const before = this.#problems.get(id);
			if (before && !before.deleted) touched.add(before.tier);
			const map = this.#map.get(id);
			if (map instanceof Y.Map) {
				const problem = readProblem(id, map);
				problems.set(id, problem);
				if (!problem.deleted) {
					touched.add(problem.tier);
					added.push(problem);
				}
			} else {
				problems.delete(id);
			}
		}
		this.#version++;
		if (touched.size === 0) return;
		const columns = { ...this.#columns };
		for (const tier of touched) {
			const list = columns[tier].filter((p) => !changed.has(p.id));
			for (const problem of added) {
				if (problem.tier === tier) list.splice(sortedIndex(list, problem), 0, problem);
			}
			columns[tier] = list;
		}
		this.#columns = columns;
	}

	/** The live problems of each tier, in board order. */
	get columns(): Columns {
		return this.#columns;
	}

	/**
	 * Every problem, deleted ones included. The same Map is updated in place: read it where its
	 * contents are used (inside the derived or effect that iterates it), not into a derived of
	 * its own, which would not change.
	 */
	get problems(): ReadonlyMap<string, Problem> {
		void this.#version;
		return this.#problems;
	}

	get(id: string): Problem | undefined {
		void this.#version;
		return this.#problems.get(id);
	}

	destroy() {
		this.#map.unobserveDeep(this.#observer);
	}
}

/** Where `problem` goes in `list` (sorted by compareOrdered), by binary search. */
function sortedIndex(list: readonly Problem[], problem: Problem): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (compareOrdered(list[mid]!, problem) < 0) low = mid + 1;
		else high = mid;
	}
	return low;
}
