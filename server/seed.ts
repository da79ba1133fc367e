import * as Y from 'yjs';
import {
	DEFAULT_CAMPAIGN_ID,
	SEED_COUNTIES,
	SEED_META,
	seedCampaign
} from '../src/lib/domain/campaign.ts';
import { seedCampaignRecords } from '../src/lib/domain/campaign-seed.ts';
import { campaignDocName } from '../src/lib/domain/docs.ts';
import type { UserService } from './auth/users.ts';
import type { CampaignRegistry } from './campaigns.ts';
import { DamagedDocError, type DocStore } from './persistence/doc-store.ts';

/**
 * Creates campaign `2022` (its doc as a snapshot, then its registry entry) unless it exists.
 * The registry entry is written last: until it exists the doc is unreachable, so a crash in
 * between only means the next start seeds again.
 */
export async function seedCampaigns(registry: CampaignRegistry, store: DocStore): Promise<boolean> {
	if (registry.hasCampaign(DEFAULT_CAMPAIGN_ID)) return false;
	const doc = new Y.Doc();
	seedCampaign(doc, SEED_META, SEED_COUNTIES);
	await store.compact(campaignDocName(DEFAULT_CAMPAIGN_ID), Y.encodeStateAsUpdate(doc), 0);
	doc.destroy();
	registry.register({
		id: DEFAULT_CAMPAIGN_ID,
		name: SEED_META.name,
		counties: SEED_COUNTIES.map((c) => ({ id: c.id, name: c.name }))
	});
	return true;
}

/**
 * On every start: adds the leadership group, indicators and milestones of the plan to campaign
 * `2022` where they are missing (campaigns created before these records existed get them too).
 * Runs before any room is open, so the diff is simply appended as one update row.
 */
export async function seedCampaignRecordsStep(
	registry: CampaignRegistry,
	store: DocStore
): Promise<boolean> {
	if (!registry.hasCampaign(DEFAULT_CAMPAIGN_ID)) return false;
	const name = campaignDocName(DEFAULT_CAMPAIGN_ID);
	// A doc with a damaged piece is seeded once it is whole again (the load has logged it): a
	// diff against a state with a piece left out could write back what that piece changed.
	const stored = await store.load(name).catch((error: unknown) => {
		if (error instanceof DamagedDocError) return null;
		throw error;
	});
	if (!stored || (stored.damaged?.length ?? 0) > 0) return false;
	const doc = new Y.Doc();
	try {
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		const before = Y.encodeStateVector(doc);
		if (!seedCampaignRecords(doc)) return false;
		await store.appendBatch([{ doc: name, data: Y.encodeStateAsUpdate(doc, before) }]);
		return true;
	} finally {
		doc.destroy();
	}
}

/** On a first start with no users, creates `admin` with the password from the environment. */
export async function seedAdmin(users: UserService, password: string | null): Promise<boolean> {
	if (!password || users.count() > 0) return false;
	try {
		await users.create({ username: 'admin', password, role: 'admin', displayName: '管理员' });
	} catch (error) {
		throw new Error(
			`QINGDAN_ADMIN_PASSWORD cannot be used: ${error instanceof Error ? error.message : String(error)}`
		);
	}
	return true;
}
