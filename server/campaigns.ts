import type { DocRef } from '../src/lib/domain/docs.ts';
import type { Db } from './db.ts';

export interface CampaignSummary {
	id: string;
	name: string;
	counties: { id: string; name: string }[];
	/** Archived: its docs are read-only for everyone (absent in backups: active). */
	archived?: boolean;
}

/**
 * Which campaigns and counties exist. Doc names outside this registry are refused, so nobody can
 * create a room (or a row) by inventing a name.
 */
export class CampaignRegistry {
	readonly #db: Db;
	readonly #hasCampaign;
	readonly #hasCounty;
	readonly #hasAnyCounty;
	/** Ids of archived campaigns, read on every write message, so kept in memory. */
	readonly #archived = new Set<string>();

	constructor(db: Db) {
		this.#db = db;
		this.#readArchived();
		this.#hasCampaign = db.prepare<[string], { ok: number }>(
			'SELECT 1 AS ok FROM campaigns WHERE id = ?'
		);
		this.#hasCounty = db.prepare<[string, string], { ok: number }>(
			'SELECT 1 AS ok FROM campaign_counties WHERE campaign = ? AND county = ?'
		);
		this.#hasAnyCounty = db.prepare<[string], { ok: number }>(
			'SELECT 1 AS ok FROM campaign_counties WHERE county = ? LIMIT 1'
		);
	}

	#readArchived(): void {
		this.#archived.clear();
		const rows = this.#db
			.prepare<[], { id: string }>('SELECT id FROM campaigns WHERE archived_at IS NOT NULL')
			.all();
		for (const row of rows) this.#archived.add(row.id);
	}

	/** True when the campaign is archived: nobody may change its docs. */
	isArchived(id: string): boolean {
		return this.#archived.has(id);
	}

	/** Archives or reactivates a campaign; false when there is no such campaign. */
	setArchived(id: string, archived: boolean): boolean {
		const result = this.#db
			.prepare('UPDATE campaigns SET archived_at = ? WHERE id = ?')
			.run(archived ? new Date().toISOString() : null, id);
		if (result.changes === 0) return false;
		if (archived) this.#archived.add(id);
		else this.#archived.delete(id);
		return true;
	}

	hasCampaign(id: string): boolean {
		return this.#hasCampaign.get(id) !== undefined;
	}

	/** True when a county of that id belongs to some campaign (what a `county` user may be tied to). */
	isKnownCounty(county: string): boolean {
		return this.#hasAnyCounty.get(county) !== undefined;
	}

	/** True when the doc a parsed name refers to exists. */
	exists(ref: DocRef): boolean {
		return ref.kind === 'campaign'
			? this.hasCampaign(ref.campaign)
			: this.#hasCounty.get(ref.campaign, ref.county) !== undefined;
	}

	list(): CampaignSummary[] {
		const campaigns = this.#db
			.prepare<[], { id: string; name: string; archived: number }>(
				'SELECT id, name, archived_at IS NOT NULL AS archived FROM campaigns ORDER BY id'
			)
			.all();
		const counties = this.#db
			.prepare<[], { campaign: string; county: string; name: string }>(
				'SELECT campaign, county, name FROM campaign_counties ORDER BY campaign, position, county'
			)
			.all();
		return campaigns.map((c) => ({
			id: c.id,
			name: c.name,
			archived: c.archived === 1,
			counties: counties
				.filter((row) => row.campaign === c.id)
				.map((row) => ({ id: row.county, name: row.name }))
		}));
	}

	/** For restores, inside the caller's transaction: the campaign as given, replacing its counties. */
	restore(campaign: CampaignSummary): void {
		this.#db
			.prepare(
				`INSERT INTO campaigns (id, name, created_at, archived_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT(id) DO UPDATE SET name = excluded.name, archived_at = excluded.archived_at`
			)
			.run(
				campaign.id,
				campaign.name,
				new Date().toISOString(),
				campaign.archived ? new Date().toISOString() : null
			);
		this.#db.prepare('DELETE FROM campaign_counties WHERE campaign = ?').run(campaign.id);
		const insertCounty = this.#db.prepare(
			'INSERT INTO campaign_counties (campaign, county, name, position) VALUES (?, ?, ?, ?)'
		);
		campaign.counties.forEach((county, position) =>
			insertCounty.run(campaign.id, county.id, county.name, position)
		);
		this.#readArchived();
	}

	register(campaign: CampaignSummary): void {
		const now = new Date().toISOString();
		const insertCampaign = this.#db.prepare(
			'INSERT INTO campaigns (id, name, created_at) VALUES (?, ?, ?)'
		);
		const insertCounty = this.#db.prepare(
			'INSERT INTO campaign_counties (campaign, county, name, position) VALUES (?, ?, ?, ?)'
		);
		this.#db.transaction(() => {
			insertCampaign.run(campaign.id, campaign.name, now);
			campaign.counties.forEach((county, position) =>
				insertCounty.run(campaign.id, county.id, county.name, position)
			);
		})();
	}
}
