import { campaignDocName, countyDocName, isId } from '$lib/domain/docs';
import { docs } from '$lib/sync/docs.svelte';
import type { LayoutLoad } from './$types';

// A single-page app: everything renders in the browser from local documents.
export const ssr = false;
export const prerender = false;

/** The route of a county's board. */
const BOARD_ROUTE = '/c/[campaign]/[county]';

/**
 * Runs once, for the page the app starts on. When that is a board, this device's copies of the
 * board and of its campaign start loading from IndexedDB now, while the rest of the app (the
 * sign-in check, the layout, the page) is still on its way, instead of one after the other.
 */
export const load: LayoutLoad = ({ route, params, untrack }) => {
	untrack(() => {
		const { campaign, county } = params;
		if (route.id !== BOARD_ROUTE || !isId(campaign) || !isId(county)) return;
		docs.open(campaignDocName(campaign));
		void docs.openIfStored(countyDocName(campaign, county));
	});
};
