import { api, ApiError, type CampaignSummary } from '$lib/api';
import { canWrite, type DocRef } from '$lib/domain/docs';
import type { User } from '$lib/domain/model';

const CACHE_KEY = 'qingdan.campaigns';

/** What the device knows about a campaign (or one of its counties) named in a URL. */
export type Existence = 'exists' | 'missing' | 'unknown';

function readCache(): CampaignSummary[] | null {
	try {
		const raw = localStorage.getItem(CACHE_KEY);
		const list: unknown = raw ? JSON.parse(raw) : null;
		return Array.isArray(list) ? (list as CampaignSummary[]) : null;
	} catch {
		return null;
	}
}

function writeCache(list: CampaignSummary[]): void {
	try {
		localStorage.setItem(CACHE_KEY, JSON.stringify(list));
	} catch {
		// Private mode or full storage: the list is asked for again next time.
	}
}

/**
 * The campaigns the server has (GET /api/campaigns), remembered on the device so that offline a
 * link to a campaign is still judged from the last list seen.
 */
class CampaignList {
	#list = $state.raw<CampaignSummary[] | null>(null);
	/** The server has answered since the page opened, with the list or with a failure. */
	#tried = $state(false);
	#loading: Promise<void> | null = null;

	constructor() {
		if (typeof localStorage !== 'undefined') this.#list = readCache();
	}

	/** The campaigns known, or null while none were ever seen on this device. */
	get list(): CampaignSummary[] | null {
		return this.#list;
	}

	/** Asks the server for the list (once at a time); offline, the cached list stays. */
	refresh(): Promise<void> {
		this.#loading ??= api
			.campaigns()
			.then(({ campaigns }) => {
				this.#list = campaigns;
				writeCache(campaigns);
			})
			.catch((error: unknown) => {
				// Offline or signed out: the cached list decides.
				if (!(error instanceof ApiError)) throw error;
			})
			.finally(() => {
				this.#tried = true;
				this.#loading = null;
			});
		return this.#loading;
	}

	/** Whether the campaign (and county, when given) exists, as far as this device knows. */
	existence(campaign: string, county?: string): Existence {
		if (this.#list === null) return 'unknown';
		const found = this.#list.find((c) => c.id === campaign);
		if (found && (county === undefined || found.counties.some((c) => c.id === county))) {
			return 'exists';
		}
		// A cached list may predate the campaign: only a list the server just gave (or the one
		// there is when the server cannot be asked) says it is missing.
		return this.#tried || !navigator.onLine ? 'missing' : 'unknown';
	}

	isArchived(campaign: string): boolean {
		return this.#list?.find((c) => c.id === campaign)?.archived === true;
	}
}

export const campaigns = new CampaignList();

/** May `user` change this doc here: their role allows it and its campaign is not archived. */
export function canEditDoc(user: User | null, ref: DocRef): boolean {
	return canWrite(user, ref) && !campaigns.isArchived(ref.campaign);
}
