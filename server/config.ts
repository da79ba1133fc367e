import path from 'node:path';

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
		maxFileBytes: integer(env, 'MAX_FILE_BYTES', 20 * MIB, 1)
	};
}
