import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, PASSWORD, USERS } from './people';

/**
 * Starts the real server (built app + sync + SQLite) on a free port with a fresh data directory,
 * creates the people the tests sign in as, and hands the address to the tests.
 */
export default async function globalSetup() {
	const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-e2e-'));
	const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
			STATIC_DIR: 'build'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const baseURL = await new Promise<string>((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
		server.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening (http:\/\/[^\s"]+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!.replace(/\/$/, ''));
			}
		});
		server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
	});
	server.stdout.resume();
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

	return async () => {
		server.kill('SIGTERM');
		await new Promise((resolve) => server.once('exit', resolve));
		rmSync(dataDir, { recursive: true, force: true });
	};
}
