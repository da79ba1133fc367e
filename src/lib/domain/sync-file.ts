import { parseDocName } from './docs';

/**
 * Sync by file (.qdsync): the changes of some docs as Yjs updates in a JSON envelope, for a
 * machine with no network at all, with the attachments (evidence files) those changes refer to
 * that the server may not have yet. Applying an update twice changes nothing (Yjs dedups) and
 * attachments are content-addressed, so a file may be imported any number of times, on any
 * device or on the server.
 */
export const SYNC_FILE_FORMAT = 'qingdan-changes';
/** Version 2 added `attachments`; version 1 files (docs only) are still read. */
export const SYNC_FILE_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];
export const SYNC_FILE_EXTENSION = '.qdsync';
export const SYNC_FILE_TYPE = 'application/json';
/**
 * The largest file we read: the docs are far below it (a county's whole board is a few hundred
 * kB); the rest is room for a few phone photos, base64-encoded (4 bytes per 3).
 */
export const SYNC_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** The largest attachment: the server's default per-file limit (`MAX_FILE_BYTES`). */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
/** Docs one file may carry: a campaign doc and its counties. */
const MAX_DOCS = 64;
const MAX_ATTACHMENTS = 500;
const SHA256 = /^[0-9a-f]{64}$/;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9][a-z0-9.+-]{0,99}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface SyncFileAuthor {
	username: string;
	name: string;
}

export interface SyncFileDoc {
	name: string;
	update: Uint8Array;
}

/** An evidence file as the card refers to it (`FileRef`), with the doc it belongs to and its bytes. */
export interface SyncFileAttachment {
	sha256: string;
	doc: string;
	name: string;
	type: string;
	size: number;
	data: Uint8Array;
}

export interface SyncFile {
	exportedAt: string;
	exportedBy: SyncFileAuthor;
	docs: SyncFileDoc[];
	attachments: SyncFileAttachment[];
}

/** What can be wrong with a file as read (each has its message `syncFile.invalid.<problem>`). */
export const SYNC_FILE_PROBLEMS = [
	'too-large',
	'json',
	'format',
	'version',
	'author',
	'docs',
	'doc-name',
	'duplicate',
	'base64',
	'attachments',
	'attachment',
	'attachment-doc',
	'attachment-type',
	'attachment-size',
	'attachment-hash'
] as const;

export type SyncFileProblem = (typeof SYNC_FILE_PROBLEMS)[number];

/**
 * Why a file cannot be read; `doc` names the doc entry at fault, if any, and `attachment` the
 * attachment (its name, or its hash when the name is unusable).
 */
export class SyncFileError extends Error {
	constructor(
		readonly problem: SyncFileProblem,
		message: string,
		readonly doc = '',
		readonly attachment = ''
	) {
		super(message);
	}
}

// Checked without a repeated group: V8's regex backtracking overflows the stack on megabytes.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Each ASCII code's six bits, or 64 for a code that is not in the alphabet. */
const DECODE = new Uint8Array(256).fill(64);
ENCODE.forEach((code, value) => (DECODE[code] = value));
const PAD = 61; // '='

/**
 * Base64 through lookup tables on bytes: linear, no intermediate binary string and no regex, so
 * photo-sized content (tens of MB) takes milliseconds, in the browser and on the server alike.
 */
export function toBase64(bytes: Uint8Array): string {
	const out = new Uint8Array(base64Length(bytes.length));
	let o = 0;
	let i = 0;
	for (; i + 2 < bytes.length; i += 3) {
		const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
		out[o++] = ENCODE[n >>> 18]!;
		out[o++] = ENCODE[(n >>> 12) & 63]!;
		out[o++] = ENCODE[(n >>> 6) & 63]!;
		out[o++] = ENCODE[n & 63]!;
	}
	const rest = bytes.length - i;
	if (rest > 0) {
		const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
		out[o++] = ENCODE[n >>> 18]!;
		out[o++] = ENCODE[(n >>> 12) & 63]!;
		out[o++] = rest === 2 ? ENCODE[(n >>> 6) & 63]! : PAD;
		out[o++] = PAD;
	}
	return ASCII.decode(out);
}

const ASCII = new TextDecoder();
const TO_BYTES = new TextEncoder();

/** Strict base64 (no whitespace, correct padding); null for anything else. */
export function fromBase64(text: string): Uint8Array | null {
	if (text.length % 4 !== 0) return null;
	// Any character outside ASCII becomes bytes ≥ 128, which the table refuses.
	const input = TO_BYTES.encode(text);
	if (input.length !== text.length) return null;
	const padding = input[input.length - 1] === PAD ? (input[input.length - 2] === PAD ? 2 : 1) : 0;
	const out = new Uint8Array((input.length / 4) * 3 - padding);
	let o = 0;
	for (let i = 0; i < input.length; i += 4) {
		const last = i + 4 === input.length;
		const a = DECODE[input[i]!]!;
		const b = DECODE[input[i + 1]!]!;
		const c = last && padding === 2 ? 0 : DECODE[input[i + 2]!]!;
		const d = last && padding >= 1 ? 0 : DECODE[input[i + 3]!]!;
		if ((a | b | c | d) & 64) return null;
		const n = (a << 18) | (b << 12) | (c << 6) | d;
		out[o++] = n >>> 16;
		if (o < out.length) out[o++] = (n >>> 8) & 255;
		if (o < out.length) out[o++] = n & 255;
	}
	return out;
}

