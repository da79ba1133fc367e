import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { canRead, canWrite, parseDocName, type DocRef } from '../../src/lib/domain/docs.ts';
import { FILE_TYPES, SHA256_PATTERN } from '../files.ts';
import { log } from '../log.ts';
import { requireSession, type ApiServices, type Route } from './context.ts';
import { HttpError, sendJson } from './json.ts';

/** The doc named by `?doc=`, which must exist; attachments follow their doc's access rules. */
function docOf(url: URL, services: ApiServices): { name: string; ref: DocRef } {
	const name = url.searchParams.get('doc') ?? '';
	const ref = parseDocName(name);
	if (!ref || !services.registry.exists(ref)) {
		throw new HttpError(404, 'doc_not_found', 'There is no such document.');
	}
	return { name, ref };
}

function hashOf(param: string | undefined): string {
	if (!param || !SHA256_PATTERN.test(param)) {
		throw new HttpError(404, 'not_found', 'Files are addressed by their SHA-256 in lowercase hex.');
	}
	return param;
}

const mediaType = (req: IncomingMessage) =>
	(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** `PUT` and `GET /api/files/<sha256>?doc=<docName>`: attachments, stored by content hash. */
export const fileRoutes: Route[] = [
	{
		method: 'PUT',
		pattern: /^\/api\/files\/([^/]+)$/,
		handler: async ({ req, res, url, params }, services) => {
			const session = requireSession(req, services);
			const sha256 = hashOf(params[0]);
			const doc = docOf(url, services);
			if (!canWrite(session.user, doc.ref)) {
				throw new HttpError(403, 'forbidden', 'You cannot add files to this document.');
			}
			if (services.registry.isArchived(doc.ref.campaign)) {
				throw new HttpError(403, 'campaign_archived', 'This campaign is archived (read-only).');
			}
			const type = mediaType(req);
			if (!FILE_TYPES.has(type)) {
				throw new HttpError(
					415,
					'unsupported_type',
					`Files of type "${type}" are not accepted.`,
					{},
					{ type }
				);
			}
			const tooLarge = new HttpError(
				413,
				'too_large',
				`Files may have at most ${services.files.maxBytes} bytes.`,
				{ Connection: 'close' },
				{ maxBytes: services.files.maxBytes }
			);
			if (Number(req.headers['content-length']) > services.files.maxBytes) throw tooLarge;
			const result = await services.files.put(sha256, doc.name, type, req);
			if (!result.ok && result.reason === 'too_large') throw tooLarge;
			if (!result.ok) {
				throw new HttpError(400, 'hash_mismatch', 'The file does not match its SHA-256.');
			}
			if (result.created) {
				log('file.stored', {
					sha256,
					doc: doc.name,
					size: result.file.size,
					user: session.user.username
				});
			}
			sendJson(res, result.created ? 201 : 200, result.file);
		}
	},
	{
		method: 'GET',
		pattern: /^\/api\/files\/([^/]+)$/,
		handler: async ({ req, res, url, params }, services) => {
			const session = requireSession(req, services);
			const sha256 = hashOf(params[0]);
			const doc = docOf(url, services);
			if (!canRead(session.user, doc.ref)) {
				throw new HttpError(403, 'forbidden', 'You cannot read this document.');
			}
			const file = services.files.find(sha256, doc.name);
			if (!file) throw new HttpError(404, 'file_not_found', 'There is no such file.');
			const etag = `"${sha256}"`;
			const headers = {
				'Content-Type': file.type,
				'Cache-Control': 'private, max-age=31536000, immutable',
				ETag: etag,
				'Content-Disposition': FILE_TYPES.get(file.type)?.inline ? 'inline' : 'attachment'
			};
			if (req.headers['if-none-match'] === etag) {
				res.writeHead(304, headers);
				res.end();
				return;
			}
			const stream = fs.createReadStream(services.files.pathOf(sha256));
			await new Promise<void>((resolve, reject) => {
				stream.once('open', () => {
					res.writeHead(200, { ...headers, 'Content-Length': file.size });
					stream.pipe(res);
					resolve();
				});
				stream.once('error', reject);
			});
		}
	}
];
