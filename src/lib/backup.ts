import { clearDocument } from 'y-indexeddb';
import { ApiError, apiErrorOf } from '$lib/api';
import { parseDocName } from '$lib/domain/docs';
import { clearCards } from '$lib/local/card-index';
import { localDatabase } from '$lib/local/db';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/** Where the browser downloads a full backup from (admin only; the server names the file). */
export const BACKUP_URL = '/api/admin/backup';

export interface RestoredCounts {
	campaigns: number;
	users: number;
	docs: number;
	files: number;
}

/** Sends a backup file to the server to restore; the server refuses unless it is fresh. */
export async function restoreBackup(file: Blob): Promise<RestoredCounts> {
	let response: Response;
	try {
		response = await fetch('/api/admin/restore', {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: file,
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network');
	}
	const body = (await response.json().catch(() => null)) as { restored?: RestoredCounts } | null;
	if (!response.ok || !body?.restored) throw apiErrorOf(response, body);
	return body.restored;
}

/**
 * After a restore: drops every doc this device keeps (open or not) and the card index, so the
 * old copies are not merged back into the restored data. The page must reload afterwards.
 */
export async function dropLocalCopies(open: readonly DocHandle[]): Promise<void> {
	await Promise.all(open.map((handle) => handle.destroyWithLocalCopy()));
	const stored = (await indexedDB.databases?.()) ?? [];
	await Promise.all(
		stored
			.map((info) => info.name)
			.filter((name): name is string => !!name && parseDocName(name) !== null)
			.map((name) => clearDocument(name))
	);
	await localDatabase()
		?.catalog.clear()
		.catch(() => undefined);
	await clearCards().catch(() => undefined);
}
