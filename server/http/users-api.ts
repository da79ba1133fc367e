import { isRole, type Role } from '../../src/lib/domain/model.ts';
import { UserError, type UserChanges, type UserErrorCode } from '../auth/users.ts';
import { log } from '../log.ts';
import { publicUser, requireAdmin, type Route } from './context.ts';
import { HttpError, readJsonObject, sendEmpty, sendJson } from './json.ts';

const STATUS: Record<UserErrorCode, number> = {
	username_invalid: 400,
	role_invalid: 400,
	password_short: 400,
	password_long: 400,
	password_common: 400,
	display_name_invalid: 400,
	display_name_too_long: 400,
	county_not_allowed: 400,
	county_required: 400,
	county_unknown: 400,
	last_admin: 400,
	taken: 409,
	setup_done: 409,
	user_not_found: 404
};

/** Turns a UserError into its HTTP answer; anything else is rethrown as is. */
export function toHttpError(error: unknown): unknown {
	return error instanceof UserError
		? new HttpError(STATUS[error.code], error.code, error.message, {}, error.params)
		: error;
}

function optionalText(body: Record<string, unknown>, key: string): string | null | undefined {
	const value = body[key];
	if (value === undefined || value === null) return value;
	if (typeof value !== 'string') {
		throw new HttpError(400, 'field_not_text', `"${key}" must be text.`, {}, { field: key });
	}
	return value;
}

function role(value: unknown): Role {
	if (!isRole(value)) {
		throw new HttpError(400, 'role_invalid', 'The role must be admin, city, county or viewer.');
	}
	return value;
}

/** User administration; every route is for administrators only. */
export const userRoutes: Route[] = [
	{
		method: 'GET',
		pattern: /^\/api\/users$/,
		handler: ({ req, res }, services) => {
			requireAdmin(req, services);
			sendJson(res, 200, { users: services.users.list().map(publicUser) });
		}
	},
	{
		method: 'POST',
		pattern: /^\/api\/users$/,
		handler: async ({ req, res }, services) => {
			const admin = requireAdmin(req, services);
			const body = await readJsonObject(req);
			const user = await services.users
				.create({
					username: optionalText(body, 'username') ?? '',
					password: optionalText(body, 'password') ?? '',
					role: role(body.role),
					county: optionalText(body, 'county'),
					displayName: optionalText(body, 'displayName')
				})
				.catch((error) => {
					throw toHttpError(error);
				});
			log('user.created', { user: user.username, role: user.role, by: admin.user.username });
			sendJson(res, 201, { user: publicUser(user) });
		}
	},
	{
		method: 'PATCH',
		pattern: /^\/api\/users\/([^/]+)$/,
		handler: async ({ req, res, params }, services) => {
			const admin = requireAdmin(req, services);
			const username = params[0]!;
			const body = await readJsonObject(req);
			const changes: UserChanges = {};
			if (body.displayName !== undefined) changes.displayName = optionalText(body, 'displayName');
			if (body.password !== undefined) changes.password = optionalText(body, 'password') ?? '';
			if (body.role !== undefined) changes.role = role(body.role);
			if (body.county !== undefined) changes.county = optionalText(body, 'county');
			const user = await services.users.update(username, changes).catch((error) => {
				throw toHttpError(error);
			});
			if (changes.password !== undefined) {
				// A new password signs the user out everywhere else.
				const keep = admin.user.username === username ? admin.tokenHash : undefined;
				services.sessions.revokeAll(username, keep);
			}
			services.userChanged(username);
			log('user.updated', {
				user: username,
				fields: Object.keys(changes).join(','),
				by: admin.user.username
			});
			sendJson(res, 200, { user: publicUser(user) });
		}
	},
	{
		method: 'DELETE',
		pattern: /^\/api\/users\/([^/]+)$/,
		handler: ({ req, res, params }, services) => {
			const admin = requireAdmin(req, services);
			const username = params[0]!;
			try {
				services.users.delete(username);
			} catch (error) {
				throw toHttpError(error);
			}
			services.userChanged(username);
			log('user.deleted', { user: username, by: admin.user.username });
			sendEmpty(res, 204);
		}
	}
];
