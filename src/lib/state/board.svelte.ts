import * as Y from 'yjs';
import { problemsOf, readProblem, toColumns, type Problem } from '$lib/domain/problem';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/**
 * The problems of one county doc as reactive state. Only problems touched by a change are read
 * again, so unchanged cards keep their identity and are not re-rendered.
 */
export class BoardState {
	readonly handle: DocHandle;
	#problems = $state.raw<ReadonlyMap<string, Problem>>(new Map());
	readonly columns = $derived(toColumns(this.#problems.values()));
	readonly #map: Y.Map<Y.Map<unknown>>;
	readonly #observer: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void;

	constructor(handle: DocHandle) {
		this.handle = handle;
		this.#map = problemsOf(handle.doc);
		this.#problems = this.#readAll();
		this.#observer = (events) => this.#apply(events);
		this.#map.observeDeep(this.#observer);
	}

	#readAll(): Map<string, Problem> {
		const all = new Map<string, Problem>();
		this.#map.forEach((map, id) => {
			if (map instanceof Y.Map) all.set(id, readProblem(id, map));
		});
		return all;
	}

	#apply(events: Y.YEvent<Y.AbstractType<unknown>>[]) {
		const changed = new Set<string>();
		for (const event of events) {
			if (event instanceof Y.YMapEvent && event.target === this.#map) {
				event.keysChanged.forEach((key: string) => changed.add(key));
			} else if (event.path.length > 0) changed.add(String(event.path[0]));
		}
		if (changed.size === 0) return;
		const next = new Map(this.#problems);
		for (const id of changed) {
			const map = this.#map.get(id);
			if (map instanceof Y.Map) next.set(id, readProblem(id, map));
			else next.delete(id);
		}
		this.#problems = next;
	}

	/** Every problem, deleted ones included. */
	get problems(): ReadonlyMap<string, Problem> {
		return this.#problems;
	}

	get(id: string): Problem | undefined {
		return this.#problems.get(id);
	}

	destroy() {
		this.#map.unobserveDeep(this.#observer);
	}
}
