import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as Y from 'yjs';
import { isId, parseDocName } from '../../src/lib/domain/docs.ts';
import { isRole } from '../../src/lib/domain/model.ts';
import { USERNAME_PATTERN, type UserRow } from '../auth/users.ts';
import type { CampaignSummary } from '../campaigns.ts';
import { FILE_TYPES, SHA256_PATTERN, type StoredFile } from '../files.ts';
import type { ReplacedDoc } from '../persistence/doc-store.ts';
import { checkUpdate } from '../sync/update-check.ts';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	MAX_LINE_BYTES,
	type BackupCounts,
	type HeaderRecord
} from './format.ts';

/** A backup file that cannot be restored; the message says why in plain words. */
export class BackupError extends Error {}

export interface StagedFile extends StoredFile {
	docs: string[];
	/** Where the verified bytes wait until the restore moves them into the file store. */
	path: string;
}

/** Everything a backup holds, checked; docs as Yjs states, files staged on disk. */
export interface RestorePlan {
	header: HeaderRecord;
	campaigns: CampaignSummary[];
	users: UserRow[];
	docs: ReplacedDoc[];
	files: StagedFile[];
	counts: BackupCounts;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Json = Record<string, unknown>;

function text(record: Json, key: string, max = 1000): string {
	const value = record[key];
	if (typeof value !== 'string' || value.length > max) {
		throw new BackupError(`"${key}" must be text of at most ${max} characters.`);
	}
	return value;
}

function base64(record: Json, key: string): Buffer {
	const value = record[key];
	if (typeof value !== 'string' || !BASE64.test(value)) {
		throw new BackupError(`"${key}" is not valid base64.`);
	}
	return Buffer.from(value, 'base64');
}

/** Splits a byte stream into lines without holding more than one line at a time. */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
	let parts: Buffer[] = [];
	let size = 0;
	for await (const chunk of input) {
		let start = 0;
		for (;;) {
			const end = chunk.indexOf(0x0a, start);
			const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
			size += piece.length;
			if (size > MAX_LINE_BYTES) {
				throw new BackupError(`A record is larger than ${MAX_LINE_BYTES} bytes.`);
			}
			parts.push(piece);
			if (end === -1) break;
			yield Buffer.concat(parts).toString('utf8');
			parts = [];
			size = 0;
			start = end + 1;
		}
	}
	if (size > 0) yield Buffer.concat(parts).toString('utf8');
}

function header(record: Json): HeaderRecord {
	if (record.kind !== 'header' || record.format !== BACKUP_FORMAT) {
		throw new BackupError('This is not a Qingdan backup file.');
	}
	if (record.version !== BACKUP_VERSION) {
		throw new BackupError(
			`This backup has format version ${String(record.version)}; this server reads version ${BACKUP_VERSION}.`
		);
	}
	return record as unknown as HeaderRecord;
}

function campaign(record: Json): CampaignSummary {
	const id = text(record, 'id', 63);
	if (!isId(id)) throw new BackupError(`"${id}" is not a valid campaign id.`);
	const counties = record.counties;
	if (!Array.isArray(counties)) throw new BackupError(`Campaign ${id} has no county list.`);
	return {
		id,
		name: text(record, 'name', 200),
		counties: counties.map((county: unknown) => {
			const c = (typeof county === 'object' && county !== null ? county : {}) as Json;
			const countyId = text(c, 'id', 63);
			if (!isId(countyId)) throw new BackupError(`"${countyId}" is not a valid county id.`);
			return { id: countyId, name: text(c, 'name', 200) };
		}),
		archived: record.archived === true
	};
}

function user(record: Json): UserRow {
	const username = text(record, 'username', 32);
	if (!USERNAME_PATTERN.test(username)) throw new BackupError(`"${username}" is not a username.`);
	const role = text(record, 'role', 20);
	if (!isRole(role)) throw new BackupError(`User ${username} has an unknown role "${role}".`);
	const county = record.county === null ? null : text(record, 'county', 63);
	if ((role === 'county') !== (county !== null) || (county !== null && !isId(county))) {
		throw new BackupError(`User ${username}: only county users have a county, and they must.`);
	}
	const passwordHash = text(record, 'passwordHash', 500);
	if (!passwordHash.startsWith('scrypt$')) {
		throw new BackupError(`User ${username} has no usable password hash.`);
	}
	return {
		username,
		display_name: text(record, 'displayName', 200),
		role,
		county,
		password_hash: passwordHash,
		created_at: text(record, 'createdAt', 40),
		updated_at: text(record, 'updatedAt', 40)
	};
}

function doc(record: Json): ReplacedDoc {
	const name = text(record, 'name', 200);
	if (!parseDocName(name)) throw new BackupError(`"${name}" is not a document name.`);
	const state = new Uint8Array(base64(record, 'state'));
	try {
		checkUpdate(state);
	} catch (error) {
		throw new BackupError(`Document ${name} is damaged: ${(error as Error).message}.`);
	}
	const ydoc = new Y.Doc();
	try {
		Y.applyUpdate(ydoc, state);
		if (ydoc.store.pendingStructs || ydoc.store.pendingDs) {
			throw new BackupError(`Document ${name} is incomplete: parts of its history are missing.`);
		}
	} catch (error) {
		if (error instanceof BackupError) throw error;
		throw new BackupError(`Document ${name} is damaged: ${(error as Error).message}.`);
	} finally {
		ydoc.destroy();
	}
	return { name, state };
}

