import * as Y from 'yjs';
import {
	DEFAULT_CAMPAIGN_ID,
	SEED_COUNTIES,
	SEED_META,
	seedCampaign
} from '../src/lib/domain/campaign.ts';
import { campaignDocName } from '../src/lib/domain/docs.ts';
import type { UserService } from './auth/users.ts';
import type { CampaignRegistry } from './campaigns.ts';
import type { DocStore } from './persistence/doc-store.ts';

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

/** On a first start with no users, creates `admin` with the password from the environment. */
export async function seedAdmin(users: UserService, password: string | null): Promise<boolean> {
	if (!password || users.count() > 0) return false;
	await users.create({ username: 'admin', password, role: 'admin', displayName: '管理员' });
	return true;
}
