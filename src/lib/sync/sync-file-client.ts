import * as Y from 'yjs';
import { ApiError, apiErrorOf } from '$lib/api';
import { readCounties } from '$lib/domain/campaign';
import { campaignDocName, canWrite, parseDocName } from '$lib/domain/docs';
import type { User } from '$lib/domain/model';
import {
	ATTACHMENT_MAX_BYTES,
	base64Length,
	encodeSyncFile,
	readSyncFile,
	SYNC_FILE_MAX_BYTES,
	SyncFileError,
	syncFileName,
	type AttachmentRules,
	type SyncFile,
	type SyncFileAttachment,
	type SyncFileDoc,
	type SyncFileProblem
} from '$lib/domain/sync-file';
import { TIME_ZONE } from '$lib/i18n/index.svelte';
import { localDatabase, type LocalFile } from '$lib/local/db';
import { ACCEPTED_TYPES, uploadPendingFiles } from '$lib/local/files';
import type { DocHandle } from './doc-handle.svelte';
import type { DocRegistryLike } from './docs.svelte';

/** Origin of changes applied from a file: sent on to the server like our own edits. */
export const FILE_ORIGIN = Object.freeze({ qingdan: 'sync-file' });

const LOAD_TIMEOUT_MS = 10_000;

/** Resolves once the doc's local copy is read (its `loaded` rune is not awaitable by itself). */
async function whenLoaded(handle: DocHandle): Promise<void> {
	const deadline = Date.now() + LOAD_TIMEOUT_MS;
	while (!handle.loaded && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Docs on this device with changes the server has not acknowledged. */
async function docsWithChanges(registry: DocRegistryLike) {
	const stored =
		(await localDatabase()
			?.catalog.toArray()
			.catch(() => [])) ?? [];
	return stored
		.filter((entry) => entry.pending.length > 0 && parseDocName(entry.name))
		.map((entry) => registry.open(entry.name));
}

function stamp(now: Date): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: TIME_ZONE,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(now)
			.map((p) => [p.type, p.value])
	);
	return `${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}`;
}

export interface ExportedChanges {
	kind: 'exported';
	fileName: string;
	text: string;
	docs: string[];
	/** Attachments carried in the file. */
	attachments: number;
}

export type ExportResult =
	| ExportedChanges
	| { kind: 'nothing' }
	/** The changes and the attachments the server lacks do not fit in one file. */
	| { kind: 'too-large'; bytes: number };

/** What this device stores and the server accepts: anything else could never be uploaded. */
const ATTACHMENT_RULES: AttachmentRules = {
	maxBytes: ATTACHMENT_MAX_BYTES,
	acceptsType: (type) => ACCEPTED_TYPES.split(',').includes(type)
};

/** Room for the JSON around the base64 of docs and attachments. */
const ENTRY_OVERHEAD = 1024;

/** Hashes of the file references (`FileRef.sha256`) that an update writes. */
function hashesWrittenBy(update: Uint8Array): Set<string> {
	const hashes = new Set<string>();
	for (const struct of Y.decodeUpdate(update).structs) {
		if (
			struct instanceof Y.Item &&
			struct.parentSub === 'sha256' &&
			struct.content instanceof Y.ContentAny
		) {
			for (const value of struct.content.arr) if (typeof value === 'string') hashes.add(value);
		}
	}
	return hashes;
}

const sizeInFile = (file: Pick<LocalFile, 'size' | 'name'>) =>
	base64Length(file.size) + file.name.length * 6 + ENTRY_OVERHEAD;

/**
 * The attachments to carry with these docs' changes: every file attached on this device for one
 * of them that the server does not have yet (never uploaded) must go; files already uploaded go
 * too when the carried changes refer to them (the importing device may be offline and should
 * show them), as far as they fit. Files of other docs, or that the server would refuse, stay.
 */
async function attachmentsFor(docs: SyncFileDoc[], budget: number): Promise<SyncFileAttachment[]> {
	const names = new Set(docs.map((d) => d.name));
	const stored =
		(await localDatabase()
			?.files.toArray()
			.catch(() => [])) ?? [];
	const carriable = stored.filter(
		(f) =>
			names.has(f.doc) &&
			f.size <= ATTACHMENT_RULES.maxBytes &&
			ATTACHMENT_RULES.acceptsType(f.type)
	);
	const referenced = new Set(docs.flatMap((d) => [...hashesWrittenBy(d.update)]));
	const chosen = carriable.filter((f) => !f.uploaded);
	let bytes = chosen.reduce((sum, f) => sum + sizeInFile(f), 0);
	for (const file of carriable) {
		if (!file.uploaded || !referenced.has(file.sha256)) continue;
		if (bytes + sizeInFile(file) > budget) continue;
		chosen.push(file);
		bytes += sizeInFile(file);
	}
	const attachments: SyncFileAttachment[] = [];
	for (const file of chosen) {
		const data = new Uint8Array(await file.data.arrayBuffer());
		const { sha256, doc, name, type } = file;
		attachments.push({ sha256, doc, name, type, size: data.byteLength, data });
	}
	return attachments;
}

/**
 * "My changes since the last sync" of every doc with unsynced changes, with the attachments the
 * server may lack, as a .qdsync file. Each doc's update leaves out what the server acknowledged
 * in this session; when that is unknown it holds the whole doc (Yjs ignores what the importer
 * has).
 */
