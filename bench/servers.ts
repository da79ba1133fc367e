import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CampaignRegistry } from '../server/campaigns.ts';
import { openDatabase } from '../server/db.ts';
import { SqliteDocStore } from '../server/persistence/sqlite-doc-store.ts';
import { SERVER_NODE_FLAGS } from '../server/node-flags.ts';
import { seedCampaigns } from '../server/seed.ts';
import type { ClientTarget } from './clients.ts';
import { ChildServer, freePort, ROOT } from './process.ts';

export type ServerKind = 'ours' | 'y-websocket-server' | 'hocuspocus';

export const PEERS: readonly ServerKind[] = ['y-websocket-server', 'hocuspocus'];

export const SERVER_LABELS: Record<ServerKind, string> = {
	ours: 'Qingdan',
	'y-websocket-server': '@y/websocket-server',
	hocuspocus: '@hocuspocus/server'
};

export interface StartOptions {
	/** Extra Node flags (`--cpu-prof`, `--inspect=…`). */
	nodeArgs?: string[];
	env?: Record<string, string>;
	/** Ours only: a data dir prepared with `prepareOurData` (a fresh temp dir otherwise). */
	dataDir?: string;
}

/** One server under test, running as a child process on loopback. */
export interface BenchServer {
	readonly kind: ServerKind;
	readonly process: ChildServer;
	/** Whether an update is stored durably before it is relayed. */
	readonly persists: boolean;
	target(docName: string): ClientTarget;
	stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
	return path.dirname(require.resolve(`${name}/package.json`));
}

export function packageVersion(name: string): string {
	const file = path.join(ROOT, 'node_modules', name, 'package.json');
	return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export const ADMIN_PASSWORD = 'bench-admin-pass';

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `qingdan-bench-${prefix}-`));
}

export interface StoredCountyDoc {
	snapshot: Uint8Array;
	/** Update rows after the snapshot, as a client would have sent them. */
	tail?: Uint8Array[];
}

/**
 * A data dir for our server holding the seeded campaign and the given county docs, written
 * with the server's own store (a snapshot and rows after it), as if it had stored them.
 */
export async function prepareOurData(docs: Map<string, StoredCountyDoc>): Promise<string> {
	const dataDir = path.join(tempDir('ours'), 'data');
	const db = openDatabase(dataDir);
	try {
		const store = new SqliteDocStore(db);
		await seedCampaigns(new CampaignRegistry(db), store);
		for (const [name, doc] of docs) {
			await store.compact(name, doc.snapshot, 0);
			if (doc.tail?.length) await store.appendBatch(doc.tail.map((data) => ({ doc: name, data })));
		}
		db.pragma('wal_checkpoint(TRUNCATE)');
	} finally {
		db.close();
	}
	return dataDir;
}

export function startServer(kind: ServerKind, options: StartOptions = {}): Promise<BenchServer> {
	switch (kind) {
		case 'ours':
			return startOurs(options);
		case 'y-websocket-server':
			return startYWebsocketServer(options);
		case 'hocuspocus':
			return startHocuspocus(options);
	}
}

async function startOurs(options: StartOptions): Promise<BenchServer> {
	const dataDir = options.dataDir ?? path.join(tempDir('ours'), 'data');
	const { child, match } = await ChildServer.start({
		what: 'our server',
		args: [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'],
		env: {
			HOST: '127.0.0.1',
			PORT: '0',
			DATA_DIR: dataDir,
			STATIC_DIR: path.join(ROOT, 'build'),
			QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
			// Every benchmark client is the same user from the same address; the peers have no
			// such limits, and a real meeting of 200 people is 200 users on many addresses.
			MAX_SOCKETS_PER_USER: '100000',
			MAX_CONNECTIONS_PER_ADDRESS: '100000',
			...options.env
		},
		ready: /listening (http:\/\/\S+)/
	});
	const origin = match[1]!;
	const response = await fetch(`${origin}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD })
	});
	const cookie = /qd_session=[^;]*/.exec(response.headers.get('set-cookie') ?? '')?.[0];
	if (response.status !== 200 || !cookie) {
		await child.stop();
		throw new Error(`our server: sign-in failed with ${response.status}`);
	}
	const wsOrigin = origin.replace(/^http/, 'ws');
	return {
		kind: 'ours',
		process: child,
		persists: true,
		target: (docName) => ({
			protocol: 'y-websocket',
			url: `${wsOrigin}/sync/${docName}`,
			docName,
			headers: { cookie, origin }
		}),
		async stop() {
			await child.stop();
			fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
		}
	};
}

/** The reference server exactly as its package starts it (`src/server.js`), no persistence. */
async function startYWebsocketServer(options: StartOptions): Promise<BenchServer> {
	const port = await freePort();
	const { child } = await ChildServer.start({
		what: '@y/websocket-server',
		args: [
			...(options.nodeArgs ?? []),
			path.join(packageDir('@y/websocket-server'), 'src', 'server.js')
		],
		env: { HOST: '127.0.0.1', PORT: String(port), ...options.env },
		ready: /running at/
	});
	return {
		kind: 'y-websocket-server',
		process: child,
		persists: false,
		target: (docName) => ({
			protocol: 'y-websocket',
			url: `ws://127.0.0.1:${port}/${docName}`,
			docName,
			headers: {}
		}),
		stop: () => child.stop()
	};
}

async function startHocuspocus(options: StartOptions): Promise<BenchServer> {
	const { child, match } = await ChildServer.start({
		what: '@hocuspocus/server',
		args: [...(options.nodeArgs ?? []), path.join(ROOT, 'bench', 'peers', 'hocuspocus.mjs')],
		env: { PORT: '0', ...options.env },
		ready: /listening (\d+)/
	});
	const port = match[1]!;
	return {
		kind: 'hocuspocus',
		process: child,
		persists: false,
		target: (docName) => ({
			protocol: 'hocuspocus',
			url: `ws://127.0.0.1:${port}/`,
			docName,
			headers: {}
		}),
		stop: () => child.stop()
	};
}
