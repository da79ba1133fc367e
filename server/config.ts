import net from 'node:net';
import path from 'node:path';
import {
	MAX_PASSWORD_LENGTH,
	MIN_PASSWORD_LENGTH,
	passwordLengthFault
} from '../src/lib/domain/password-policy.ts';
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

/** A yes/no setting: 1/true/yes/on or 0/false/no/off (any case); unset or empty is `fallback`. */
function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = raw.trim().toLowerCase();
	if (['1', 'true', 'yes', 'on'].includes(value)) return true;
	if (['0', 'false', 'no', 'off'].includes(value)) return false;
	throw new Error(
		`${name} must be one of 1, true, yes, on, 0, false, no, off; got ${JSON.stringify(raw)}`
	);
}

/** A host name (RFC 1123 labels) or an IPv4/IPv6 address to listen on. */
function host(raw: string | undefined): string {
	if (raw === undefined || raw === '') return '127.0.0.1';
	const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
	if (net.isIP(raw) || (raw.length <= 253 && raw.split('.').every((part) => label.test(part)))) {
		return raw;
	}
	throw new Error(
		`HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name of this machine, got ${JSON.stringify(raw)}`
	);
}

/** A directory setting: any path, but not an empty or blank one given on purpose. */
function directory(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
	const raw = env[name];
	if (raw === undefined || raw === '') return path.resolve(fallback);
	if (raw.trim() === '' || raw.includes('\0')) {
		throw new Error(`${name} must be a directory path, got ${JSON.stringify(raw)}`);
	}
	return path.resolve(raw);
}

function adminPassword(raw: string | undefined): string | null {
	if (raw === undefined || raw === '') return null;
	// The length here; whether it is too common is judged when the account is made (seedAdmin).
	if (passwordLengthFault(raw)) {
		throw new Error(
			`QINGDAN_ADMIN_PASSWORD must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters (or be unset: no administrator is created), got ${[...raw].length}`
		);
	}
	return raw;
}

/**
 * Every setting, checked: a bad value throws an error naming the variable and what it accepts
 * (the server logs it and exits 1 rather than start half-configured).
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = integer(env, 'PORT', 3000, 0);
	if (port > 65535) throw new Error(`PORT must be at most 65535, got ${port}`);
	return {
		host: host(env.HOST),
		port,
		dataDir: directory(env, 'DATA_DIR', './data'),
		staticDir: directory(env, 'STATIC_DIR', './build'),
		maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', 16 * MIB, 1024),
		roomGraceMs: integer(env, 'ROOM_GRACE_MS', 30_000, 0),
		adminPassword: adminPassword(env.QINGDAN_ADMIN_PASSWORD),
		trustProxy: flag(env, 'TRUST_PROXY', false),
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
