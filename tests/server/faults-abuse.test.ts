import net from 'node:net';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_PROTOCOL_ERROR, CLOSE_TOO_LARGE } from '../../src/lib/sync/protocol.ts';
import { runFrameFuzz } from '../faults/scenarios/frame-fuzz.ts';
import { HealthWatch, type HealthReport } from '../faults/scenarios/health-watch.ts';
import { rawUpgrade, rssMb } from '../faults/scenarios/raw-socket.ts';
import { seedsFromEnv } from '../faults/scenarios/random.ts';
import { TrackedClient, serverState } from '../faults/scenarios/tracked-client.ts';
import { MAX_BUFFERED_BYTES } from '../../server/sync/connection.ts';
import { RawClient, syncMessage, upgradeStatus } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

const DOC = 'county.2022.lulong';
let server: TestServer;
let admin: string;

beforeAll(async () => {
	server = await TestServer.start({ env: { ROOM_GRACE_MS: '200' } });
	admin = await server.adminCookie();
});
afterAll(async () => {
	if (process.env.SHOW_LOG) console.log(server.output);
	await server?.dispose();
});

const pid = () => server.pid!;

/**
 * /healthz kept answering: 99% within 100 ms and none after 250 ms. (One scheduler hiccup on a
 * busy two-core machine is not the server's doing; a blocked event loop shows in both numbers.)
 */
function expectResponsive(health: HealthReport, what: string): void {
	const where = `${what}: ${JSON.stringify(health)}`;
	expect(health.failures, where).toBe(0);
	expect(health.count, where).toBeGreaterThan(0);
	expect(health.p99Ms, where).toBeLessThan(100);
	expect(health.maxMs, where).toBeLessThan(250);
}
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two ordinary clients still sync through the room. */
async function othersUnaffected(tag: string): Promise<void> {
	const a = new TrackedClient(server, DOC, admin);
	const b = new TrackedClient(server, DOC, admin);
	try {
		await waitFor(() => a.synced && b.synced, { what: `${tag}: two clients to sync` });
		a.doc.getMap('checks').set(tag, true);
		await waitFor(() => b.doc.getMap('checks').get(tag), { what: `${tag}: a relay` });
	} finally {
		a.destroy();
		b.destroy();
	}
}

describe('oversized and fuzzed frames (guarantee 14)', () => {
	it('closes 20 MB frames with 1009 and memory stays flat', async () => {
		await othersUnaffected('warm-up');
		const before = rssMb(pid());
		for (let i = 0; i < 5; i++) {
			const client = await RawClient.connect(server, DOC, admin);
			client.send(Buffer.alloc(20 * 1024 * 1024, i));
			expect((await client.closed).code).toBe(CLOSE_TOO_LARGE);
		}
		await othersUnaffected('after 20 MB frames');
		expect(rssMb(pid()) - before, 'MB of memory kept after five 20 MB frames').toBeLessThan(40);
	});

	it('rejects updates whose counts would make Yjs allocate hundreds of MB, without a stall', async () => {
		// Without the check, each of these makes Y.applyUpdate preallocate a 25–33-million-slot
		// array (~250 MB, a quarter of a second of blocked event loop) before it finds the end.
		const watch = await HealthWatch.start(server.url);
		const bombs = await Promise.all(
			[33_000_000, 33_000_000, 32_000_000, 30_000_000, 25_000_000].map(async (count) => {
				const encoder = encoding.createEncoder();
				for (const n of [1, count, 7, 0]) encoding.writeVarUint(encoder, n);
				const client = await RawClient.connect(server, DOC, admin);
				client.send(syncMessage(2, encoding.toUint8Array(encoder)));
				return (await client.closed).code;
			})
		);
		expect(bombs.every((code) => code === CLOSE_PROTOCOL_ERROR)).toBe(true);
		expectResponsive(await watch.stop(), 'during the count bombs');
		expect(server.output).toMatch(/ws\.protocol_error .*malformed update: count larger/);
	});

	it.each(seedsFromEnv(1))(
		'seed %i: 400 fuzzed frames leave the server responsive, others unaffected, the doc loadable',
		async (seed) => {
			const watch = await HealthWatch.start(server.url);
			const report = await runFrameFuzz({ server, cookie: admin, docName: DOC, seed, frames: 400 });
			const health = await watch.stop();
			console.log(`frame fuzz seed ${seed}:`, JSON.stringify({ ...report, health }));
			expectResponsive(health, `fuzz seed ${seed}`);
			expect(report.closed).toBeGreaterThan(report.frames / 2);
			expect(server.output).not.toMatch(/\bbug\.|room\.load_failed|commit\.bug/);
			await othersUnaffected(`after fuzz seed ${seed}`);
			// Whatever was accepted and stored loads again after a crash.
			await server.kill9();
			await server.restart();
			admin = await server.adminCookie();
			const state = await serverState(server, DOC, admin);
			expect(state.getMap('checks').get(`after fuzz seed ${seed}`)).toBe(true);
			expect(server.output).not.toMatch(/room\.load_failed/);
		}
	);
});

