import * as Y from 'yjs';
import {
	buildCampaignDoc,
	carryProblems,
	type NewCampaign
} from '../src/lib/domain/campaign-copy.ts';
import { campaignDocName, countyDocName } from '../src/lib/domain/docs.ts';
import type { CampaignRegistry, CampaignSummary } from './campaigns.ts';
import type { DocStore } from './persistence/doc-store.ts';
import type { Peer } from './sync/room.ts';
import type { Rooms } from './sync/rooms.ts';

/** Why a campaign was not created. */
export class CampaignCreateError extends Error {
	constructor(
		readonly code: 'campaign_taken' | 'campaign_source_unknown' | 'unavailable',
		message: string
	) {
		super(message);
	}
}

export interface CampaignCreation {
	campaign: CampaignSummary;
	/** How many problems were carried over from the source, per county. */
	carried: Record<string, number>;
}

const readerPeer = (label: string): Peer => ({
	label,
	isClosed: false,
	wantsAcks: false,
	send() {},
	close() {}
});

/**
 * Creates campaigns (活动管理): builds the new campaign's docs from the domain functions, stores
 * each as its first snapshot, and registers the campaign last — until then its docs are
 * unreachable, so a failure half-way leaves nothing anyone can see (a retry writes them again).
 * Source docs are read through their rooms, as connected clients see them, and never changed.
 */
export class CampaignCreator {
	readonly #registry: CampaignRegistry;
	readonly #store: DocStore;
	readonly #rooms: Rooms;
	/** Ids being created now: a second request for one of them is a conflict. */
	readonly #creating = new Set<string>();

	constructor(registry: CampaignRegistry, store: DocStore, rooms: Rooms) {
		this.#registry = registry;
		this.#store = store;
		this.#rooms = rooms;
	}

	async create(input: NewCampaign, by: string): Promise<CampaignCreation> {
		if (this.#registry.hasCampaign(input.id) || this.#creating.has(input.id)) {
			throw new CampaignCreateError('campaign_taken', `Campaign ${input.id} exists already.`);
		}
		if (input.copyFrom !== null && !this.#registry.hasCampaign(input.copyFrom)) {
			throw new CampaignCreateError(
				'campaign_source_unknown',
				`There is no campaign ${input.copyFrom} to copy from.`
			);
		}
		this.#creating.add(input.id);
		try {
			return await this.#create(input, by);
		} finally {
			this.#creating.delete(input.id);
		}
	}

	async #create(input: NewCampaign, by: string): Promise<CampaignCreation> {
		const meta = {
			name: input.name,
			startDate: input.startDate,
			endDate: input.endDate,
			reportDueDate: input.reportDueDate
		};
		const peer = readerPeer(`campaign-create:${by}`);
		const source = input.copyFrom ? await this.#read(campaignDocName(input.copyFrom), peer) : null;
		const doc = new Y.Doc();
		const counties = buildCampaignDoc(doc, meta, source);
		const carried: Record<string, number> = {};
		const docs: { name: string; state: Uint8Array }[] = [
			{ name: campaignDocName(input.id), state: Y.encodeStateAsUpdate(doc) }
		];
		doc.destroy();
		source?.destroy();
		for (const county of counties) {
			const board = new Y.Doc();
			// An empty board still gets its problem list, as the app creates it.
			board.getMap('problems');
			if (input.carryOver && input.copyFrom) {
				const old = await this.#read(countyDocName(input.copyFrom, county.id), peer);
				carried[county.id] = carryProblems(old, board, {
					campaign: input.copyFrom,
					county: county.id
				}).size;
				old.destroy();
			}
			docs.push({ name: countyDocName(input.id, county.id), state: Y.encodeStateAsUpdate(board) });
			board.destroy();
		}
		for (const { name, state } of docs) await this.#store.compact(name, state, 0);
		const campaign: CampaignSummary = {
			id: input.id,
			name: input.name,
			counties: counties.map((c) => ({ id: c.id, name: c.name }))
		};
		this.#registry.register(campaign);
		return { campaign: { ...campaign, archived: false }, carried };
	}

	/** A copy of a doc's current state, read through its room (loaded if nobody has it open). */
	async #read(name: string, peer: Peer): Promise<Y.Doc> {
		const room = await this.#rooms.join(name, peer);
		if (!room) throw new CampaignCreateError('unavailable', 'The server is shutting down.');
		try {
			await room.whenIdle();
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
			return copy;
		} finally {
			this.#rooms.leave(room, peer);
		}
	}
}
