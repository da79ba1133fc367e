import type { ServerChange } from '$lib/domain/history';
import type { Role, User } from '$lib/domain/model';

/** A request the server answered with an error status, or one that never reached it (status 0). */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
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
	if (!response.ok) {
		const message =
			data && typeof data === 'object' && 'error' in data
				? String(data.error)
				: response.statusText;
		throw new ApiError(response.status, message);
	}
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

export const api = {
	me: () => request<{ user: User }>('GET', '/api/me'),
	setupNeeded: () => request<{ needsSetup: boolean }>('GET', '/api/setup'),
	setup: (input: { username: string; password: string; displayName?: string }) =>
		request<{ user: User }>('POST', '/api/setup', input),
	signIn: (username: string, password: string) =>
		request<{ user: User }>('POST', '/api/session', { username, password }),
	signOut: () => request<null>('DELETE', '/api/session'),
	campaigns: () => request<{ campaigns: { id: string; name: string }[] }>('GET', '/api/campaigns'),
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
