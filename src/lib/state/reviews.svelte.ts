import * as Y from 'yjs';
import type { Actor } from '$lib/domain/mutate';
import {
	createReview,
	editReviewSection,
	readReviews,
	removeReview,
	REVIEWS,
	type NewReview,
	type Review,
	type ReviewSection
} from '$lib/domain/reviews';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/** The campaign's reviews (双月调度 / 季度小结 / 半年总结) as reactive state. */
export class ReviewsState {
	readonly handle: DocHandle;
	#items = $state.raw<Review[]>([]);
	readonly #map: Y.Map<unknown>;
	readonly #observer = () => (this.#items = readReviews(this.handle.doc));

	constructor(handle: DocHandle) {
		this.handle = handle;
		this.#map = handle.doc.getMap(REVIEWS);
		this.#items = readReviews(handle.doc);
		this.#map.observeDeep(this.#observer);
	}

	/** In the order they follow each other (by period end). */
	get items(): Review[] {
		return this.#items;
	}

	get(id: string): Review | undefined {
		return this.#items.find((r) => r.id === id);
	}

	/** A written part of a review, for the collaborative text field; null while it has none. */
	section(id: string, section: ReviewSection): Y.Text | null {
		const map = this.#map.get(id);
		const text = map instanceof Y.Map ? map.get(section) : null;
		return text instanceof Y.Text ? text : null;
	}

	create = (input: NewReview, actor: Actor) => createReview(this.handle.doc, input, actor);
	edit = (id: string, section: ReviewSection, next: string) =>
		editReviewSection(this.handle.doc, id, section, next);
	remove = (id: string) => removeReview(this.handle.doc, id);

	destroy() {
		this.#map.unobserveDeep(this.#observer);
	}
}
