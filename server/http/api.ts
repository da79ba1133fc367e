import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStorageError } from '../health.ts';
import { errorText, log } from '../log.ts';
import { auditRoutes } from './audit-api.ts';
import { backupRoutes } from './backup-api.ts';
import { campaignRoutes } from './campaigns-api.ts';
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
	...backupRoutes,
	...auditRoutes,
	...campaignRoutes
];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const STORAGE_UNAVAILABLE =
	'服务器暂时无法保存数据（存储繁忙、已满或出错），本次操作未生效，请稍后再试。 ' +
	'The server cannot save right now (its storage is busy, full or failing); nothing was changed. Please try again in a minute.';

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
			const storage = isStorageError(error);
			if (storage) services.health.writeFailed(error);
			const answer =
				error instanceof HttpError
					? error
					: storage
						? new HttpError(503, 'storage_unavailable', STORAGE_UNAVAILABLE, {
								'Retry-After': '60'
							})
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
