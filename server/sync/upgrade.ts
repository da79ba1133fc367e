import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { CampaignRegistry } from '../campaigns.ts';
import { canRead, parseDocName, type DocRef } from '../../src/lib/domain/docs.ts';
import { readCookie } from '../auth/cookies.ts';
import { SESSION_COOKIE, type Session, type SessionStore } from '../auth/sessions.ts';
import { WRONG_HOST_MESSAGE, type AllowedHosts } from '../http/hosts.ts';
import { isCrossOrigin, securityHeaders } from '../http/security.ts';
import { errorText, log } from '../log.ts';
import type { ConnectionIndex } from './access.ts';
import { Connection } from './connection.ts';
import type { Rooms } from './rooms.ts';

export const SYNC_PREFIX = '/sync/';
/** Longer names cannot be valid (`county.` + two 63-character ids). */
const MAX_DOC_NAME_LENGTH = 200;

export interface UpgradeOptions {
	wss: WebSocketServer;
	hosts: AllowedHosts;
	sessions: SessionStore;
	registry: CampaignRegistry;
	rooms: Rooms;
	connections: ConnectionIndex;
	maxMessageBytes: number;
	/** More WebSockets than this for one user are refused with 429. */
	maxSocketsPerUser: number;
}

type Verdict =
	{ status: number; reason: string } | { docName: string; ref: DocRef; session: Session };

/**
 * Handles `upgrade` for `GET /sync/<docName>`: every check runs before the handshake completes,
 * and a refusal is a plain HTTP response on the raw socket, so a stranger costs no doc load.
 */
export function createUpgradeHandler(options: UpgradeOptions) {
	return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
		socket.on('error', () => socket.destroy());
		try {
			const verdict = check(req, options);
			if ('status' in verdict) {
				log('ws.refused', {
					status: verdict.status,
					reason: verdict.reason,
					path: shorten(req.url)
				});
				refuse(socket, verdict.status);
				return;
			}
			options.wss.handleUpgrade(req, socket, head, (ws) => {
				const connection = new Connection(ws, {
					...verdict,
					rooms: options.rooms,
					archived: (campaign) => options.registry.isArchived(campaign),
					maxQueuedBytes: Math.max(2 * options.maxMessageBytes, 32 * 1024 * 1024),
					onClose: (closed) => options.connections.remove(closed)
				});
				if (!connection.isClosed) options.connections.add(connection);
			});
		} catch (error) {
			log('ws.upgrade_failed', { error: errorText(error) });
			refuse(socket, 500);
		}
	};
}

function check(req: IncomingMessage, options: UpgradeOptions): Verdict {
	const path = (req.url ?? '').split('?')[0]!;
	if (!options.hosts.allows(req)) return { status: 421, reason: 'host not allowed' };
	if (!path.startsWith(SYNC_PREFIX)) return { status: 404, reason: 'not a sync path' };
	if (isCrossOrigin(req, options.hosts.publicOrigin))
		return { status: 403, reason: 'cross-origin' };
	const session = options.sessions.fromToken(readCookie(req, SESSION_COOKIE));
	if (!session) return { status: 401, reason: 'no session' };
	const docName = decodeOnce(path.slice(SYNC_PREFIX.length));
	const ref = docName === null ? null : parseDocName(docName);
	if (docName === null || ref === null) return { status: 404, reason: 'bad doc name' };
	if (!options.registry.exists(ref)) return { status: 404, reason: 'unknown doc' };
	if (!canRead(session.user, ref)) return { status: 403, reason: 'no read access' };
	if (options.connections.countOf(session.user.username) >= options.maxSocketsPerUser) {
		return { status: 429, reason: 'too many sockets' };
	}
	return { docName, ref, session };
}

function decodeOnce(raw: string): string | null {
	if (raw.length > 3 * MAX_DOC_NAME_LENGTH) return null;
	try {
		const name = decodeURIComponent(raw);
		return name.length <= MAX_DOC_NAME_LENGTH ? name : null;
	} catch {
		return null;
	}
}

function refuse(socket: Duplex, status: number): void {
	const body = `${status === 421 ? WRONG_HOST_MESSAGE : (STATUS_CODES[status] ?? 'Error')}\n`;
	socket.once('finish', () => socket.destroy());
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
			Object.entries(REFUSAL_HEADERS)
				.map(([name, value]) => `${name}: ${value}\r\n`)
				.join('') +
			'Connection: close\r\n' +
			'Content-Type: text/plain; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}

/** The path for a log line: never the query string (clients may put credentials there). */
const shorten = (url: string | undefined) => (url ?? '').split('?')[0]!.slice(0, 120);

/** A refusal is plain text that nothing may load, frame or sniff. */
const REFUSAL_HEADERS = securityHeaders("default-src 'none'; frame-ancestors 'none'");
