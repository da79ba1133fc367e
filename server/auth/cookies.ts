import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from './sessions.ts';

/** The value of one cookie from a request's Cookie header. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
	const header = req.headers.cookie;
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
		const value = part.slice(eq + 1).trim();
		try {
			return decodeURIComponent(value);
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/** True when the request reached us over HTTPS (directly or through a proxy that says so). */
export function isHttps(req: IncomingMessage): boolean {
	const forwarded = req.headers['x-forwarded-proto'];
	const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
	return proto === 'https' || ('encrypted' in req.socket && req.socket.encrypted === true);
}

function sessionCookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
	const secure = isHttps(req) ? '; Secure' : '';
	return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
}

export const setSessionCookie = (req: IncomingMessage, token: string, expiresAt: number): string =>
	sessionCookie(req, token, Math.floor((expiresAt - Date.now()) / 1000));

export const clearSessionCookie = (req: IncomingMessage): string => sessionCookie(req, '', 0);
