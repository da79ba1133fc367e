import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STRUCTS } from '../../../server/sync/update-check.ts';
import { HealthWatch } from '../../faults/scenarios/health-watch.ts';
import { TrackedClient } from '../../faults/scenarios/tracked-client.ts';
import { ackOptIn, decodeAck, RawClient, syncMessage } from '../clients.ts';
import { TestServer, waitFor } from '../harness.ts';

/**
 * No single message holds the server's event loop (issue 14, item 2): the worst update that
 * passes MAX_MESSAGE_BYTES (16 MiB) and MAX_STRUCTS — two million structs that Yjs cannot merge,
 * each inserted in front of the one before — is read, judged and applied in slices
 * (server/sync/budget.ts) while the server goes on answering everyone else.
 */

const DOC = 'county.2022.lulong';
const OTHER = 'county.2022.changli';
let server: TestServer;
let admin: string;

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
});
afterAll(async () => {
	if (process.env.SHOW_LOG) console.log(server.output);
	await server?.dispose();
});

/**
 * `count` one-character strings under client `client`, each inserted before the previous one
 * (its right origin), so no two can merge: every one stays a struct in the doc.
 */
function frontInserts(client: number, count: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1); // one client
	encoding.writeVarUint(encoder, count);
	encoding.writeVarUint(encoder, client);
	encoding.writeVarUint(encoder, 0); // first clock
	// The first: a string in the root type "notes".
	encoding.writeUint8(encoder, 4);
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarString(encoder, 'notes');
	encoding.writeVarString(encoder, 'a');
	for (let clock = 1; clock < count; clock++) {
		encoding.writeUint8(encoder, 4 | 0x40); // a string with a right origin
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock - 1);
		encoding.writeVarString(encoder, 'a');
	}
	encoding.writeVarUint(encoder, 0); // no deletions
	return encoding.toUint8Array(encoder);
}

/** A hold of the event loop the server logged (server/loop-watch.ts): how long, how much GC. */
interface Hold {
	ms: number;
	gcMs: number;
}

const holdsIn = (lines: string[]): Hold[] =>
	lines
		.filter((line) => / loop\.blocked /.test(line))
		.map((line) => {
			const [, ms, gcMs] = / ms=(\d+) gc_ms=(\d+)/.exec(line)!;
			return { ms: Number(ms), gcMs: Number(gcMs) };
		});

/**
 * How long a hold by the server's own work (GC pauses left out) may be here. The target is
 * 100 ms (issue 14; BLOCKED_MS in server/loop-watch.ts); on this project's CI machines, touching fresh memory costs ~3 ms per MB
 * (a new 14 MB buffer takes ~42 ms to fill, refilling it 0.7 ms), and three steps must fill
 * 14–16 MB at once whatever the slices: ws reassembling the 14 MB message, Yjs growing one
 * client's two-million-entry struct array, and building its relay. Alone on an idle machine they
 * stay under 100 ms; with the test's own clients on the other core, 100–135 ms
 * (docs/security.md, 13j).
 */
const ALLOWANCE_MS = 150;

/** Holds over the allowance by the server's own work (V8's collector pauses left out). */
const overTarget = (holds: Hold[]) => holds.filter((h) => h.ms - h.gcMs > ALLOWANCE_MS);