export async function exportChanges(
	registry: DocRegistryLike,
	user: User,
	now = new Date()
): Promise<ExportResult> {
	const handles = await docsWithChanges(registry);
	const docs: SyncFileDoc[] = [];
	for (const handle of handles) {
		await whenLoaded(handle);
		const base = handle.serverStateVector ?? undefined;
		docs.push({ name: handle.name, update: Y.encodeStateAsUpdate(handle.doc, base) });
	}
	if (docs.length === 0) return { kind: 'nothing' };
	const docBytes = docs.reduce((sum, d) => sum + base64Length(d.update.byteLength) + 200, 0);
	const attachments = await attachmentsFor(docs, SYNC_FILE_MAX_BYTES - docBytes);
	const text = encodeSyncFile({
		exportedAt: now.toISOString(),
		exportedBy: { username: user.username, name: user.displayName },
		docs,
		attachments
	});
	const bytes = new Blob([text]).size;
	if (bytes > SYNC_FILE_MAX_BYTES) return { kind: 'too-large', bytes };
	return {
		kind: 'exported',
		fileName: syncFileName(user.username, stamp(now)),
		text,
		docs: docs.map((d) => d.name),
		attachments: attachments.length
	};
}

export type ImportOutcome =
	| { kind: 'merged'; exportedBy: string; docs: string[]; changed: string[]; files: number }
	| { kind: 'refused'; docs: string[] }
	| { kind: 'unknown'; docs: string[] }
	| { kind: 'invalid'; problem: SyncFileProblem | 'damaged'; doc: string; attachment: string }
	/** This device could not keep the attachments (storage full): nothing was imported. */
	| { kind: 'storage-failed' };

/** The counties the campaign doc lists, or null when this device does not know them yet. */
async function knownCounties(registry: DocRegistryLike, campaign: string) {
	const handle = registry.open(campaignDocName(campaign));
	await whenLoaded(handle);
	const counties = readCounties(handle.doc);
	return counties.length > 0 ? new Set(counties.map((c) => c.id)) : null;
}

/**
 * Keeps the file's attachments this device does not have, as not uploaded (so the upload path
 * sends them to the server), all in one transaction: either all are kept or none. Returns how
 * many were new, or null when they could not be kept.
 */
async function keepAttachments(attachments: SyncFileAttachment[]): Promise<number | null> {
	const db = localDatabase();
	if (!db || attachments.length === 0) return 0;
	try {
		return await db.transaction('rw', db.files, async () => {
			const present = await db.files.bulkGet(attachments.map((a) => a.sha256));
			const fresh = attachments.filter((_, i) => !present[i]);
			await db.files.bulkAdd(
				fresh.map(({ sha256, doc, name, type, size, data }) => ({
					sha256,
					doc,
					name,
					type,
					size,
					data: new Blob([data as Uint8Array<ArrayBuffer>], { type }),
					uploaded: 0 as const
				}))
			);
			return fresh.length;
		});
	} catch {
		return null;
	}
}

/**
 * Merges a .qdsync file into this device's docs and keeps its attachments, all or nothing at the
 * door: a file with a doc the user may not write, a damaged update or attachment, or one that is
 * not well-formed, changes nothing. Applied changes and attachments sync on to the server like
 * any made here.
 */
export async function importChanges(
	registry: DocRegistryLike,
	text: string,
	user: User | null
): Promise<ImportOutcome> {
	let file: SyncFile;
	try {
		file = await readSyncFile(text, ATTACHMENT_RULES);
	} catch (error) {
		if (error instanceof SyncFileError) {
			return {
				kind: 'invalid',
				problem: error.problem,
				doc: error.doc,
				attachment: error.attachment
			};
		}
		throw error;
	}
	const refs = file.docs.map((d) => ({ ...d, ref: parseDocName(d.name)! }));
	const refused = refs.filter((d) => !canWrite(user, d.ref)).map((d) => d.name);
	if (refused.length > 0) return { kind: 'refused', docs: refused };
	const unknown: string[] = [];
	for (const d of refs) {
		if (d.ref.kind !== 'county') continue;
		const counties = await knownCounties(registry, d.ref.campaign);
		if (counties && !counties.has(d.ref.county)) unknown.push(d.name);
	}
	if (unknown.length > 0) return { kind: 'unknown', docs: unknown };
	for (const d of file.docs) {
		// A damaged update throws in Yjs; find out on a scratch doc before touching a real one.
		const probe = new Y.Doc();
		try {
			Y.applyUpdate(probe, d.update);
		} catch {
			return { kind: 'invalid', problem: 'damaged', doc: d.name, attachment: '' };
		} finally {
			probe.destroy();
		}
	}
	// Attachments first: a card that refers to one never shows before its file is on the device.
	const files = await keepAttachments(file.attachments);
	if (files === null) return { kind: 'storage-failed' };
	const changed: string[] = [];
	for (const d of file.docs) {
		const handle = registry.open(d.name);
		await whenLoaded(handle);
		const before = Y.snapshot(handle.doc);
		handle.doc.transact(() => Y.applyUpdate(handle.doc, d.update, FILE_ORIGIN), FILE_ORIGIN);
		if (!Y.equalSnapshots(before, Y.snapshot(handle.doc))) changed.push(d.name);
	}
	if (files > 0 && navigator.onLine) void uploadPendingFiles();
	return {
		kind: 'merged',
		exportedBy: file.exportedBy.name || file.exportedBy.username,
		docs: file.docs.map((d) => d.name),
		changed,
		files
	};
}

export interface ServerImport {
	docs: { name: string; changed: boolean; incomplete: boolean }[];
	/** Attachments of the file; `stored` when the server did not have it before. */
	attachments: { sha256: string; doc: string; name: string; stored: boolean }[];
}

/** Sends a .qdsync file to the server (admin page); throws ApiError with the server's refusal. */
export async function uploadChanges(text: string): Promise<ServerImport> {
	let response: Response;
	try {
		response = await fetch('/api/sync-file', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: text,
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network');
	}
	const body = (await response.json().catch(() => null)) as ServerImport | null;
	if (!response.ok) throw apiErrorOf(response, body);
	return body!;
}
