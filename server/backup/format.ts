import * as Y from 'yjs';

/**
 * A Qingdan backup: gzip of JSON lines, one record a line, in this order: `header`, every
 * `campaign`, every `user`, every `doc`, every `file`, then `end` with the counts (a file cut
 * short has no `end`). docs/backup.md describes every field.
 */
export const BACKUP_FORMAT = 'qingdan-backup';
export const BACKUP_VERSION = 1;
/** A line may hold one attachment as base64; larger lines are refused, not buffered. */
export const MAX_LINE_BYTES = 128 * 1024 * 1024;

export interface HeaderRecord {
	kind: 'header';
	format: typeof BACKUP_FORMAT;
	version: number;
	createdAt: string;
	server: { name: string; version: string };
}

export interface CampaignRecord {
	kind: 'campaign';
	id: string;
	name: string;
	counties: { id: string; name: string }[];
}

export interface UserRecord {
	kind: 'user';
	username: string;
	displayName: string;
	role: string;
	county: string | null;
	passwordHash: string;
	createdAt: string;
	updatedAt: string;
}

export interface DocRecord {
	kind: 'doc';
	name: string;
	/** The full Yjs state (`Y.encodeStateAsUpdate`), base64. */
	state: string;
	/** The same content as plain JSON, so it can be read without this app. Not read on restore. */
	json: Record<string, unknown>;
}

export interface FileRecord {
	kind: 'file';
	sha256: string;
	type: string;
	size: number;
	/** The docs whose cards refer to it (reading a file goes through its doc's access). */
	docs: string[];
	/** The bytes, base64. */
	data: string;
}

export interface EndRecord {
	kind: 'end';
	counts: BackupCounts;
}

export interface BackupCounts {
	campaigns: number;
	users: number;
	docs: number;
	files: number;
}

export type BackupRecord =
	HeaderRecord | CampaignRecord | UserRecord | DocRecord | FileRecord | EndRecord;

/** Every root map of a doc as plain JSON (our docs keep only maps at the root). */
export function docJson(doc: Y.Doc): Record<string, unknown> {
	const json: Record<string, unknown> = {};
	for (const key of [...doc.share.keys()].sort()) json[key] = doc.getMap(key).toJSON();
	return json;
}

/** `at` in Asia/Shanghai time as zero-padded parts (year, month, day, hour, minute, second). */
export function shanghaiParts(at: Date): Record<string, string> {
	return Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: 'Asia/Shanghai',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(at)
			.map((part) => [part.type, part.value])
	);
}

/** A file name for a backup made at `at`, in Asia/Shanghai time: qingdan-backup-YYYYMMDD-HHmm. */
export function backupFileName(at: Date): string {
	const parts = shanghaiParts(at);
	return `qingdan-backup-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}.qdbackup`;
}
