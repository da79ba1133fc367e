import type { DocRef } from '../src/lib/domain/docs.ts';
import type { Db } from './db.ts';

export interface CampaignSummary {
	id: string;
	name: string;
	counties: { id: string; name: string }[];
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

	constructor(db: Db) {
		this.#db = db;
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
			.prepare<[], { id: string; name: string }>('SELECT id, name FROM campaigns ORDER BY id')
			.all();
		const counties = this.#db
			.prepare<[], { campaign: string; county: string; name: string }>(
				'SELECT campaign, county, name FROM campaign_counties ORDER BY campaign, position, county'
			)
			.all();
		return campaigns.map((c) => ({
			id: c.id,
			name: c.name,
			counties: counties
				.filter((row) => row.campaign === c.id)
				.map((row) => ({ id: row.county, name: row.name }))
		}));
	}

	/** For restores, inside the caller's transaction: the campaign as given, replacing its counties. */
	restore(campaign: CampaignSummary): void {
		this.#db
			.prepare(
				`INSERT INTO campaigns (id, name, created_at) VALUES (?, ?, ?)
				 ON CONFLICT(id) DO UPDATE SET name = excluded.name`
			)
			.run(campaign.id, campaign.name, new Date().toISOString());
		this.#db.prepare('DELETE FROM campaign_counties WHERE campaign = ?').run(campaign.id);
		const insertCounty = this.#db.prepare(
			'INSERT INTO campaign_counties (campaign, county, name, position) VALUES (?, ?, ?, ?)'
		);
		campaign.counties.forEach((county, position) =>
			insertCounty.run(campaign.id, county.id, county.name, position)
		);
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
