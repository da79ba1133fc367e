import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.ts';

export interface RunningServer {
	baseURL: string;
	dataDir: string;
	stop(): Promise<void>;
}

export interface ServerOptions {
	/** Listen on this port (to restart a server where its clients expect it); default a free one. */
	port?: number;
	/** Use this data directory and leave it in place on stop; default a fresh one, removed on stop. */
	dataDir?: string;
	/** Serve the web app from here; default QD_BUILD_DIR or `build`. */
	staticDir?: string;
}

/** Starts the real server (built app + sync + SQLite) on a free port with a fresh data directory. */
export async function startServer(
	env: Record<string, string> = {},
	options: ServerOptions = {}
): Promise<RunningServer> {
	const ownDataDir = options.dataDir === undefined;
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'qingdan-e2e-'));
	const server: ChildProcess = spawn(
		process.execPath,
		[...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'],
		{
			env: {
				...process.env,
				PORT: String(options.port ?? 0),
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
				STATIC_DIR: options.staticDir ?? (process.env.QD_BUILD_DIR || 'build'),
				...env
			},
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
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
			if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
