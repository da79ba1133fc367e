import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Health } from '../health.ts';
import { errorText, log } from '../log.ts';
import { WRONG_HOST_MESSAGE, type AllowedHosts } from './hosts.ts';
import { HttpError, sendError, sendJson } from './json.ts';
import { setSecurityHeaders } from './security.ts';
import type { StaticSite } from './static.ts';

export interface AppOptions {
	health: Health;
	hosts: AllowedHosts;
	site: StaticSite;
	api: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

/** The HTTP request handler: security headers, then /healthz, /api, /sync or the static app. */
export function createRequestHandler({ health, hosts, site, api }: AppOptions) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		void (async () => {
			setSecurityHeaders(res, site.csp());
			const url = new URL(req.url ?? '/', 'http://localhost');
			const { pathname } = url;
			// /healthz answers any name: monitors and container health checks address the
			// server by IP, and it tells nothing a page could use.
			if (pathname !== '/healthz' && !hosts.allows(req)) {
				refuseHost(res, pathname);
			} else if (pathname === '/healthz') {
				const reasons = health.reasons();
				if (reasons.length > 0) sendJson(res, 503, { ok: false, reasons });
				else sendJson(res, 200, { ok: true });
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

/** 421 Misdirected Request: JSON for the API, plain text for a person's browser. */
function refuseHost(res: ServerResponse, pathname: string): void {
	if (pathname === '/api' || pathname.startsWith('/api/')) {
		sendError(res, new HttpError(421, 'wrong_host', WRONG_HOST_MESSAGE));
	} else {
		res.writeHead(421, {
			'Content-Type': 'text/plain; charset=utf-8',
			'Cache-Control': 'no-store'
		});
		res.end(`${WRONG_HOST_MESSAGE}\n`);
	}
}
