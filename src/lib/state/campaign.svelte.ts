import {
	readCampaignMeta,
	readCounties,
	type CampaignMeta,
	type County
} from '$lib/domain/campaign';
import { readAllVisits, type Visit } from '$lib/domain/visits';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/** A campaign doc's meta and counties as reactive state. */
export class CampaignState {
	readonly handle: DocHandle;
	#meta = $state.raw<CampaignMeta>({ name: '', startDate: '', endDate: '', reportDueDate: '' });
	#counties = $state.raw<County[]>([]);
	#allVisits = $state.raw<Visit[]>([]);
	#visits = $derived(this.#allVisits.filter((v) => v.deletedAt === undefined));
	#deletedVisits = $derived(this.#allVisits.filter((v) => v.deletedAt !== undefined));
	readonly #onUpdate = () => this.#read();

	constructor(handle: DocHandle) {
		this.handle = handle;
		this.#read();
		handle.doc.on('update', this.#onUpdate);
	}

	#read() {
		this.#meta = readCampaignMeta(this.handle.doc);
		this.#counties = readCounties(this.handle.doc);
		this.#allVisits = readAllVisits(this.handle.doc);
	}

	/** Research visits, newest first; deleted ones are left out. */
	get visits() {
		return this.#visits;
	}

	/** Deleted visits, newest first: kept so they can be restored. */
	get deletedVisits() {
		return this.#deletedVisits;
	}

	/** A visit by id, deleted or not (a problem names its source visit either way). */
	visit(id: string): Visit | undefined {
		return this.#allVisits.find((v) => v.id === id);
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
