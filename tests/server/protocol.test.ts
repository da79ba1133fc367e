import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	CLOSE_PROTOCOL_ERROR,
	CLOSE_TOO_LARGE,
	MESSAGE_ACK,
	MESSAGE_AWARENESS
} from '../../src/lib/sync/protocol.ts';
import { RawClient, ackOptIn, decodeAck, openDoc, syncMessage, type SyncedDoc } from './clients.ts';
import { TestServer, waitFor } from './harness.ts';

const DOC = 'county.2022.shanhaiguan';
let server: TestServer;
let admin: string;
const clients: RawClient[] = [];

async function raw(doc = DOC, cookie = admin): Promise<RawClient> {
	const client = await RawClient.connect(server, doc, cookie);
	clients.push(client);
	return client;
}

beforeAll(async () => {
	server = await TestServer.start();
	admin = await server.adminCookie();
});
afterAll(async () => {
	if (process.env.SHOW_LOG) console.log(server.output);
	for (const client of clients) client.close();
	await server?.dispose();
});

describe('acknowledgements', () => {
	it('acks at opt-in and after each commit, covering inserts and deletions', async () => {
		const client = await raw();
		client.send(ackOptIn());
		const first = decodeAck(await client.next((m) => m[0] === MESSAGE_ACK));
		expect(first).not.toBeNull();

		const local = new Y.Doc();
		const problems = local.getMap<string>('problems');
		let update: Uint8Array = new Uint8Array();
		local.on('update', (u: Uint8Array) => (update = u));

		problems.set('acked', 'yes');
		let from = client.messages.length;
		client.send(syncMessage(2, update));
		const afterInsert = await waitFor(
			() =>
				client.messages
					.slice(from)
					.map(decodeAck)
					.find(
						(s) => s && (s.sv.get(local.clientID) ?? 0) >= Y.getState(local.store, local.clientID)
					),
			{ what: 'an ack covering the insert' }
		);
		expect(Y.snapshotContainsUpdate(afterInsert, Y.encodeStateAsUpdate(local))).toBe(true);

		// Deleting does not advance the clock: only the delete set can acknowledge it.
		problems.delete('acked');
		from = client.messages.length;
		client.send(syncMessage(2, update));
		const afterDelete = await waitFor(
			() =>
				client.messages
					.slice(from)
					.map(decodeAck)
					.find((s) => s && Y.snapshotContainsUpdate(s, update)),
			{ what: 'an ack covering the deletion' }
		);
		expect(afterDelete.ds.clients.get(local.clientID)?.length).toBeGreaterThan(0);
	});

	it('acknowledges a deletion the server already had (two people deleted the same thing)', async () => {
		const client = await raw();
		client.send(ackOptIn());
		await client.next((m) => m[0] === MESSAGE_ACK);
		const local = new Y.Doc();
		const problems = local.getMap<string>('problems');
		const updates: Uint8Array[] = [];
		local.on('update', (u: Uint8Array) => updates.push(u));
		problems.set('shared', 'x');
		client.send(syncMessage(2, updates[0]!));
		// Someone else deletes it first; then this client's own deletion of it arrives.
		const other = new Y.Doc();
		Y.applyUpdate(other, updates[0]!);
		const otherUpdates: Uint8Array[] = [];
		other.on('update', (u: Uint8Array) => otherUpdates.push(u));
		other.getMap('problems').delete('shared');
		const second = await raw();
		second.send(syncMessage(2, otherUpdates[0]!));
		await second.roundTrip();
		problems.delete('shared');
		const mine = updates.at(-1)!;
		const from = client.messages.length;
		client.send(syncMessage(2, mine));
		await waitFor(
			() =>
				client.messages
					.slice(from)
					.map(decodeAck)
					.find((ack) => ack && Y.snapshotContainsUpdate(ack, mine)),
			{ what: 'an ack covering the deletion the server had already' }
		);
	});

	it('keeps acks after a commit small on a big doc: the state vector and the writer’s deletions', async () => {
		// A doc with many deletions (every card's value overwritten once).
		const seeded = new Y.Doc();
		const cards = seeded.getMap<string>('problems');
		for (let i = 0; i < 2_000; i++) cards.set(`card-${i}`, 'first');
		for (let i = 0; i < 2_000; i += 2) cards.set(`card-${i}`, 'second');
		const seeder = await raw('county.2022.funing');
		seeder.send(syncMessage(2, Y.encodeStateAsUpdate(seeded)));
		await seeder.roundTrip();

		const client = await raw('county.2022.funing');
		client.send(ackOptIn());
		const whole = await client.next((m) => m[0] === MESSAGE_ACK);
		const local = new Y.Doc();
		Y.applyUpdate(local, Y.encodeStateAsUpdate(seeded));
		let update: Uint8Array = new Uint8Array();
		local.on('update', (u: Uint8Array) => (update = u));
		local.getMap<string>('problems').set('card-1', 'moved');
		const from = client.messages.length;
		client.send(syncMessage(2, update));
		const ack = await client.next((m) => m[0] === MESSAGE_ACK, from);
		expect(Y.snapshotContainsUpdate(decodeAck(ack)!, update)).toBe(true);
		expect(whole.byteLength).toBeGreaterThan(2_000);
		expect(ack.byteLength).toBeLessThan(200);
	});

	it('sends no acks to clients that did not opt in', async () => {
		const client = await raw();
		const local = new Y.Doc();
		local.getMap('problems').set('silent', 1);
		client.send(syncMessage(2, Y.encodeStateAsUpdate(local)));
		await client.roundTrip();
		expect(client.messages.some((m) => m[0] === MESSAGE_ACK)).toBe(false);
	});

	it('acks only the writer: an opted-in reader gets the update but not a snapshot per commit', async () => {
		const writer = await raw();
		const reader = await raw();
		for (const client of [writer, reader]) {
			client.send(ackOptIn());
			await client.next((m) => m[0] === MESSAGE_ACK);
		}
		const readerFrom = reader.messages.length;
		const writerFrom = writer.messages.length;
		const local = new Y.Doc();
		local.getMap('problems').set('only-the-writer', 1);
		writer.send(syncMessage(2, Y.encodeStateAsUpdate(local)));
		await waitFor(() => writer.messages.slice(writerFrom).some((m) => m[0] === MESSAGE_ACK), {
			what: "the writer's ack"
		});
		await waitFor(() => reader.messages.length > readerFrom, { what: 'the relayed update' });
		await reader.roundTrip();
		expect(reader.messages.slice(readerFrom).some((m) => m[0] === MESSAGE_ACK)).toBe(false);
	});
});

