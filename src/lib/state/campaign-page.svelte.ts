import { page } from '$app/state';
import { campaignDocName } from '$lib/domain/docs';
import { canEditDoc } from './campaigns.svelte';
import { session } from '$lib/session.svelte';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';
import { docs } from '$lib/sync/docs.svelte';
import { CampaignState } from './campaign.svelte';

interface Destroyable {
	destroy(): void;
}

/**
 * What every campaign page starts with: the campaign doc of the current URL as state, plus the
 * records state the page reads from the same doc, and whether the signed-in user may edit it.
 * Call it while a component initialises; both states are destroyed with the component or when the
 * URL names another campaign.
 */
export function campaignPage<R extends Destroyable | undefined = undefined>(
	openRecords?: (handle: DocHandle) => R
) {
	const id = $derived(page.params.campaign ?? '');
	const handle = $derived(docs.open(campaignDocName(id)));
	const campaign = $derived(new CampaignState(handle));
	const records = $derived(openRecords?.(handle) as R);
	$effect(() => {
		const current = [campaign, records];
		return () => current.forEach((state) => state?.destroy());
	});
	const canEdit = $derived(canEditDoc(session.user, { kind: 'campaign', campaign: id }));

	return {
		get id() {
			return id;
		},
		get campaign() {
			return campaign;
		},
		get records() {
			return records;
		},
		get user() {
			return session.user;
		},
		get canEdit() {
			return canEdit;
		}
	};
}
