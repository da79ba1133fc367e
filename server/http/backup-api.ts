import { backupFileName } from '../backup/format.ts';
import { BackupError } from '../backup/read.ts';
import { NotFreshError } from '../backup/service.ts';
import { log } from '../log.ts';
import { DamagedDocError } from '../persistence/doc-store.ts';
import { requireAdmin, type Route } from './context.ts';
import { HttpError, sendJson } from './json.ts';

const CLOSE = { Connection: 'close' };

/** `GET /api/admin/backup` (a download) and `POST /api/admin/restore` (the file as the body). */
export const backupRoutes: Route[] = [
	{
		method: 'GET',
		pattern: /^\/api\/admin\/backup$/,
		handler: async ({ req, res }, services) => {
			const session = requireAdmin(req, services);
			// Checked before the download starts, so a refusal is a plain answer, not a cut file.
			await services.backups.verify().catch((error) => {
				if (!(error instanceof DamagedDocError)) throw error;
				log('backup.refused', { reason: error.message });
				throw new HttpError(
					409,
					'damaged',
					`No backup written: ${error.message}`,
					{},
					{ detail: error.message }
				);
			});
			const name = backupFileName(new Date());
			res.writeHead(200, {
				'Content-Type': 'application/gzip',
				'Content-Disposition': `attachment; filename="${name}"`,
				'Cache-Control': 'no-store'
			});
			log('backup.started', { user: session.user.username, file: name });
			await services.backups.write(res);
			log('backup.done', { file: name });
		}
	},
	{
		method: 'POST',
		pattern: /^\/api\/admin\/restore$/,
		handler: async ({ req, res }, services) => {
			const session = requireAdmin(req, services);
			try {
				const counts = await services.backups.restore(req);
				log('restore.done', { user: session.user.username, ...counts });
				sendJson(res, 200, { restored: counts });
			} catch (error) {
				if (error instanceof NotFreshError) {
					throw new HttpError(409, 'not_fresh', `Not restored: ${error.message}`, CLOSE, {
						detail: error.message
					});
				}
				if (error instanceof DamagedDocError) {
					throw new HttpError(409, 'damaged', `Not restored: ${error.message}`, CLOSE, {
						detail: error.message
					});
				}
				if (error instanceof BackupError) {
					throw new HttpError(400, 'bad_backup', `Not restored: ${error.message}`, CLOSE, {
						detail: error.message
					});
				}
				throw error;
			}
		}
	}
];