describe('abuse', () => {
	let bystander: SyncedDoc;
	let witness: SyncedDoc;
	let round = 0;

	beforeAll(async () => {
		bystander = await openDoc(server, DOC, admin);
		witness = await openDoc(server, DOC, admin);
	});
	afterAll(() => {
		bystander.destroy();
		witness.destroy();
	});

	/** The room still relays between two other clients and the server still answers. */
	async function othersUnaffected(): Promise<void> {
		const key = `still-working-${round++}`;
		bystander.doc.getMap('checks').set(key, true);
		await waitFor(() => witness.doc.getMap('checks').get(key), { what: key });
		expect((await server.api('GET', '/healthz')).status).toBe(200);
	}

	function pseudoRandomBytes(length: number, seed: number): Uint8Array {
		const bytes = new Uint8Array(length);
		let state = seed;
		for (let i = 0; i < length; i++) {
			state = (Math.imul(state, 1103515245) + 12345) >>> 0;
			bytes[i] = state >>> 24;
		}
		return bytes;
	}

	it('closes a socket that sends a 20 MB frame with 1009', async () => {
		const client = await raw();
		client.send(Buffer.alloc(20 * 1024 * 1024, 7));
		expect((await client.closed).code).toBe(CLOSE_TOO_LARGE);
		await othersUnaffected();
	});

	const garbage: [string, Uint8Array][] = [
		['random bytes', pseudoRandomBytes(1024, 42)],
		['an empty frame', new Uint8Array()],
		['a truncated varint', new Uint8Array([0x80])],
		['a truncated sync message', new Uint8Array([0, 2, 10, 1])],
		['unknown message type 77', new Uint8Array([77])],
		['sync sub-type 9', new Uint8Array([0, 9, 0])],
		['an empty update', new Uint8Array([0, 2, 0])],
		['a malformed update', new Uint8Array([0, 2, 4, 0xff, 0xff, 0xff, 0xff])],
		['a malformed state vector', new Uint8Array([0, 0, 2, 0x05, 0x80])],
		['trailing bytes after an ack opt-in', new Uint8Array([MESSAGE_ACK, 1])],
		['awareness with invalid JSON', awareness('{"user":')],
		['an awareness state over 16 KB', awareness(JSON.stringify({ blob: 'x'.repeat(17_000) }))],
		['awareness that is not an object', awareness('[1,2,3]')]
	];

	for (const [what, message] of garbage) {
		it(`closes a socket that sends ${what} with 1002, and nothing else`, async () => {
			const client = await raw();
			client.send(message);
			expect((await client.closed).code).toBe(CLOSE_PROTOCOL_ERROR);
			await othersUnaffected();
		});
	}

	it('closes a socket that sends a text frame with 1002', async () => {
		const client = await raw();
		client.ws.send('hello');
		expect((await client.closed).code).toBe(CLOSE_PROTOCOL_ERROR);
		await othersUnaffected();
	});
});

function awareness(json: string): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, 12345);
	encoding.writeVarUint(inner, 1);
	encoding.writeVarString(inner, json);
	const outer = encoding.createEncoder();
	encoding.writeVarUint(outer, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
	return encoding.toUint8Array(outer);
}
