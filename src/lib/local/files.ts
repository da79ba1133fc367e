import { ApiError, apiErrorOf } from '$lib/api';
import type { FileRef } from '$lib/domain/problem';
import { sha256Hex } from '$lib/domain/sync-file';
import { localDatabase } from './db';

/** What the server accepts as evidence (it checks again): photos, PDF, Office files, text. */
export const ACCEPTED_TYPES =
	'image/jpeg,image/png,image/webp,image/gif,application/pdf,text/plain,' +
	'application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
	'application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const fileUrl = (ref: FileRef, doc: string) =>
	`/api/files/${ref.sha256}?doc=${encodeURIComponent(doc)}`;

/**
 * True when the server has the file; false when it should be tried again later (offline, signed
 * out, server trouble); the ApiError when the server refuses the file itself (type, size).
 */
async function upload(
	sha256: string,
	doc: string,
	type: string,
	data: Blob
): Promise<boolean | ApiError> {
	try {
		const response = await fetch(`/api/files/${sha256}?doc=${encodeURIComponent(doc)}`, {
			method: 'PUT',
			headers: { 'content-type': type || 'application/octet-stream' },
			body: data
		});
		if (response.ok) return true;
		if (response.status === 413 || response.status === 415) {
			return apiErrorOf(response, await response.json().catch(() => null));
		}
		return false;
	} catch {
		return false;
	}
}

/**
 * Keeps a chosen file on this device and uploads it when it can: the card can refer to it at
 * once, online or not. Content-addressed, so the same photo twice is stored once.
 */
export async function attachFile(file: File, doc: string): Promise<FileRef> {
	const sha256 = await sha256Hex(new Uint8Array(await file.arrayBuffer()));
	const ref: FileRef = { sha256, name: file.name, type: file.type, size: file.size };
	const db = localDatabase();
	await db?.files.put({ ...ref, doc, data: file, uploaded: 0 });
	const uploaded = await upload(sha256, doc, file.type, file);
	if (uploaded instanceof ApiError) {
		// Refused for what it is: trying again later would be refused again.
		await db?.files.delete(sha256);
		throw uploaded;
	}
	if (uploaded) await db?.files.update(sha256, { uploaded: 1 });
	return ref;
}

/** Uploads what was attached offline; called at start and when the network returns. */
export async function uploadPendingFiles(): Promise<void> {
	const db = localDatabase();
	if (!db) return;
	const pending = await db.files.where('uploaded').equals(0).toArray();
	for (const file of pending) {
		if ((await upload(file.sha256, file.doc, file.type, file.data)) === true) {
			await db.files.update(file.sha256, { uploaded: 1 });
		}
	}
}

/**
 * A link to this device's copy of an attachment, when it has one (attached or imported from a
 * changes file here): it opens with no network, and before the server has the file.
 */
export async function localFileUrl(sha256: string): Promise<string | null> {
	const local = await localDatabase()
		?.files.get(sha256)
		.catch(() => undefined);
	return local ? URL.createObjectURL(local.data) : null;
}
