import { UserService } from '../auth/users.ts';
import { CampaignRegistry } from '../campaigns.ts';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db.ts';
import * as Y from 'yjs';
import { addDemoRecords, addDemoVisits, buildDemoDocs } from '../demo/build.ts';
import { campaignDocName } from '../../src/lib/domain/docs.ts';
import { readVisits } from '../../src/lib/domain/visits.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../demo/people.ts';
import { SqliteDocStore } from '../persistence/sqlite-doc-store.ts';
import { seedCampaigns } from '../seed.ts';
import { DEFAULT_CAMPAIGN_ID, readCampaignMeta } from '../../src/lib/domain/campaign.ts';

/**
 * `npm run demo`: fills a fresh data directory with a realistic sample — problems in every
 * county, tier and status, some overdue, some closed — and the people of the scenarios, so a new
 * user can see the product working at once. Refuses to touch boards that already hold data.
 */
async function main() {
	const config = readConfig();
	const db = openDatabase(config.dataDir);
	try {
		const store = new SqliteDocStore(db);
		const registry = new CampaignRegistry(db);
		await seedCampaigns(registry, store);
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
			new Date()
		);
		const campaignName = campaignDocName(DEFAULT_CAMPAIGN_ID);
		const stored = await store.load(campaignName);
		const campaignDoc = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(campaignDoc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(campaignDoc, update);
		if (readVisits(campaignDoc).length > 0) {
			throw new Error(
				`the campaign already has visits: run the demo on a fresh DATA_DIR (now ${config.dataDir}).`
			);
		}
		const before = Y.encodeStateVector(campaignDoc);
		const visits = addDemoVisits(campaignDoc, readCampaignMeta(campaignDoc).startDate);
		addDemoRecords(campaignDoc);
		const updates = buildDemoDocs(DEFAULT_CAMPAIGN_ID, today, visits);
		for (const name of updates.keys()) {
			const stored = await store.load(name);
			if (stored.snapshot || stored.updates.length) {
				throw new Error(
					`${name} already holds data: run the demo on a fresh DATA_DIR (now ${config.dataDir}).`
				);
			}
		}
		await store.appendBatch([
			{ doc: campaignName, data: Y.encodeStateAsUpdate(campaignDoc, before) },
			...[...updates].map(([doc, data]) => ({ doc, data }))
		]);

		const users = new UserService(db, registry);
		const created: string[] = [];
		for (const person of DEMO_USERS) {
			if (users.get(person.username)) continue;
			await users.create({ ...person, password: DEMO_PASSWORD });
			created.push(`  ${person.username.padEnd(14)} ${person.displayName}（${person.note}）`);
		}
		console.log(
			`demo data written to ${config.dataDir}: ${updates.size} county boards, ${readVisits(campaignDoc).length} visits.`
		);
		if (created.length) {
			console.log(`people (password ${DEMO_PASSWORD}):\n${created.join('\n')}`);
		}
		console.log('start the app with `npm start` and sign in as one of them.');
	} finally {
		db.close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
});
