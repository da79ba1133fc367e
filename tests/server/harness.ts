import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.ts';

export const ADMIN_PASSWORD = 'admin-pass-2022';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Polls `check` until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
	check: () => T | Promise<T>,
	{ timeoutMs = 10_000, intervalMs = 20, what = 'condition' } = {}
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown = null;
	for (;;) {
		try {
			const value = await check();
			if (value) return value as NonNullable<T>;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

export interface ApiResponse {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export interface UserSpec {
	username: string;
	password: string;
	role: string;
	county?: string;
	displayName?: string;
}

export interface ServerOptions {
	/** null starts without QINGDAN_ADMIN_PASSWORD (first-run setup). */
	adminPassword?: string | null;
	env?: Record<string, string>;
	/** Where the data lives (default: a fresh temp dir); its parent is removed by dispose(). */
	dataDir?: string;
}

/** The real server as a child process (`node --import tsx server/main.ts`) on a random port. */
export class TestServer {
	readonly dataDir: string;
	readonly staticDir: string;
	readonly #options: ServerOptions;
	#child: ChildProcess | null = null;
	#exit: Promise<number | null> = Promise.resolve(null);
	#output = '';
	#adminCookie: string | null = null;
	url = '';

	private constructor(options: ServerOptions) {
		this.#options = options;
		const base = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-test-'));
		this.dataDir = options.dataDir ?? path.join(base, 'data');
		this.staticDir = path.join(base, 'static');
		fs.mkdirSync(this.staticDir, { recursive: true });
	}

	static async start(options: ServerOptions = {}): Promise<TestServer> {
		const server = new TestServer(options);
		await server.#spawn();
		return server;
	}

	get dbPath(): string {
		return path.join(this.dataDir, 'qingdan.sqlite');
	}

	get origin(): string {
		return this.url;
	}

	get wsUrl(): string {
		return this.url.replace(/^http/, 'ws');
	}

	/** The server's process id while it runs. */
	get pid(): number | undefined {
		return this.#child?.pid;
	}

	/** Everything the server wrote to stdout and stderr so far. */
	get output(): string {
		return this.#output;
	}

	async #spawn(): Promise<void> {
		const adminPassword =
			this.#options.adminPassword === undefined ? ADMIN_PASSWORD : this.#options.adminPassword;
		const env: NodeJS.ProcessEnv = {
			...process.env,
			HOST: '127.0.0.1',
			PORT: '0',
			DATA_DIR: this.dataDir,
			STATIC_DIR: this.staticDir,
			...this.#options.env
		};
		if (adminPassword) env.QINGDAN_ADMIN_PASSWORD = adminPassword;
		else delete env.QINGDAN_ADMIN_PASSWORD;
		const child = spawn(
			process.execPath,
			[...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'],
			{
				cwd: ROOT,
				env,
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		this.#child = child;
		this.#exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
		const start = this.#output.length;
		const listening = new Promise<string>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				this.#output += chunk.toString();
				const match = /listening (http:\/\/\S+)/.exec(this.#output.slice(start));
				if (match) resolve(match[1]!);
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
			child.once('exit', (code) =>
				reject(new Error(`server exited with ${code} before listening:\n${this.#output}`))
			);
		});
		this.url = await listening;
		this.#adminCookie = null;
	}

	/** Stops reading the server's output, as a parent process that went away would. */
	closeOutput(): void {
		this.#child?.stdout?.destroy();
		this.#child?.stderr?.destroy();
	}

	/** Signs in and returns the `qd_session=…` cookie pair. */
	async login(username: string, password: string): Promise<string> {
		const response = await this.api('POST', '/api/session', { username, password });
		if (response.status !== 200) throw new Error(`login ${username}: ${response.status}`);
		return cookieOf(response.headers);
	}

	async adminCookie(): Promise<string> {
		this.#adminCookie ??= await this.login('admin', ADMIN_PASSWORD);
		return this.#adminCookie;
	}

	async api(
		method: string,
		pathname: string,
		body?: unknown,
		cookie?: string,
		headers: Record<string, string> = {}
	): Promise<ApiResponse> {
		const response = await fetch(this.url + pathname, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(cookie ? { cookie } : {}),
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			parsed = text;
		}
		return { status: response.status, headers: response.headers, body: parsed };
	}

	/** Creates a user through the API as admin and returns their session cookie. */
	async createUser(spec: UserSpec): Promise<string> {
		const response = await this.api('POST', '/api/users', spec, await this.adminCookie());
		if (response.status !== 201) {
			throw new Error(
				`create ${spec.username}: ${response.status} ${JSON.stringify(response.body)}`
			);
		}
		return this.login(spec.username, spec.password);
	}

	/** Opens the database file read-only, as another process would. */
	withDb<T>(read: (db: Database.Database) => T): T {
		const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
		try {
			return read(db);
		} finally {
			db.close();
		}
	}

	/**
	 * Update rows stored after the doc's snapshot. (The rows a snapshot holds are kept until the
	 * next compaction, to rebuild it from the previous snapshot if it is damaged; not counted.)
	 */
	updateRows(doc: string): number {
		return this.withDb(
			(db) =>
				(
					db
						.prepare(
							`SELECT COUNT(*) AS n FROM updates WHERE doc = ?
							 AND id > COALESCE((SELECT snapshot_up_to FROM docs WHERE name = ?), 0)`
						)
						.get(doc, doc) as { n: number }
				).n
		);
	}

	async kill9(): Promise<void> {
		this.#child?.kill('SIGKILL');
		await this.#exit;
		this.#child = null;
	}

	/** SIGTERM and wait; resolves with the exit code. */
	async stop(): Promise<number | null> {
		if (!this.#child) return null;
		this.#child.kill('SIGTERM');
		const code = await this.#exit;
		this.#child = null;
		return code;
	}

	/** Starts the server again on the same data dir (after kill9 or stop). */
	async restart(): Promise<void> {
		if (this.#child) await this.stop();
		await this.#spawn();
	}

	/** Stops the server (if running) and removes its files. */
	async dispose(): Promise<void> {
		if (this.#child) await this.kill9();
		fs.rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
		fs.rmSync(path.dirname(this.staticDir), { recursive: true, force: true });
	}
}

export function cookieOf(headers: Headers): string {
	const setCookie = headers.get('set-cookie') ?? '';
	const match = /qd_session=([^;]*)/.exec(setCookie);
	if (!match) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
	return `qd_session=${match[1]}`;
}
