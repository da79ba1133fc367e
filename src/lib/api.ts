import type { ApiErrorParams } from '$lib/domain/error-codes';
import type { ServerChange } from '$lib/domain/history';
import type { Role, User } from '$lib/domain/model';

/**
 * A request the server answered with an error status, or one that never reached it (status 0).
 * `message` is the server's English text; `code` and `params` are what the app words in the
 * interface language (`describeApiError` in src/lib/i18n/api-errors.ts).
 */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code = '',
		readonly params: ApiErrorParams = {}
	) {
		super(message);
	}
}

/** The ApiError of a response with an error status, from its `{"error", "code", "params"}` body. */
export function apiErrorOf(response: Response, body: unknown): ApiError {
	const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
	const params: ApiErrorParams = {};
	if (fields.params && typeof fields.params === 'object') {
		for (const [key, value] of Object.entries(fields.params)) {
			if (typeof value === 'string' || typeof value === 'number') params[key] = value;
		}
	}
	return new ApiError(
		response.status,
		typeof fields.error === 'string' ? fields.error : response.statusText,
		typeof fields.code === 'string' ? fields.code : '',
		params
	);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
	let response: Response;
	try {
		response = await fetch(path, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network');
	}
	const text = await response.text();
	let data: unknown = null;
	try {
		data = text ? JSON.parse(text) : null;
	} catch {
		data = null;
	}
	if (!response.ok) throw apiErrorOf(response, data);
	return data as T;
}

export interface UserInput {
	username: string;
	password: string;
	role: Role;
	county?: string;
	displayName?: string;
}

export type UserPatch = Partial<Omit<UserInput, 'username'>>;

/** A campaign as GET /api/campaigns lists it. */
export interface CampaignSummary {
	id: string;
	name: string;
	archived?: boolean;
	counties: { id: string; name: string }[];
}

/** What POST /api/campaigns takes (活动管理). */
export interface CampaignInput {
	id: string;
	name: string;
	startDate: string;
	endDate: string;
	reportDueDate?: string;
	copyFrom?: string;
	carryOver?: boolean;
}

export const api = {
	me: () => request<{ user: User }>('GET', '/api/me'),
	setupNeeded: () => request<{ needsSetup: boolean }>('GET', '/api/setup'),
	setup: (input: { username: string; password: string; displayName?: string }) =>
		request<{ user: User }>('POST', '/api/setup', input),
	signIn: (username: string, password: string) =>
		request<{ user: User }>('POST', '/api/session', { username, password }),
	signOut: () => request<null>('DELETE', '/api/session'),
	campaigns: () => request<{ campaigns: CampaignSummary[] }>('GET', '/api/campaigns'),
	createCampaign: (input: CampaignInput) =>
		request<{ campaign: CampaignSummary; carried: Record<string, number> }>(
			'POST',
			'/api/campaigns',
			input
		),
	archiveCampaign: (id: string, archived: boolean) =>
		request<{ campaign: CampaignSummary }>(
			'POST',
			`/api/campaigns/${encodeURIComponent(id)}/archive`,
			{ archived }
		),
	users: () => request<{ users: User[] }>('GET', '/api/users'),
	createUser: (input: UserInput) => request<{ user: User }>('POST', '/api/users', input),
	updateUser: (username: string, patch: UserPatch) =>
		request<{ user: User }>('PATCH', `/api/users/${encodeURIComponent(username)}`, patch),
	deleteUser: (username: string) =>
		request<null>('DELETE', `/api/users/${encodeURIComponent(username)}`),
	history: (doc: string, problem: string) =>
		request<{ entries: ServerChange[] }>(
			'GET',
			`/api/history?${new URLSearchParams({ doc, problem })}`
		)
};

/** The audit trail of a period (Shanghai days, both included) as a CSV download. */
export const auditCsvUrl = (from: string, to: string) =>
	`/api/audit.csv?${new URLSearchParams({ from, to })}`;
