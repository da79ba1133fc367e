import * as Y from 'yjs';
import { TestServer, waitFor } from '../../server/harness.ts';
import { dice, seeded } from './random.ts';
import { TrackedClient, canonicalJson, contains, serverState } from './tracked-client.ts';

export interface KillOptions {
	seed: number;
	writers: number;
	edits: number;
}

export interface KillReport {
	/** How many edits had been made when the server was killed. */
	killedAfter: number;
	/** Updates a client had been told were stored. */
	acknowledged: number;
	/** Updates a client had received from the server. */
	seen: number;
	/** Of those, how many the restarted server did not have (must be 0). */
	lost: number;
	integrity: string;
}

const DOC = 'county.2022.haigang';
/** Unacknowledged edits a writer may have before it waits (until the server is killed). */
const MAX_AHEAD = 16;

const content = (doc: Y.Doc) =>
	canonicalJson({ edits: doc.getMap('edits').toJSON(), notes: doc.getText('notes').toString() });

/** One writer's edit: mostly inserts, some deletions, so acks must cover delete sets too. */
function edit(doc: Y.Doc, writer: number, n: number, d: ReturnType<typeof dice>): void {
	const edits = doc.getMap<number>('edits');
	const notes = doc.getText('notes');
	const roll = d.rand();
	if (roll < 0.6 || edits.size === 0) {
		edits.set(`w${writer}-${n}`, n);
	} else if (roll < 0.85) {
		notes.insert(d.int(notes.length + 1), `${writer}`);
	} else if (roll < 0.95 || notes.length === 0) {
		const keys = [...edits.keys()];
		edits.delete(d.pick(keys));
	} else {
		notes.delete(d.int(notes.length), 1);
	}
}

/**
 * Guarantee 1: `writers` clients make `edits` edits each while the server is killed with -9 at a
 * seeded moment. After a restart the server has every update any client was acknowledged or had
 * received, its database passes `PRAGMA integrity_check`, and once the clients reconnect
 * everything converges with nothing lost.
 */
export async function runKillScenario({ seed, writers, edits }: KillOptions): Promise<KillReport> {
	const d = dice(seeded(seed));
	const server = await TestServer.start();
	const clients: TrackedClient[] = [];
	try {
		const cookie = await server.adminCookie();
		// `writers` clients that write, and one more that only watches.
		for (let i = 0; i <= writers; i++) clients.push(new TrackedClient(server, DOC, cookie));
		const writing = clients.slice(0, writers);
		await waitFor(() => clients.every((c) => c.synced && c.acks > 0), { what: 'clients to sync' });

		const total = writers * edits;
		const killAt = Math.floor(total * (0.1 + 0.8 * d.rand()));
		let made = 0;
		let killed: Promise<void> | null = null;
		for (let round = 0; round < edits; round++) {
			for (const [w, client] of writing.entries()) {
				edit(client.doc, w, round, d);
				if (++made === killAt) killed = server.kill9();
			}
			// One round per turn of the event loop, so that sends, commits and relays interleave;
			// and, like people typing, no writer runs far ahead of what the server has stored.
			await new Promise((resolve) => setImmediate(resolve));
			while (!killed && writing.some((c) => c.pendingCount > MAX_AHEAD)) {
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
		}
		await killed;
		await waitFor(() => clients.every((c) => !c.provider.wsconnected), {
			what: 'every client to notice the server is gone'
		});

		const acknowledged = writing.flatMap((c) => c.acknowledgedUpdates());
		const seen = clients.flatMap((c) => c.receivedUpdates);

		await server.restart();
		const restored = await serverState(server, DOC, await server.adminCookie());
		const lost = [...acknowledged, ...seen].filter((u) => !contains(restored, u)).length;
		const integrity = server.withDb((db) => String(db.pragma('integrity_check', { simple: true })));

		// The clients come back (sessions live in the database, so their cookies still work): what
		// they kept flows in, and everyone ends equal.
		for (const client of clients) client.pointTo(server);
		await waitFor(
			async () => {
				if (!clients.every((c) => c.synced && c.pendingCount === 0)) return false;
				const state = await serverState(server, DOC, await server.adminCookie());
				return writing.every((c) => contains(state, Y.encodeStateAsUpdate(c.doc)));
			},
			{
				what: `seed ${seed}: every client's edits to reach the restarted server`,
				timeoutMs: 60_000
			}
		);
		await waitFor(() => new Set(clients.map((c) => content(c.doc))).size === 1, {
			what: `seed ${seed}: clients to converge`
		});
		return {
			killedAfter: killAt,
			acknowledged: acknowledged.length,
			seen: seen.length,
			lost,
			integrity
		};
	} finally {
		for (const client of clients) client.destroy();
		await server.dispose();
	}
}
