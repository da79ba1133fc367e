import {
	readCampaignMeta,
	readCounties,
	type CampaignMeta,
	type County
} from '$lib/domain/campaign';
import { readVisits, type Visit } from '$lib/domain/visits';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/** A campaign doc's meta and counties as reactive state. */
export class CampaignState {
	readonly handle: DocHandle;
	#meta = $state.raw<CampaignMeta>({ name: '', startDate: '', endDate: '', reportDueDate: '' });
	#counties = $state.raw<County[]>([]);
	#visits = $state.raw<Visit[]>([]);
	readonly #onUpdate = () => this.#read();

	constructor(handle: DocHandle) {
		this.handle = handle;
		this.#read();
		handle.doc.on('update', this.#onUpdate);
	}

	#read() {
		this.#meta = readCampaignMeta(this.handle.doc);
		this.#counties = readCounties(this.handle.doc);
		this.#visits = readVisits(this.handle.doc);
	}

	/** Research visits, newest first. */
	get visits() {
		return this.#visits;
	}

	visit(id: string): Visit | undefined {
		return this.#visits.find((v) => v.id === id);
	}

	get meta() {
		return this.#meta;
	}

	get counties() {
		return this.#counties;
	}

	county(id: string): County | undefined {
		return this.#counties.find((c) => c.id === id);
	}

	destroy() {
		this.handle.doc.off('update', this.#onUpdate);
	}
}