describe('many sockets (guarantee 15)', () => {
	it('1,000 upgrades without a session: all 401, no doc loaded, memory back to baseline', async () => {
		await settle(500);
		const before = rssMb(pid());
		const loadsBefore = server.output.match(/room\.loaded/g)?.length ?? 0;
		const statuses: number[] = [];
		for (let batch = 0; batch < 10; batch++) {
			statuses.push(
				...(await Promise.all(
					Array.from({ length: 100 }, () =>
						upgradeStatus(server, `/sync/${DOC}`, { origin: server.origin })
					)
				))
			);
		}
		expect(statuses.filter((s) => s === 401)).toHaveLength(1000);
		expect(server.output.match(/room\.loaded/g)?.length ?? 0).toBe(loadsBefore);
		expect(rssMb(pid()) - before, 'MB kept').toBeLessThan(30);
	});

	it('1,000 idle connections from one address: the cap applies, others are served, all freed after', async () => {
		await settle(200);
		const before = rssMb(pid());
		const { port } = new URL(server.url);
		const sockets: net.Socket[] = [];
		let refused = 0;
		await Promise.all(
			Array.from(
				{ length: 1000 },
				() =>
					new Promise<void>((resolve) => {
						const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
						sockets.push(socket);
						socket.on('error', () => {});
						socket.once('connect', () => {
							// Half a request, never finished: a slow stranger.
							socket.write(`GET /sync/${DOC} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
							resolve();
						});
						socket.once('close', () => {
							refused++;
							resolve();
						});
					})
			)
		);
		await waitFor(() => refused >= 1000 - 512, { what: 'connections beyond the cap to be closed' });
		expect(refused).toBeLessThanOrEqual(1000 - 512 + 5);
		expect(server.output).toMatch(/net\.refused address=127\.0\.0\.1/);
		// Another address is served meanwhile (any 127.x address reaches the server).
		const watch = await HealthWatch.start(server.url, { localAddress: '127.0.0.2' });
		await settle(300);
		const health = await watch.stop();
		expect(health.failures).toBe(0);
		expect(health.count).toBeGreaterThan(3);
		const during = rssMb(pid());
		for (const socket of sockets) socket.destroy();
		// Once they are gone, this address is welcome again, and the memory is given back.
		await waitFor(async () => (await server.api('GET', '/healthz')).status === 200, {
			what: 'the address to be served again'
		});
		await othersUnaffected('after idle sockets');
		await waitFor(() => rssMb(pid()) - before < 30, {
			what: `memory back near ${before.toFixed(0)} MB (was ${during.toFixed(0)} MB)`,
			timeoutMs: 15_000
		});
	});

	it('one user opening 1,000 sockets and 1,000 docs: 64 sockets at most, only real docs load', async () => {
		const before = rssMb(pid());
		const loadsBefore = server.output.match(/room\.loaded/g)?.length ?? 0;
		const docs = [
			'campaign.2022',
			...['haigang', 'shanhaiguan', 'beidaihe', 'funing', 'qinglong', 'changli', 'lulong'].map(
				(c) => `county.2022.${c}`
			)
		];
		const open: WebSocket[] = [];
		const outcomes: string[] = [];
		for (let i = 0; i < 1000; i++) {
			const ws = new WebSocket(`${server.wsUrl}/sync/${docs[i % docs.length]}`, {
				headers: { cookie: admin, origin: server.origin }
			});
			ws.on('error', () => {});
			outcomes.push(
				await new Promise<string>((resolve) => {
					ws.once('open', () => resolve('open'));
					ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
				})
			);
			open.push(ws);
		}
		expect(outcomes.filter((o) => o === 'open')).toHaveLength(64);
		expect(outcomes.filter((o) => o === '429')).toHaveLength(936);
		const unknown: number[] = [];
		for (let batch = 0; batch < 10; batch++) {
			unknown.push(
				...(await Promise.all(
					Array.from({ length: 100 }, (_, i) =>
						upgradeStatus(server, `/sync/county.2022.made-up-${batch * 100 + i}`, {
							cookie: admin,
							origin: server.origin
						})
					)
				))
			);
		}
		expect(unknown.every((s) => s === 404)).toBe(true);
		const loads = (server.output.match(/room\.loaded/g)?.length ?? 0) - loadsBefore;
		expect(loads, 'rooms loaded').toBeLessThanOrEqual(docs.length);
		for (const ws of open) ws.terminate();
		// Gone: the rooms unload after their grace period, new sockets are welcome again.
		await waitFor(
			async () =>
				(await upgradeStatus(server, `/sync/${DOC}`, { cookie: admin, origin: server.origin })) ===
				101,
			{ what: 'sockets to be counted as gone' }
		);
		await waitFor(() => rssMb(pid()) - before < 30, {
			what: 'memory back to baseline',
			timeoutMs: 15_000
		});
	});
});

describe('a client that stops reading (guarantee 16)', () => {
	it('is disconnected once its buffer passes the cap; the others get everything', async () => {
		const doc = 'county.2022.qinglong';
		const slow = await rawUpgrade(server, doc, admin);
		const reader = new TrackedClient(server, doc, admin);
		const writer = new TrackedClient(server, doc, admin);
		const chunks = 48;
		const chunk = 512 * 1024;
		try {
			await waitFor(() => reader.synced && writer.synced, { what: 'clients to sync' });
			slow.socket.pause();
			const text = writer.doc.getText('flood');
			for (let i = 0; i < chunks; i++) {
				text.insert(text.length, String(i % 10).repeat(chunk));
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			const cut = await waitFor(() => /ws\.too_slow .*buffered=(\d+)/.exec(server.output), {
				what: 'the slow client to be cut'
			});
			// Cut at the first send that finds the cap passed: at most one message over it.
			expect(Number(cut[1])).toBeGreaterThan(MAX_BUFFERED_BYTES);
			expect(Number(cut[1])).toBeLessThan(MAX_BUFFERED_BYTES + chunk + 1024);
			await waitFor(() => reader.doc.getText('flood').length === chunks * chunk, {
				what: 'the reader to get every chunk'
			});
			slow.socket.resume();
			await slow.closed;
			expect(slow.received()).toBeLessThan(chunks * chunk);
		} finally {
			reader.destroy();
			writer.destroy();
			slow.socket.destroy();
		}
	}, 60_000);
});
