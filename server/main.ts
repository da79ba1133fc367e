import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { SessionStore } from './auth/sessions.ts';
import { DEFAULT_LIMITS, LoginThrottle } from './auth/throttle.ts';
import { UserService } from './auth/users.ts';
import { AuditLog } from './audit/audit-log.ts';
import { Backups } from './backup/service.ts';
import { CampaignCreator } from './campaign-create.ts';
import { CampaignRegistry } from './campaigns.ts';
import { listensOnLoopbackOnly, readConfig, type Config } from './config.ts';
import { lockDataDir } from './data-lock.ts';
import { openDatabase, type Db } from './db.ts';
import { FileStore } from './files.ts';
import { Health } from './health.ts';
import { limitConnectionsPerAddress } from './http/address-limit.ts';
import { createApi } from './http/api.ts';
import { createRequestHandler } from './http/app.ts';
import { AllowedHosts } from './http/hosts.ts';
import { StaticSite } from './http/static.ts';
import { exitOnBug } from './crash.ts';
import { errorText, log } from './log.ts';
import { watchEventLoop } from './loop-watch.ts';
import { SqliteDocStore } from './persistence/sqlite-doc-store.ts';
import { seedAdmin, seedCampaignRecordsStep, seedCampaigns } from './seed.ts';
import { ConnectionIndex } from './sync/access.ts';
import { SqliteClientOwners } from './sync/client-owners.ts';
import { Committer } from './sync/committer.ts';
import { Rooms } from './sync/rooms.ts';
import { createUpgradeHandler } from './sync/upgrade.ts';

const SERVER_VERSION = (
	JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
		version: string;
	}
).version;

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

function startupFailed(error: unknown): never {
	log('startup.failed', { error: errorText(error) });
	process.exit(1);
}

/** Config, database and attachment store; any failure here stops the process with code 1. */
function openStorage(): { config: Config; db: Db; files: FileStore } {
	try {
		const config = readConfig();
		lockDataDir(config.dataDir);
		const db = openDatabase(config.dataDir, config.busyTimeoutMs);
		const files = new FileStore(db, path.join(config.dataDir, 'files'), config.maxFileBytes);
		files.cleanTemp();
		return { config, db, files };
	} catch (error) {
		startupFailed(error);
	}
}

const { config, db, files } = openStorage();
const hosts = new AllowedHosts(config.publicUrl);
if (!config.publicUrl && !listensOnLoopbackOnly(config)) {
	log('config.warning', {
		problem: `HOST=${config.host} accepts connections from other machines, but PUBLIC_URL is not set, so only requests addressed to localhost are served; set PUBLIC_URL to the address people open`
	});
}
const audit = new AuditLog(db);
const store = new SqliteDocStore(db, audit);
// Pieces of a large value whose row was never stored (the process died while writing them).
const unnamed = store.dropUnnamedBlobs();
if (unnamed > 0) log('storage.dropped_unnamed', { values: unnamed });
const registry = new CampaignRegistry(db);
const users = new UserService(db, registry);
const sessions = new SessionStore(db);
sessions.purgeExpired();

try {
	if (await seedCampaigns(registry, store)) log('seed.campaign', { campaign: '2022' });
	if (await seedCampaignRecordsStep(registry, store)) log('seed.records', { campaign: '2022' });
	if (await seedAdmin(users, config.adminPassword)) log('seed.admin', { user: 'admin' });
} catch (error) {
	startupFailed(error);
}

const rooms = new Rooms({
	store,
	committer: new Committer(store),
	owners: new SqliteClientOwners(db),
	graceMs: config.roomGraceMs
});
const health = new Health(db, config.busyTimeoutMs, {
	roomFailures: () => rooms.failures,
	damage: () => store.damageReport()
});
const connections = new ConnectionIndex(sessions);
const site = new StaticSite(config.staticDir);
const api = createApi({
	users,
	sessions,
	throttle: new LoginThrottle({
		...DEFAULT_LIMITS,
		perUsername: config.loginFailuresPerUser,
		perAddress: config.loginFailuresPerAddress
	}),
	registry,
	campaigns: new CampaignCreator(registry, store, rooms),
	files,
	rooms,
	audit,
	backups: new Backups({ store, users, registry, files, serverVersion: SERVER_VERSION }, rooms),
	userChanged: (username) => connections.userChanged(username),
	trustProxy: config.trustProxy,
	hosts,
	health
});

const server = http.createServer(createRequestHandler({ health, hosts, site, api }));
if (!config.trustProxy) limitConnectionsPerAddress(server, config.maxConnectionsPerAddress);
const wss = new WebSocketServer({
	noServer: true,
	maxPayload: config.maxMessageBytes,
	perMessageDeflate: false,
	clientTracking: false
});
server.on(
	'upgrade',
	createUpgradeHandler({
		wss,
		hosts,
		sessions,
		registry,
		rooms,
		connections,
		maxMessageBytes: config.maxMessageBytes,
		maxSocketsPerUser: config.maxSocketsPerUser
	})
);

const purge = setInterval(() => sessions.purgeExpired(), 60 * 60 * 1000);
purge.unref();
watchEventLoop();

server.once('error', startupFailed);
server.listen(config.port, config.host, () => {
	// From here on a bug that escapes every handler is logged and ends the process (exit 70):
	// the service manager restarts it; what was acknowledged is in SQLite already.
	exitOnBug(() => db.close());
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const host = config.host.includes(':') ? `[${config.host}]` : config.host;
	log(`listening http://${host}:${port}`);
});

let stopping = false;

async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	log('shutdown', { signal, rooms: rooms.loadedCount, connections: connections.size });
	setTimeout(() => {
		log('shutdown.timeout');
		process.exit(1);
	}, SHUTDOWN_TIMEOUT_MS).unref();
	server.close();
	connections.closeAll(1001, 'server shutting down');
	await rooms.closeAll(1001, 'server shutting down');
	server.closeAllConnections();
	db.close();
	log('stopped');
	process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, () => void shutdown(signal));
}
