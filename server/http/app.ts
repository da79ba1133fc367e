import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db.ts';
import { errorText, log } from '../log.ts';
import { sendJson } from './json.ts';
import { setSecurityHeaders } from './security.ts';
import type { StaticSite } from './static.ts';

export interface AppOptions {
	db: Db;
	site: StaticSite;
	api: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

/** The HTTP request handler: security headers, then /healthz, /api, /sync or the static app. */
export function createRequestHandler({ db, site, api }: AppOptions) {
	const ping = db.prepare('SELECT 1');
	return (req: IncomingMessage, res: ServerResponse): void => {
		void (async () => {
			setSecurityHeaders(res, site.csp());
			const url = new URL(req.url ?? '/', 'http://localhost');
			const { pathname } = url;
			if (pathname === '/healthz') {
				ping.get();
				sendJson(res, 200, { ok: true });
			} else if (pathname === '/api' || pathname.startsWith('/api/')) {
				await api(req, res, url);
			} else if (pathname === '/sync' || pathname.startsWith('/sync/')) {
				res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
				res.end('Connect with a WebSocket.\n');
			} else {
				await site.serve(req, res, url);
			}
		})().catch((error) => {
			// The path only: a query string may carry something secret.
			const path = (req.url ?? '').split('?')[0]!.slice(0, 120);
			log('http.error', { path, error: errorText(error) });
			if (res.headersSent) {
				res.destroy();
			} else {
				res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
				res.end('Internal server error\n');
			}
		});
	};
}
