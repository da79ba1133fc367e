import path from 'node:path';
import { DEFAULT_BUSY_TIMEOUT_MS } from './db.ts';

/** Everything the server reads from its environment, parsed once at startup. */
export interface Config {
	host: string;
	/** 0 asks the OS for a free port. */
	port: number;
	dataDir: string;
	staticDir: string;
	maxMessageBytes: number;
	/** How long an idle room stays in memory after its last connection leaves. */
	roomGraceMs: number;
	/** Creates user `admin` on a first start with no users. */
	adminPassword: string | null;
	/** Take the client address from the last `X-Forwarded-For` hop (behind a reverse proxy). */
	trustProxy: boolean;
	maxFileBytes: number;
	/** WebSockets one user may hold open at once (every open board of every tab is one). */
	maxSocketsPerUser: number;
	/** TCP connections one address may hold open; not applied behind a proxy (`trustProxy`). */
	maxConnectionsPerAddress: number;
	/** Failed sign-ins within 15 minutes before a username, or an address, is refused (429). */
	loginFailuresPerUser: number;
	loginFailuresPerAddress: number;
	/**
	 * The address people use (`https://qingdan.example.gov.cn`): the only Host served and the
	 * only Origin accepted. Unset: loopback names only.
	 */
	publicUrl: URL | null;
	/** How long a write waits for another connection's write lock (SQLite busy_timeout). */
	busyTimeoutMs: number;
}

const MIB = 1024 * 1024;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min) {
		throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
	}
	return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = integer(env, 'PORT', 3000, 0);
	if (port > 65535) throw new Error(`PORT must be at most 65535, got ${port}`);
	return {
		host: env.HOST || '127.0.0.1',
		port,
		dataDir: path.resolve(env.DATA_DIR || './data'),
		staticDir: path.resolve(env.STATIC_DIR || './build'),
		maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', 16 * MIB, 1024),
		roomGraceMs: integer(env, 'ROOM_GRACE_MS', 30_000, 0),
		adminPassword: env.QINGDAN_ADMIN_PASSWORD || null,
		trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
		maxFileBytes: integer(env, 'MAX_FILE_BYTES', 20 * MIB, 1),
		maxSocketsPerUser: integer(env, 'MAX_SOCKETS_PER_USER', 64, 1),
		maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', 512, 1),
		loginFailuresPerUser: integer(env, 'LOGIN_FAILURES_PER_USER', 10, 1),
		loginFailuresPerAddress: integer(env, 'LOGIN_FAILURES_PER_ADDRESS', 100, 1),
		publicUrl: publicUrl(env.PUBLIC_URL),
		busyTimeoutMs: integer(env, 'SQLITE_BUSY_TIMEOUT_MS', DEFAULT_BUSY_TIMEOUT_MS, 1)
	};
}

function publicUrl(raw: string | undefined): URL | null {
	if (raw === undefined || raw === '') return null;
	const problem = `PUBLIC_URL must be the absolute http(s) address people open, such as https://qingdan.example.gov.cn, got ${JSON.stringify(raw)}`;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(problem);
	}
	// The app is served from the root; a path, credentials or a query would never match a Host.
	if (
		(url.protocol !== 'http:' && url.protocol !== 'https:') ||
		url.username ||
		url.password ||
		url.pathname !== '/' ||
		url.search ||
		url.hash
	) {
		throw new Error(problem);
	}
	return url;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** True when HOST only accepts connections from this machine. */
export const listensOnLoopbackOnly = (config: Config): boolean =>
	LOOPBACK_HOSTS.has(config.host) || config.host.startsWith('127.');
