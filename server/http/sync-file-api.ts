import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import * as Y from 'yjs';
import { canWrite, parseDocName, type DocRef } from '../../src/lib/domain/docs.ts';
import {
	readSyncFile,
	SYNC_FILE_MAX_BYTES,
	SyncFileError,
	type SyncFile,
	type SyncFileAttachment
} from '../../src/lib/domain/sync-file.ts';
import type { Session } from '../auth/sessions.ts';
import { FILE_TYPES } from '../files.ts';
import { errorText, log } from '../log.ts';
import { FieldRuleError } from '../sync/field-rules.ts';
import { PendingError, type AdmitOptions } from '../sync/guard.ts';
import type { Peer, Room } from '../sync/room.ts';
import { checkUpdate } from '../sync/update-check.ts';
import { requireSession, type ApiServices, type Route } from './context.ts';
import { HttpError, sendJson } from './json.ts';

/** What the import did to one doc. */
export interface ImportedDoc {
	name: string;
	/** The doc holds something it did not hold before. */
	changed: boolean;
	/** Part of the update waits for changes the server has not seen (it is kept in memory only). */
	incomplete: boolean;
}

/** What the import did with one attachment. */
export interface ImportedAttachment {
	sha256: string;
	doc: string;
	name: string;
	/** The server did not have the file before. */
	stored: boolean;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const tooLarge = () =>
		new HttpError(
			413,
			'too_large',
			`A changes file may have at most ${SYNC_FILE_MAX_BYTES} bytes.`,
			{ Connection: 'close' },
			{ maxBytes: SYNC_FILE_MAX_BYTES }
		);
	if (Number(req.headers['content-length']) > SYNC_FILE_MAX_BYTES) throw tooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.byteLength;
		if (size > SYNC_FILE_MAX_BYTES) throw tooLarge();
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Decodes the file and checks every attachment against the rules of `PUT /api/files`. */
async function readFile(text: string, services: ApiServices): Promise<SyncFile> {
	try {
		return await readSyncFile(text, {
			maxBytes: services.files.maxBytes,
			acceptsType: (type) => FILE_TYPES.has(type)
		});
	} catch (error) {
		if (error instanceof SyncFileError) {
			const code = error.attachment ? 'bad_attachment' : 'bad_file';
			const message = error.attachment
				? `${error.message} Nothing from this file was imported.`
				: error.message;
			const { problem, doc, attachment } = error;
			throw new HttpError(400, code, message, {}, { problem, doc, attachment });
		}
		throw error;
	}
}

/** Checks the whole file before anything is applied: every doc exists, is writable, is well-formed. */
function checkAll(file: SyncFile, services: ApiServices, session: Session) {
	const refs = file.docs.map((d) => ({ name: d.name, ref: parseDocName(d.name) as DocRef }));
	const unknown = refs.filter((d) => !services.registry.exists(d.ref)).map((d) => d.name);
	if (unknown.length > 0) {
		const docs = unknown.join(', ');
		throw new HttpError(404, 'unknown_doc', `There is no such board: ${docs}.`, {}, { docs });
	}
	const forbidden = refs
		.filter((d) => !canWrite(session.user, d.ref) || services.registry.isArchived(d.ref.campaign))
		.map((d) => d.name);
	if (forbidden.length > 0) {
		const docs = forbidden.join(', ');
		throw new HttpError(
			403,
			'doc_forbidden',
			`You may not change ${docs}; nothing from this file was imported.`,
			{},
			{ docs }
		);
	}
	for (const doc of file.docs) {
		try {
			checkUpdate(doc.update);
		} catch (error) {
			throw new HttpError(
				400,
				'bad_update',
				`The changes of ${doc.name} are damaged (${errorText(error)}); nothing was imported.`,
				{},
				{ doc: doc.name }
			);
		}
	}
}

/** The importer as a room member: updates it applies are relayed to everyone else and committed. */
function importPeer(username: string): Peer {
	return {
		label: `sync-file:${username}`,
		isClosed: false,
		wantsAcks: false,
		send() {},
		close() {}
	};
}

/**
 * How the changes of a file are judged: like a WebSocket writer's (guard.ts, field-rules.ts), so a
 * file cannot do what a socket may not. The file carries the exporter's history entries and
 * client ids, so those are not held to the importer's name.
 */
const importOptions = (file: SyncFile, dryRun: boolean): AdmitOptions => ({
	attributeLog: false,
	alsoOwners: [file.exportedBy.username],
	dryRun
});

/** Judges `update` in `room` for `session`'s user; refusals become plain HTTP errors. */
function admitOrRefuse(
	room: Room,
	name: string,
	update: Uint8Array,
	session: Session,
	options: AdmitOptions
) {
	try {
		return room.admit(update, session.user, options);
	} catch (error) {
		if (error instanceof FieldRuleError) {
			throw new HttpError(
				403,
				'forbidden_change',
				`The changes of ${name} are not allowed (${error.message}); nothing from this file was imported.`,
				{},
				{ doc: name }
			);
		}
		if (error instanceof PendingError) {
			throw new HttpError(
				409,
				'incomplete_changes',
				`The changes of ${name} build on changes the server does not have (${error.message}); sync the device that made them first. Nothing from this file was imported.`,
				{},
				{ doc: name }
			);
		}
		throw new HttpError(
			400,
			'bad_update',
			`The changes of ${name} could not be applied.`,
			{},
			{ doc: name }
		);
	}
}

/** Every doc of the file judged against its room before anything is stored (all or nothing). */
async function checkChangesAll(
	services: ApiServices,
	file: SyncFile,
	session: Session,
	peer: Peer
): Promise<void> {
	for (const doc of file.docs) {
		const room = await services.rooms.join(doc.name, peer);
		if (!room) throw new HttpError(503, 'unavailable', 'The server is shutting down; try again.');
		try {
			await room.whenIdle();
			admitOrRefuse(room, doc.name, doc.update, session, importOptions(file, true));
		} finally {
			services.rooms.leave(room, peer);
		}
	}
}

/**
 * Stores one attachment the way `PUT /api/files` does (content-addressed, hash verified again,
 * linked to its doc), so the card's link works for everyone who may read the doc.
 */
async function importAttachment(
	services: ApiServices,
	attachment: SyncFileAttachment
): Promise<ImportedAttachment> {
	const { sha256, doc, name, type, data } = attachment;
	const body = Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
	const result = await services.files.put(sha256, doc, type, body);
	if (!result.ok) {
		throw new HttpError(
			400,
			'bad_attachment',
			`Attachment "${name}" could not be stored (${result.reason}).`,
			{},
			{ attachment: name }
		);
	}
	return { sha256, doc, name, stored: result.created };
}

/**
 * Applies one doc's update in its room (loading it from storage if nobody has it open), waits
 * until the change is committed, and says whether it brought anything new.
 */
async function importDoc(
	services: ApiServices,
	file: SyncFile,
	name: string,
	update: Uint8Array,
	session: Session,
	peer: Peer
): Promise<ImportedDoc> {
	const room = await services.rooms.join(name, peer);
	if (!room) throw new HttpError(503, 'unavailable', 'The server is shutting down; try again.');
	try {
		// A large update being applied in slices first (the room's doc must not change meanwhile).
		await room.whenIdle();
		const before = Y.snapshot(room.doc);
		const admission = admitOrRefuse(room, name, update, session, importOptions(file, false));
		room.receiveSyncUpdate(update, peer, admission, session.user.username);
		const changed = !Y.equalSnapshots(before, Y.snapshot(room.doc));
		// Refused above when anything would stay pending: an import is complete or not made.
		const incomplete = false;
		if (!(await room.whenSettled())) {
			throw new HttpError(
				503,
				'storage_failed',
				'The server could not store the changes; try again.'
			);
		}
		return { name, changed, incomplete };
	} finally {
		services.rooms.leave(room, peer);
	}
}

/**
 * `POST /api/sync-file`: imports a .qdsync file (see docs/design.md) for the signed-in user.
 * All or nothing at the door: one doc the user may not write, or one damaged attachment, refuses
 * the whole file. Attachments are stored before the changes that refer to them are applied.
 */
export const syncFileRoutes: Route[] = [
	{
		method: 'POST',
		pattern: /^\/api\/sync-file$/,
		handler: async ({ req, res }, services) => {
			const session = requireSession(req, services);
			const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
			if (type !== 'application/json') {
				throw new HttpError(415, 'unsupported_type', 'Send the changes file as application/json.');
			}
			const file = await readFile(await readBody(req), services);
			checkAll(file, services, session);
			const peer = importPeer(session.user.username);
			await checkChangesAll(services, file, session, peer);
			const attachments: ImportedAttachment[] = [];
			for (const attachment of file.attachments) {
				attachments.push(await importAttachment(services, attachment));
			}
			const docs: ImportedDoc[] = [];
			for (const doc of file.docs) {
				docs.push(await importDoc(services, file, doc.name, doc.update, session, peer));
			}
			log('sync_file.imported', {
				user: session.user.username,
				exportedBy: file.exportedBy.username,
				docs: docs.length,
				changed: docs
					.filter((d) => d.changed)
					.map((d) => d.name)
					.join(','),
				attachments: attachments.length,
				stored: attachments.filter((a) => a.stored).length
			});
			sendJson(res, 200, { docs, attachments });
		}
	}
];
