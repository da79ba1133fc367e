import { readNewCampaign } from '../../src/lib/domain/campaign-copy.ts';
import { CampaignCreateError } from '../campaign-create.ts';
import { log } from '../log.ts';
import { requireAdmin, type Route } from './context.ts';
import { HttpError, readJsonObject, sendJson } from './json.ts';

const CREATE_STATUS = { campaign_taken: 409, campaign_source_unknown: 400, unavailable: 503 };

/**
 * Campaigns (活动管理): administrators create and archive them (everyone signed in lists them:
 * `GET /api/campaigns`, session-api.ts).
 */
export const campaignRoutes: Route[] = [
	{
		method: 'POST',
		pattern: /^\/api\/campaigns$/,
		handler: async ({ req, res }, services) => {
			const admin = requireAdmin(req, services);
			const read = readNewCampaign(await readJsonObject(req));
			if (!read.ok) {
				const { code, field, message } = read.issue;
				throw new HttpError(400, code, message, {}, { field });
			}
			const input = read.value;
			const created = await services.campaigns
				.create(input, admin.user.username)
				.catch((error: unknown) => {
					if (!(error instanceof CampaignCreateError)) throw error;
					throw new HttpError(
						CREATE_STATUS[error.code],
						error.code,
						error.message,
						{},
						{
							id: input.id,
							...(input.copyFrom ? { copyFrom: input.copyFrom } : {})
						}
					);
				});
			log('campaign.created', {
				campaign: input.id,
				copyFrom: input.copyFrom ?? '',
				carried: Object.values(created.carried).reduce((a, b) => a + b, 0),
				by: admin.user.username
			});
			sendJson(res, 201, {
				campaign: {
					...created.campaign,
					startDate: input.startDate,
					endDate: input.endDate,
					reportDueDate: input.reportDueDate
				},
				carried: created.carried
			});
		}
	},
	{
		method: 'POST',
		pattern: /^\/api\/campaigns\/([^/]+)\/archive$/,
		handler: async ({ req, res, params }, services) => {
			const admin = requireAdmin(req, services);
			const id = params[0]!;
			const body = await readJsonObject(req);
			if (typeof body.archived !== 'boolean') {
				throw new HttpError(
					400,
					'archived_invalid',
					'Say {"archived": true} to archive the campaign or {"archived": false} to reopen it.'
				);
			}
			if (!services.registry.setArchived(id, body.archived)) {
				throw new HttpError(404, 'campaign_not_found', `There is no campaign ${id}.`, {}, { id });
			}
			log('campaign.archived', { campaign: id, archived: body.archived, by: admin.user.username });
			const campaign = services.registry.list().find((c) => c.id === id);
			sendJson(res, 200, { campaign });
		}
	}
];
