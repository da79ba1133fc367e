import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorText, log } from '../log.ts';
import { backupRoutes } from './backup-api.ts';
import type { ApiServices, Route } from './context.ts';
import { fileRoutes } from './files-api.ts';
import { HttpError, sendError } from './json.ts';
import { isCrossOrigin } from './security.ts';
import { sessionRoutes } from './session-api.ts';
import { syncFileRoutes } from './sync-file-api.ts';
import { userRoutes } from './users-api.ts';

const ROUTES: Route[] = [
	...sessionRoutes,
	...userRoutes,
	...fileRoutes,
	...syncFileRoutes,
	...backupRoutes
];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The JSON API under /api. Errors are answered as `{"error", "code"}` and logged. */
export function createApi(services: ApiServices) {
	return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
		const started = performance.now();
		const method = req.method ?? 'GET';
		try {
			if (!SAFE_METHODS.has(method) && isCrossOrigin(req, services.hosts.publicOrigin)) {
				throw new HttpError(403, 'cross_origin', 'Requests from other sites are not allowed.');
			}
			const matches = ROUTES.map((route) => ({
				route,
				match: route.pattern.exec(url.pathname)
			})).filter((m) => m.match !== null);
			if (matches.length === 0) throw new HttpError(404, 'not_found', 'There is no such endpoint.');
			const found = matches.find((m) => m.route.method === method);
			if (!found) {
				const allow = matches.map((m) => m.route.method).join(', ');
				throw new HttpError(405, 'method_not_allowed', `Use ${allow}.`, { Allow: allow });
			}
			const params = found.match!.slice(1).map((p) => decodeParam(p));
			await found.route.handler({ req, res, url, params }, services);
		} catch (error) {
			if (!(error instanceof HttpError)) {
				log('http.error', { method, path: url.pathname, error: errorText(error) });
			}
			const answer =
				error instanceof HttpError
					? error
					: new HttpError(500, 'internal', 'Something went wrong on the server.');
			if (!res.headersSent) sendError(res, answer);
			else res.destroy();
		} finally {
			log('http', {
				method,
				path: url.pathname,
				status: res.statusCode,
				ms: Math.round(performance.now() - started)
			});
		}
	};
}

function decodeParam(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		throw new HttpError(404, 'not_found', 'There is no such endpoint.');
	}
}