async function file(record: Json, stagingDir: string): Promise<StagedFile> {
	const sha256 = text(record, 'sha256', 64);
	if (!SHA256_PATTERN.test(sha256)) throw new BackupError(`"${sha256}" is not a SHA-256.`);
	const type = text(record, 'type', 200);
	if (!FILE_TYPES.has(type)) throw new BackupError(`File ${sha256} has an unsupported type.`);
	const docs = record.docs;
	if (!Array.isArray(docs) || !docs.every((d) => typeof d === 'string' && parseDocName(d))) {
		throw new BackupError(`File ${sha256} names documents that cannot exist.`);
	}
	const data = base64(record, 'data');
	if (data.length !== record.size || createHash('sha256').update(data).digest('hex') !== sha256) {
		throw new BackupError(`File ${sha256} is damaged: its bytes do not match its hash or size.`);
	}
	const staged = path.join(stagingDir, `${sha256}-${randomBytes(6).toString('hex')}`);
	await fs.promises.writeFile(staged, data);
	return { sha256, type, size: data.length, docs: docs as string[], path: staged };
}

/**
 * Reads and checks a whole backup before anything is restored: format and version, every name,
 * every Yjs state (through the bounded update check, then Yjs itself), every file's hash, and
 * the closing counts, so a file cut short or altered is refused. Files are staged in
 * `stagingDir`; on a refusal the caller removes that directory.
 */
export async function readBackup(
	input: AsyncIterable<Buffer>,
	stagingDir: string
): Promise<RestorePlan> {
	const plan: Partial<RestorePlan> & Omit<RestorePlan, 'header' | 'counts'> = {
		campaigns: [],
		users: [],
		docs: [],
		files: []
	};
	const gunzip = createGunzip();
	// Errors of the source or of gunzip surface where the lines are read.
	const feeding = pipeline(input, gunzip).catch(() => {});
	const unzipped = (async function* () {
		try {
			yield* gunzip as AsyncIterable<Buffer>;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			throw new BackupError(
				code === 'Z_DATA_ERROR'
					? 'This is not a Qingdan backup file (it is not gzip data), or it is damaged.'
					: 'The backup file is incomplete or damaged; it could not be read to the end.'
			);
		} finally {
			gunzip.destroy();
			await feeding;
		}
	})();

	let line = 0;
	let ended = false;
	const seen = new Set<string>();
	for await (const raw of linesOf(unzipped)) {
		line++;
		if (ended) throw new BackupError('The backup has data after its end record.');
		let record: Json;
		try {
			const parsed: unknown = JSON.parse(raw);
			if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
			record = parsed as Json;
		} catch {
			throw new BackupError(`Line ${line} of the backup is not a JSON record.`);
		}
		try {
			if (line === 1) {
				plan.header = header(record);
				continue;
			}
			const key = `${String(record.kind)}:${String(record.name ?? record.id ?? record.username ?? record.sha256)}`;
			if (seen.has(key)) throw new BackupError(`${key} appears twice.`);
			seen.add(key);
			switch (record.kind) {
				case 'campaign':
					plan.campaigns.push(campaign(record));
					break;
				case 'user':
					plan.users.push(user(record));
					break;
				case 'doc':
					plan.docs.push(doc(record));
					break;
				case 'file':
					plan.files.push(await file(record, stagingDir));
					break;
				case 'end':
					if (typeof record.counts !== 'object' || record.counts === null) {
						throw new BackupError('The end record has no counts.');
					}
					plan.counts = record.counts as BackupCounts;
					ended = true;
					break;
				default:
					throw new BackupError(`Unknown record kind "${String(record.kind)}".`);
			}
		} catch (error) {
			if (error instanceof BackupError && line > 1) {
				throw new BackupError(`Line ${line}: ${error.message}`);
			}
			throw error;
		}
	}
	if (!plan.header) throw new BackupError('The file is empty: it is not a Qingdan backup.');
	if (!ended || !plan.counts) {
		throw new BackupError('The backup is incomplete: it ends before its end record.');
	}
	checkCounts(plan as RestorePlan);
	checkReferences(plan as RestorePlan);
	return plan as RestorePlan;
}

function checkCounts(plan: RestorePlan): void {
	const found: BackupCounts = {
		campaigns: plan.campaigns.length,
		users: plan.users.length,
		docs: plan.docs.length,
		files: plan.files.length
	};
	for (const key of Object.keys(found) as (keyof BackupCounts)[]) {
		if (plan.counts[key] !== found[key]) {
			throw new BackupError(
				`The backup is incomplete: its end record lists ${String(plan.counts[key])} ${key}, the file holds ${found[key]}.`
			);
		}
	}
}

/** Every doc, user county and file must belong to a campaign and county the backup holds. */
function checkReferences(plan: RestorePlan): void {
	const counties = new Map(plan.campaigns.map((c) => [c.id, new Set(c.counties.map((x) => x.id))]));
	const exists = (name: string) => {
		const ref = parseDocName(name);
		if (!ref) return false;
		const campaign = counties.get(ref.campaign);
		return campaign !== undefined && (ref.kind === 'campaign' || campaign.has(ref.county));
	};
	for (const d of plan.docs) {
		if (!exists(d.name))
			throw new BackupError(`Document ${d.name} belongs to no campaign in the backup.`);
	}
	for (const f of plan.files) {
		const orphan = f.docs.find((name) => !exists(name));
		if (orphan) throw new BackupError(`File ${f.sha256} belongs to unknown document ${orphan}.`);
	}
	const known = new Set([...counties.values()].flatMap((set) => [...set]));
	for (const u of plan.users) {
		if (u.county && !known.has(u.county)) {
			throw new BackupError(`User ${u.username} belongs to unknown county ${u.county}.`);
		}
	}
}
