import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
	baseURL: string;
	dataDir: string;
	stop(): Promise<void>;
}

/** Starts the real server (built app + sync + SQLite) on a free port with a fresh data directory. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
	const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-e2e-'));
	const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			STATIC_DIR: process.env.QD_BUILD_DIR || 'build',
			...env
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const baseURL = await new Promise<string>((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
		server.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening (http:\/\/[^\s"]+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!.replace(/\/$/, ''));
			}
		});
		server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
	});
	server.stdout!.resume();
	return {
		baseURL,
		dataDir,
		async stop() {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			server.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
