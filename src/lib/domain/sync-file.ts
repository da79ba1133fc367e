import { parseDocName } from './docs';

/**
 * Sync by file (.qdsync): the changes of some docs as Yjs updates in a JSON envelope, for a
 * machine with no network at all. Applying an update twice changes nothing (Yjs dedups), so a
 * file may be imported any number of times, on any device or on the server.
 */
export const SYNC_FILE_FORMAT = 'qingdan-changes';
export const SYNC_FILE_VERSION = 1;
export const SYNC_FILE_EXTENSION = '.qdsync';
export const SYNC_FILE_TYPE = 'application/json';
/** The largest file we read: far above a county's whole board (a few hundred kB). */
export const SYNC_FILE_MAX_BYTES = 16 * 1024 * 1024;
/** Docs one file may carry: a campaign doc and its counties. */
const MAX_DOCS = 64;

export interface SyncFileAuthor {
	username: string;
	name: string;
}

export interface SyncFileDoc {
	name: string;
	update: Uint8Array;
}

export interface SyncFile {
	exportedAt: string;
	exportedBy: SyncFileAuthor;
	docs: SyncFileDoc[];
}

export type SyncFileProblem =
	| 'too-large'
	| 'json'
	| 'format'
	| 'version'
	| 'author'
	| 'docs'
	| 'doc-name'
	| 'duplicate'
	| 'base64';

/** Why a file cannot be read; `doc` names the doc entry at fault, if any. */
export class SyncFileError extends Error {
	constructor(
		readonly problem: SyncFileProblem,
		message: string,
		readonly doc = ''
	) {
		super(message);
	}
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	const chunk = 0x8000;
	for (let i = 0; i < bytes.length; i += chunk) {
		binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
	}
	return btoa(binary);
}

/** Strict base64 (no whitespace, correct padding); null for anything else. */
export function fromBase64(text: string): Uint8Array | null {
	if (!BASE64.test(text)) return null;
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** The file's text; docs without an update are left out. */
export function encodeSyncFile(file: SyncFile): string {
	return JSON.stringify({
		format: SYNC_FILE_FORMAT,
		version: SYNC_FILE_VERSION,
		exportedAt: file.exportedAt,
		exportedBy: { username: file.exportedBy.username, name: file.exportedBy.name },
		docs: file.docs
			.filter((d) => d.update.byteLength > 0)
			.map((d) => ({ name: d.name, update: toBase64(d.update) }))
	});
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and checks a whole file, throwing a SyncFileError that says in plain words what is wrong.
 * The updates are only decoded from base64 here; whether they are well-formed Yjs is for the
 * importer to check (the server does, with its bounded reader).
 */
export function decodeSyncFile(text: string): SyncFile {
	if (text.length > SYNC_FILE_MAX_BYTES) {
		throw new SyncFileError('too-large', `The file is larger than ${SYNC_FILE_MAX_BYTES} bytes.`);
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new SyncFileError(
			'json',
			'The file is not valid JSON: it is not a Qingdan changes file.'
		);
	}
	if (!isRecord(body) || body.format !== SYNC_FILE_FORMAT) {
		throw new SyncFileError('format', 'The file is not a Qingdan changes file (.qdsync).');
	}
	if (body.version !== SYNC_FILE_VERSION) {
		throw new SyncFileError(
			'version',
			`The file has version ${String(body.version)}; this Qingdan reads version ${SYNC_FILE_VERSION}.`
		);
	}
	const by = body.exportedBy;
	if (
		!isRecord(by) ||
		typeof by.username !== 'string' ||
		typeof by.name !== 'string' ||
		typeof body.exportedAt !== 'string' ||
		Number.isNaN(Date.parse(body.exportedAt))
	) {
		throw new SyncFileError('author', 'The file does not say who exported it and when.');
	}
	if (!Array.isArray(body.docs) || body.docs.length > MAX_DOCS) {
		throw new SyncFileError('docs', `The file must list at most ${MAX_DOCS} boards.`);
	}
	const seen = new Set<string>();
	const docs = body.docs.map((entry: unknown): SyncFileDoc => {
		const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name : '';
		if (!parseDocName(name)) {
			throw new SyncFileError('doc-name', `"${name.slice(0, 80)}" is not a board name.`, name);
		}
		if (seen.has(name)) throw new SyncFileError('duplicate', `${name} is listed twice.`, name);
		seen.add(name);
		const update =
			isRecord(entry) && typeof entry.update === 'string' ? fromBase64(entry.update) : null;
		if (!update || update.byteLength === 0) {
			throw new SyncFileError('base64', `The changes of ${name} are not valid base64.`, name);
		}
		return { name, update };
	});
	return {
		exportedAt: body.exportedAt,
		exportedBy: { username: by.username.slice(0, 100), name: by.name.slice(0, 100) },
		docs
	};
}

/** A file name like `qingdan-zhangxin-20221105-1430.qdsync` (time in the exporter's zone). */
export function syncFileName(username: string, stamp: string): string {
	const safe = username.replace(/[^a-z0-9_-]/gi, '').slice(0, 40) || 'changes';
	return `qingdan-${safe}-${stamp}${SYNC_FILE_EXTENSION}`;
}
