import { ADMIN_PASSWORD, PASSWORD, USERS } from './people';
import { startServer } from './server';

/** Starts the real server, creates the people the tests sign in as, hands the address to the tests. */
export default async function globalSetup() {
	const { baseURL, dataDir, stop } = await startServer({ QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD });
	process.env.QD_BASE_URL = baseURL;
	process.env.QD_DATA_DIR = dataDir;

	const login = await fetch(`${baseURL}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD })
	});
	if (!login.ok) throw new Error(`admin login failed: ${login.status}`);
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
	for (const user of Object.values(USERS)) {
		const response = await fetch(`${baseURL}/api/users`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie, origin: baseURL },
			body: JSON.stringify({ ...user, password: PASSWORD })
		});
		if (response.status !== 201) {
			throw new Error(`creating ${user.username}: ${response.status} ${await response.text()}`);
		}
	}

	return stop;
}
