import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiErrorCode } from '../../src/lib/domain/error-codes.ts';
import { TestServer } from './harness.ts';

let server: TestServer;
let admin: string;
let county: string;

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
	county = await server.createUser({
		username: 'wangqiang',
		password: 'county-officer-2022',
		role: 'county',
		county: 'haigang'
	});
});
afterAll(() => server?.dispose());

/** The answer's code, checked to be one the app can word, with its English text kept. */
async function refusal(
	method: string,
	path: string,
	body?: unknown,
	cookie?: string
): Promise<{ status: number; code: string; params?: Record<string, unknown> }> {
	const response = await server.api(method, path, body, cookie);
	expect(typeof response.body.error, `${method} ${path}`).toBe('string');
	expect(isApiErrorCode(response.body.code), `${method} ${path}: ${response.body.code}`).toBe(true);
	return { status: response.status, code: response.body.code, params: response.body.params };
}

const newUser = { password: 'a-long-enough-password-7', role: 'city' };

describe('every refusal names its situation with a code the app words in both languages', () => {
	it('a username in Chinese, a common password and a taken username each have their own code', async () => {
		expect(await refusal('POST', '/api/users', { ...newUser, username: '张鑫' }, admin)).toEqual({
			status: 400,
			code: 'username_invalid',
			params: undefined
		});
		expect(
			await refusal('POST', '/api/users', { ...newUser, username: 'zx', password: 'short' }, admin)
		).toMatchObject({ status: 400, code: 'password_short', params: { min: 10 } });
		expect(
			await refusal(
				'POST',
				'/api/users',
				{ ...newUser, username: 'zx', password: 'password123456' },
				admin
			)
		).toMatchObject({ status: 400, code: 'password_common' });
		expect(
			await refusal('POST', '/api/users', { ...newUser, username: 'admin' }, admin)
		).toMatchObject({ status: 409, code: 'taken', params: { username: 'admin' } });
	});

	it('county rules and an unknown user are told apart', async () => {
		const countyUser = { ...newUser, username: 'liming', role: 'county' };
		expect(await refusal('POST', '/api/users', countyUser, admin)).toMatchObject({
			code: 'county_required'
		});
		expect(
			await refusal('POST', '/api/users', { ...countyUser, county: 'atlantis' }, admin)
		).toMatchObject({ code: 'county_unknown', params: { county: 'atlantis' } });
		expect(
			await refusal(
				'POST',
				'/api/users',
				{ ...newUser, username: 'liming', county: 'haigang' },
				admin
			)
		).toMatchObject({ code: 'county_not_allowed' });
		expect(await refusal('DELETE', '/api/users/nobody', undefined, admin)).toMatchObject({
			status: 404,
			code: 'user_not_found',
			params: { username: 'nobody' }
		});
		expect(await refusal('DELETE', '/api/users/admin', undefined, admin)).toMatchObject({
			code: 'last_admin'
		});
	});

	it('sign-in, permissions and the audit export', async () => {
		expect(await refusal('POST', '/api/session', { username: 'admin' })).toMatchObject({
			status: 400,
			code: 'credentials_missing'
		});
		expect(
			await refusal('POST', '/api/session', { username: 'admin', password: 'not-the-password' })
		).toMatchObject({ status: 401, code: 'bad_credentials' });
		expect(await refusal('GET', '/api/users')).toMatchObject({ status: 401, code: 'unauthorized' });
		expect(await refusal('GET', '/api/users', undefined, county)).toMatchObject({
			status: 403,
			code: 'forbidden'
		});
		expect(
			await refusal('GET', '/api/audit.csv?from=2023-02-30&to=2023-03-05', undefined, admin)
		).toMatchObject({ code: 'date_invalid', params: { field: 'from' } });
		expect(
			await refusal('GET', '/api/audit.csv?from=2023-03-05&to=2023-03-01', undefined, admin)
		).toMatchObject({ code: 'date_order' });
		expect(await refusal('GET', '/api/nothing-here', undefined, admin)).toMatchObject({
			status: 404,
			code: 'not_found'
		});
	});
});
