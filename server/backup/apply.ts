import * as Y from 'yjs';
import {
	DEFAULT_CAMPAIGN_ID,
	SEED_COUNTIES,
	SEED_META,
	seedCampaign
} from '../../src/lib/domain/campaign.ts';
import { SEEDED, seedCampaignRecords } from '../../src/lib/domain/campaign-seed.ts';
import { parseDocName } from '../../src/lib/domain/docs.ts';
import type { UserService } from '../auth/users.ts';
import type { CampaignRegistry } from '../campaigns.ts';
import type { FileStore } from '../files.ts';
import type { DocStore } from '../persistence/doc-store.ts';
import { docJson } from './format.ts';
import type { RestorePlan } from './read.ts';
import { loadDoc } from './write.ts';

export interface RestoreTarget {
	store: DocStore;
	users: UserService;
	registry: CampaignRegistry;
	files: FileStore;
}

/**
 * Writes a checked plan: blobs first (content-addressed, so a blob without its row is harmless),
 * then campaigns, users, file rows and every doc in one SQLite transaction.
 */
export async function applyRestore(plan: RestorePlan, target: RestoreTarget): Promise<void> {
	const fileRows: (() => void)[] = [];
	for (const file of plan.files) fileRows.push(await target.files.placeVerified(file, file.path));
	await target.store.replaceDocs(plan.docs, () => {
		for (const campaign of plan.campaigns) target.registry.restore(campaign);
		target.users.restoreRows(plan.users);
		for (const write of fileRows) write();
	});
}

/** JSON with keys sorted, so two docs with the same content compare equal. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(
					Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))
				)
			: v
	);
}

/** A campaign doc's content without the seeding timestamps. */
function campaignContent(doc: Y.Doc): string {
	const json = Object.entries(docJson(doc)).filter(
		([key, root]) => key !== SEEDED && Object.keys(root as object).length > 0
	);
	return canonical(Object.fromEntries(json));
}

/**
 * Why this server may not take a restore from the web page, or null when it may: nobody has
 * worked on it yet. Only administrators, no attachments, only the seeded campaign, its doc as
 * the server created it and every county board empty. (A restore replaces docs; it never merges
 * into work that exists.)
 */
export async function whyNotFresh(target: RestoreTarget): Promise<string | null> {
	if (target.users.list().some((u) => u.role !== 'admin')) {
		return 'This server already has users other than administrators.';
	}
	if (target.files.count() > 0) return 'This server already holds attachments.';
	if (target.registry.list().some((c) => c.id !== DEFAULT_CAMPAIGN_ID)) {
		return 'This server already has campaigns of its own.';
	}
	const seeded = new Y.Doc();
	seedCampaign(seeded, SEED_META, SEED_COUNTIES);
	seedCampaignRecords(seeded);
	const fresh = campaignContent(seeded);
	seeded.destroy();
	for (const name of await target.store.listDocNames()) {
		const doc = await loadDoc(target.store, name);
		try {
			const ref = parseDocName(name);
			const untouched =
				ref?.kind === 'campaign'
					? campaignContent(doc) === fresh
					: Object.values(docJson(doc)).every(
							(root) => Object.keys(root as Record<string, unknown>).length === 0
						);
			if (!untouched) return `Document ${name} already has work in it.`;
		} finally {
			doc.destroy();
		}
	}
	return null;
}
