import {
	readCampaignMeta,
	readCounties,
	type CampaignMeta,
	type County
} from '$lib/domain/campaign';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/** A campaign doc's meta and counties as reactive state. */
export class CampaignState {
	readonly handle: DocHandle;
	#meta = $state.raw<CampaignMeta>({ name: '', startDate: '', endDate: '', reportDueDate: '' });
	#counties = $state.raw<County[]>([]);
	readonly #onUpdate = () => this.#read();

	constructor(handle: DocHandle) {
		this.handle = handle;
		this.#read();
		handle.doc.on('update', this.#onUpdate);
	}

	#read() {
		this.#meta = readCampaignMeta(this.handle.doc);
		this.#counties = readCounties(this.handle.doc);
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