describe('the largest update a writer can send (issue 14, item 2)', () => {
	it('is taken in slices while other rooms stay live, and so is a cold load of the board after', async () => {
		const update = frontInserts(77, MAX_STRUCTS);
		expect(update.byteLength).toBeLessThan(16 * 1024 * 1024);
		// Yjs itself takes it whole (not pending), and keeps every struct.
		const probe = new Y.Doc();
		Y.applyUpdate(probe, update);
		expect(probe.store.pendingStructs).toBeNull();
		expect(probe.getText('notes').length).toBe(MAX_STRUCTS);
		expect(probe.store.clients.get(77)!.length).toBe(MAX_STRUCTS);
		probe.destroy();

		// Two people at work in another county's board, and one watching this board.
		const a = new TrackedClient(server, OTHER, admin);
		const b = new TrackedClient(server, OTHER, admin);
		await waitFor(() => a.synced && b.synced, { what: 'two clients to sync' });
		const watcher = await RawClient.connect(server, DOC, admin);
		const sender = await RawClient.connect(server, DOC, admin);
		sender.send(ackOptIn());
		await sender.roundTrip();
		await watcher.roundTrip();

		const watch = await HealthWatch.start(server.url, { intervalMs: 10 });
		const from = sender.messages.length;
		// Holds count from here (the server's start, loading its password dictionary, is not one).
		const outputFrom = server.output.length;
		const started = performance.now();
		sender.send(syncMessage(2, update));
		// Meanwhile the other board relays edits.
		let relayed = 0;
		const acked = waitFor(() => sender.messages.slice(from).find((m) => decodeAck(m) !== null), {
			what: 'the acknowledgement',
			timeoutMs: 180_000
		});
		let done = false;
		void acked.then(() => (done = true));
		while (!done) {
			a.doc.getMap('checks').set(`edit-${relayed}`, relayed);
			const key = `edit-${relayed}`;
			await waitFor(() => b.doc.getMap('checks').get(key) !== undefined, {
				what: `relay ${relayed} in the other room`
			});
			relayed++;
		}
		const ack = decodeAck(await acked)!;
		const tookMs = performance.now() - started;
		const health = await watch.stop();
		console.log(
			'largest update:',
			JSON.stringify({
				mb: +(update.byteLength / 1048576).toFixed(1),
				tookMs: Math.round(tookMs),
				relayed,
				health
			})
		);
		// Stored (the ack says so) and relayed to the other person on the board.
		expect(ack.sv.get(77)).toBe(MAX_STRUCTS);
		await waitFor(
			() => watcher.messages.some((m) => m.byteLength > update.byteLength && m[0] === 0),
			{ what: 'the relay of the update', timeoutMs: 30_000 }
		);
		// Nothing held the loop: by the server's own watch, and as seen from outside.
		// The server's own watch (server/loop-watch.ts), from the update's arrival until it was
		// stored, relayed and acknowledged (room.large_update).
		const lines = server.output.slice(outputFrom).split('\n');
		const stored = lines.findIndex((line) => / room\.large_update /.test(line));
		expect(stored, 'room.large_update in the log').toBeGreaterThanOrEqual(0);
		const holds = holdsIn(lines.slice(0, stored));
		console.log('holds until it was stored:', holds);
		// Judged and applied in slices, stored in pieces of 256 KiB (SqliteDocStore), relayed as one
		// buffer written once; before the slices, this update held the loop ~20 s.
		expect(overTarget(holds), lines.slice(0, stored).join('\n')).toEqual([]);
		expect(health.failures).toBe(0);
		// Afterwards: its compaction is encoded in steps and its 13 MB snapshot written in pieces.
		await waitFor(() => / room\.compacted doc=county\.2022\.lulong /.test(server.output), {
			what: 'the compaction',
			timeoutMs: 60_000
		});
		const after = server.output.slice(outputFrom).split('\n').slice(stored);
		const compacted = after.findIndex((line) =>
			/ room\.compacted doc=county\.2022\.lulong /.test(line)
		);
		const compactionHolds = holdsIn(after.slice(0, compacted + 2));
		console.log('holds while it was compacted:', compactionHolds);
		expect(overTarget(compactionHolds)).toEqual([]);
		expect(relayed).toBeGreaterThan(10);
		a.destroy();
		b.destroy();
		watcher.close();
		sender.close();

		// A cold load of that board after a restart is read and applied in slices too.
		await server.restart();
		admin = await server.adminCookie();
		const loadFrom = server.output.length;
		const reader = await RawClient.connect(server, DOC, admin);
		await waitFor(
			() => / room\.loaded doc=county\.2022\.lulong /.test(server.output.slice(loadFrom)),
			{
				what: 'the board to load',
				timeoutMs: 60_000
			}
		);
		const loadLog = server.output.slice(loadFrom).split('\n');
		const loaded = loadLog.findIndex((line) => / room\.loaded /.test(line));
		console.log('cold load:', loadLog[loaded]);
		// Read in pieces and applied in slices (it held the loop 4–7 s whole).
		const loadHolds = holdsIn(loadLog.slice(0, loaded + 1));
		console.log('holds during the cold load:', loadHolds);
		expect(overTarget(loadHolds)).toEqual([]);
		// A client's first sync of that board: encoded in steps, and everything is there.
		const syncFrom = server.output.length;
		const state = await reader.roundTrip();
		expect(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)).get(77)).toBe(MAX_STRUCTS);
		// Printed, not bounded: encoded in steps (load.test.ts proves the encoding), but right after
		// a load of two million structs a major GC of the ~500 MB heap can pause 100–300 ms.
		console.log('holds during the first sync:', holdsIn(server.output.slice(syncFrom).split('\n')));
		reader.close();
	}, 300_000);
});
