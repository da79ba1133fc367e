import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { log } from '../log.ts';
import {
	clientAddress,
	currentSession,
	publicUser,
	requireSession,
	type Route
} from './context.ts';
import { HttpError, readJsonObject, sendEmpty, sendJson } from './json.ts';
import { toHttpError } from './users-api.ts';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Sign-in, sign-out, the current user, first-run setup and the campaign list. */
export const sessionRoutes: Route[] = [
	{
		method: 'GET',
		pattern: /^\/api\/setup$/,
		handler: ({ res }, { users }) => sendJson(res, 200, { needsSetup: users.count() === 0 })
	},
	{
		method: 'POST',
		pattern: /^\/api\/setup$/,
		handler: async ({ req, res }, { users, sessions }) => {
			const alreadyDone = () =>
				new HttpError(409, 'setup_done', 'An administrator already exists. Please sign in.');
			if (users.count() > 0) throw alreadyDone();
			const body = await readJsonObject(req);
			const user = await users
				.createFirstAdmin({
					username: text(body.username) ?? '',
					password: text(body.password) ?? '',
					displayName: text(body.displayName)
				})
				.catch((error) => {
					throw toHttpError(error);
				});
			const session = sessions.create(user.username);
			log('setup.done', { user: user.username });
			sendJson(
				res,
				201,
				{ user: publicUser(user) },
				{ 'Set-Cookie': setSessionCookie(req, session.token, session.expiresAt) }
			);
		}
	},
	{
		method: 'POST',
		pattern: /^\/api\/session$/,
		handler: async ({ req, res }, { users, sessions, throttle, trustProxy }) => {
			const body = await readJsonObject(req);
			const username = text(body.username)?.trim().toLowerCase();
			const password = text(body.password);
			if (!username || password === null) {
				throw new HttpError(400, 'credentials_missing', 'Send a username and a password.');
			}
			const address = clientAddress(req, trustProxy);
			const wait = throttle.attempt(username, address);
			if (wait > 0) {
				log('login.throttled', { user: username, address });
				throw new HttpError(
					429,
					'throttled',
					'Too many failed sign-ins. Try again later.',
					{ 'Retry-After': String(wait) },
					{ seconds: wait }
				);
			}
			const user = await users.verify(username, password);
			if (!user) {
				log('login.failed', { user: username, address });
				throw new HttpError(401, 'bad_credentials', 'Wrong username or password.');
			}
			throttle.succeeded(username, address);
			const session = sessions.create(user.username);
			log('login.ok', { user: user.username, address });
			sendJson(
				res,
				200,
				{ user: publicUser(user) },
				{ 'Set-Cookie': setSessionCookie(req, session.token, session.expiresAt) }
			);
		}
	},
	{
		method: 'DELETE',
		pattern: /^\/api\/session$/,
		handler: ({ req, res }, services) => {
			const session = currentSession(req, services);
			if (session) {
				services.sessions.revoke(session.tokenHash);
				services.userChanged(session.user.username);
				log('logout', { user: session.user.username });
			}
			sendEmpty(res, 204, { 'Set-Cookie': clearSessionCookie(req) });
		}
	},
	{
		method: 'GET',
		pattern: /^\/api\/me$/,
		handler: ({ req, res }, services) => {
			const session = requireSession(req, services);
			sendJson(res, 200, { user: publicUser(session.user) });
		}
	},
	{
		method: 'GET',
		pattern: /^\/api\/campaigns$/,
		handler: ({ req, res }, services) => {
			requireSession(req, services);
			sendJson(res, 200, { campaigns: services.registry.list() });
		}
	}
];
