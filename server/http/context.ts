import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from '../../src/lib/domain/model.ts';
import { readCookie } from '../auth/cookies.ts';
import { SESSION_COOKIE, type Session, type SessionStore } from '../auth/sessions.ts';
import type { LoginThrottle } from '../auth/throttle.ts';
import type { UserService } from '../auth/users.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Backups } from '../backup/service.ts';
import type { CampaignCreator } from '../campaign-create.ts';
import type { CampaignRegistry } from '../campaigns.ts';
import type { FileStore } from '../files.ts';
import type { Health } from '../health.ts';
import type { Rooms } from '../sync/rooms.ts';
import type { AllowedHosts } from './hosts.ts';
import { HttpError } from './json.ts';

/** What the API handlers work with. */
export interface ApiServices {
	users: UserService;
	sessions: SessionStore;
	throttle: LoginThrottle;
	registry: CampaignRegistry;
	/** Creates campaigns (活动管理), copying and carrying over from older ones. */
	campaigns: CampaignCreator;
	files: FileStore;
	/** Full backups of this server, and restores into it while it is fresh. */
	backups: Backups;
	/** Who changed what, as the server saw it (written by the sync path). */
	audit: AuditLog;
	/** The loaded docs, for imports that must reach connected clients. */
	rooms: Rooms;
	/** Tells open WebSocket connections that a user or their sessions changed. */
	userChanged(username: string): void;
	trustProxy: boolean;
	/** The Host names served, and the origin same-site requests carry. */
	hosts: AllowedHosts;
	/** Told when a request failed because storage could not be written. */
	health: Health;
}

export interface RequestContext {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	/** Captures of the route pattern, URL-decoded. */
	params: string[];
}

export type Handler = (ctx: RequestContext, services: ApiServices) => Promise<void> | void;

export interface Route {
	method: string;
	pattern: RegExp;
	handler: Handler;
}

export function currentSession(req: IncomingMessage, services: ApiServices): Session | null {
	return services.sessions.fromToken(readCookie(req, SESSION_COOKIE));
}

export function requireSession(req: IncomingMessage, services: ApiServices): Session {
	const session = currentSession(req, services);
	if (!session) throw new HttpError(401, 'unauthorized', 'Please sign in.');
	return session;
}

export function requireAdmin(req: IncomingMessage, services: ApiServices): Session {
	const session = requireSession(req, services);
	if (session.user.role !== 'admin') {
		throw new HttpError(403, 'forbidden', 'Only administrators can do this.');
	}
	return session;
}

/** The client's address: the socket's, or the last X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
	const forwarded = req.headers['x-forwarded-for'];
	if (trustProxy && typeof forwarded === 'string') {
		const hops = forwarded.split(',').map((hop) => hop.trim());
		const last = hops[hops.length - 1];
		if (last) return last;
	}
	return req.socket.remoteAddress ?? 'unknown';
}

/** The public shape of a user in API responses. */
export const publicUser = (user: User): User => ({
	username: user.username,
	displayName: user.displayName,
	role: user.role,
	...(user.county ? { county: user.county } : {})
});
