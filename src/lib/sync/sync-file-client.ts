import * as Y from 'yjs';
import { readCounties } from '$lib/domain/campaign';
import { campaignDocName, canWrite, parseDocName } from '$lib/domain/docs';
import type { User } from '$lib/domain/model';
import {
	decodeSyncFile,
	encodeSyncFile,
	SyncFileError,
	syncFileName,
	type SyncFileDoc,
	type SyncFileProblem
} from '$lib/domain/sync-file';
import { TIME_ZONE } from '$lib/i18n/index.svelte';
import { localDatabase } from '$lib/local/db';
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
	fileName: string;
	text: string;
	docs: string[];
}

/**
 * "My changes since the last sync" of every doc with unsynced changes, as a .qdsync file; null
 * when there is nothing to export. Each doc's update leaves out what the server acknowledged in
 * this session; when that is unknown it holds the whole doc (Yjs ignores what the importer has).
 */
export async function exportChanges(
	registry: DocRegistryLike,
	user: User,
	now = new Date()
): Promise<ExportedChanges | null> {
	const handles = await docsWithChanges(registry);
	const docs: SyncFileDoc[] = [];
	for (const handle of handles) {
		await whenLoaded(handle);
		const base = handle.serverStateVector ?? undefined;
		docs.push({ name: handle.name, update: Y.encodeStateAsUpdate(handle.doc, base) });
	}
	if (docs.length === 0) return null;
	return {
		fileName: syncFileName(user.username, stamp(now)),
		text: encodeSyncFile({
			exportedAt: now.toISOString(),
			exportedBy: { username: user.username, name: user.displayName },
			docs
		}),
		docs: docs.map((d) => d.name)
	};
}

export type ImportOutcome =
	| { kind: 'merged'; exportedBy: string; docs: string[]; changed: string[] }
	| { kind: 'refused'; docs: string[] }
	| { kind: 'unknown'; docs: string[] }
	| { kind: 'invalid'; problem: SyncFileProblem | 'damaged'; doc: string };

/** The counties the campaign doc lists, or null when this device does not know them yet. */
async function knownCounties(registry: DocRegistryLike, campaign: string) {
	const handle = registry.open(campaignDocName(campaign));
	await whenLoaded(handle);
	const counties = readCounties(handle.doc);
	return counties.length > 0 ? new Set(counties.map((c) => c.id)) : null;
}

/**
 * Merges a .qdsync file into this device's docs, all or nothing at the door: a file with a doc
 * the user may not write, or one that is not well-formed, changes nothing. Applied changes sync
 * on to the server like any other update.
 */
export async function importChanges(
	registry: DocRegistryLike,
	text: string,
	user: User | null
): Promise<ImportOutcome> {
	let file;
	try {
		file = decodeSyncFile(text);
	} catch (error) {
		if (error instanceof SyncFileError) {
			return { kind: 'invalid', problem: error.problem, doc: error.doc };
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
			return { kind: 'invalid', problem: 'damaged', doc: d.name };
		} finally {
			probe.destroy();
		}
	}
	const changed: string[] = [];
	for (const d of file.docs) {
		const handle = registry.open(d.name);
		await whenLoaded(handle);
		const before = Y.snapshot(handle.doc);
		handle.doc.transact(() => Y.applyUpdate(handle.doc, d.update, FILE_ORIGIN), FILE_ORIGIN);
		if (!Y.equalSnapshots(before, Y.snapshot(handle.doc))) changed.push(d.name);
	}
	return {
		kind: 'merged',
		exportedBy: file.exportedBy.name || file.exportedBy.username,
		docs: file.docs.map((d) => d.name),
		changed
	};
}

export interface ServerImport {
	docs: { name: string; changed: boolean; incomplete: boolean }[];
}

/** Sends a .qdsync file to the server (admin page); throws Error with the server's message. */
export async function uploadChanges(text: string): Promise<ServerImport> {
	const response = await fetch('/api/sync-file', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: text,
		credentials: 'same-origin'
	});
	const body = (await response.json().catch(() => null)) as
		(ServerImport & { error?: string }) | null;
	if (!response.ok) throw new Error(body?.error ?? response.statusText);
	return body!;
}