/** The length of `bytes` bytes in base64. */
export const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** The file's text; docs without an update are left out, and so are their attachments. */
export function encodeSyncFile(
	file: Omit<SyncFile, 'attachments'> & { attachments?: SyncFileAttachment[] }
): string {
	const docs = file.docs.filter((d) => d.update.byteLength > 0);
	const names = new Set(docs.map((d) => d.name));
	return JSON.stringify({
		format: SYNC_FILE_FORMAT,
		version: SYNC_FILE_VERSION,
		exportedAt: file.exportedAt,
		exportedBy: { username: file.exportedBy.username, name: file.exportedBy.name },
		docs: docs.map((d) => ({ name: d.name, update: toBase64(d.update) })),
		attachments: (file.attachments ?? [])
			.filter((a) => names.has(a.doc))
			.map((a) => ({
				sha256: a.sha256,
				doc: a.doc,
				name: a.name,
				type: a.type,
				size: a.size,
				data: toBase64(a.data)
			}))
	});
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the importer accepts beyond the file's own rules. */
export interface AttachmentRules {
	/** The largest attachment the importer stores (the server's own limit). */
	maxBytes: number;
	/** Media types the importer stores. */
	acceptsType: (type: string) => boolean;
}

const ANY_TYPE: AttachmentRules = { maxBytes: ATTACHMENT_MAX_BYTES, acceptsType: () => true };

/**
 * Reads and checks a whole file, throwing a SyncFileError that says in plain words what is wrong.
 * The updates are only decoded from base64 here; whether they are well-formed Yjs is for the
 * importer to check (the server does, with its bounded reader). Attachments are checked for
 * shape, doc, type and size; their hashes by `verifyAttachments` (it needs async crypto).
 */
export function decodeSyncFile(text: string, rules: AttachmentRules = ANY_TYPE): SyncFile {
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
	if (!READABLE_VERSIONS.includes(body.version)) {
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
	const attachments = body.version === 1 ? [] : decodeAttachments(body.attachments, seen, rules);
	return {
		exportedAt: body.exportedAt,
		exportedBy: { username: by.username.slice(0, 100), name: by.name.slice(0, 100) },
		docs,
		attachments
	};
}

function decodeAttachments(
	list: unknown,
	docs: ReadonlySet<string>,
	rules: AttachmentRules
): SyncFileAttachment[] {
	if (!Array.isArray(list) || list.length > MAX_ATTACHMENTS) {
		throw new SyncFileError(
			'attachments',
			`The file must list at most ${MAX_ATTACHMENTS} attachments.`
		);
	}
	const seen = new Set<string>();
	return list.map((entry: unknown): SyncFileAttachment => {
		const field = (key: string) => (isRecord(entry) ? entry[key] : undefined);
		const sha256 = typeof field('sha256') === 'string' ? (field('sha256') as string) : '';
		const rawName = field('name');
		const nameOk =
			typeof rawName === 'string' &&
			rawName.length > 0 &&
			rawName.length <= 200 &&
			!CONTROL.test(rawName);
		const label = nameOk ? rawName : sha256.slice(0, 64) || '?';
		const doc = typeof field('doc') === 'string' ? (field('doc') as string) : '';
		const fail = (problem: SyncFileProblem, why: string): never => {
			throw new SyncFileError(problem, `Attachment "${label}": ${why}`, doc, label);
		};
		if (!SHA256.test(sha256)) fail('attachment', 'its SHA-256 is missing or not lowercase hex.');
		if (!nameOk) fail('attachment', 'its name is missing, too long or has control characters.');
		if (seen.has(sha256)) fail('attachment', 'it is listed twice.');
		seen.add(sha256);
		if (!docs.has(doc))
			fail('attachment-doc', `its board "${doc.slice(0, 80)}" is not in the file.`);
		const type = field('type');
		if (typeof type !== 'string' || !MEDIA_TYPE.test(type) || !rules.acceptsType(type)) {
			fail('attachment-type', `files of type "${String(type).slice(0, 100)}" are not accepted.`);
		}
		const size = field('size');
		if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
			fail('attachment', 'its size is not a whole number of bytes.');
		}
		if ((size as number) > rules.maxBytes) {
			fail(
				'attachment-size',
				`it has ${String(size)} bytes; at most ${rules.maxBytes} are accepted.`
			);
		}
		const text = field('data');
		const data =
			typeof text === 'string' && text.length <= base64Length(rules.maxBytes)
				? fromBase64(text)
				: null;
		if (!data) fail('attachment', 'its content is not valid base64.');
		if (data!.byteLength !== size) {
			fail('attachment-size', `its content has ${data!.byteLength} bytes, not ${String(size)}.`);
		}
		return {
			sha256,
			doc,
			name: rawName as string,
			type: type as string,
			size: size as number,
			data: data!
		};
	});
}

/** Lowercase hex SHA-256 of `bytes` (WebCrypto: in browsers and in Node). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws a SyncFileError naming the first attachment whose bytes do not match its SHA-256. */
export async function verifyAttachments(file: SyncFile): Promise<void> {
	for (const attachment of file.attachments) {
		if ((await sha256Hex(attachment.data)) !== attachment.sha256) {
			throw new SyncFileError(
				'attachment-hash',
				`Attachment "${attachment.name}": its content does not match its SHA-256 (damaged or altered).`,
				attachment.doc,
				attachment.name
			);
		}
	}
}

/** `decodeSyncFile` and `verifyAttachments`: everything that can be checked before writing. */
export async function readSyncFile(text: string, rules?: AttachmentRules): Promise<SyncFile> {
	const file = decodeSyncFile(text, rules);
	await verifyAttachments(file);
	return file;
}

/** A file name like `qingdan-zhangxin-20221105-1430.qdsync` (time in the exporter's zone). */
export function syncFileName(username: string, stamp: string): string {
	const safe = username.replace(/[^a-z0-9_-]/gi, '').slice(0, 40) || 'changes';
	return `qingdan-${safe}-${stamp}${SYNC_FILE_EXTENSION}`;
}
