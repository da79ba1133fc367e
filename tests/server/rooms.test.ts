import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import { CLOSE_STORAGE_FAILED } from '../../src/lib/sync/protocol.ts';
import type {
	AppendEntry,
	DocStats,
	DocStore,
	StoredDoc
} from '../../server/persistence/doc-store.ts';
import { Committer } from '../../server/sync/committer.ts';
import { Connection, MAX_BUFFERED_BYTES } from '../../server/sync/connection.ts';
import type { Peer } from '../../server/sync/room.ts';
import { MemoryClientOwners } from '../../server/sync/client-owners.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { waitFor } from './harness.ts';

vi.mock('../../server/log.ts', () => ({
	log: () => {},
	errorText: (error: unknown) => String(error)
}));

/** An in-memory DocStore whose loads can be held and whose writes can be made to fail. */
class MemoryStore implements DocStore {
	loads = 0;
	compactions = 0;
	failWrites = false;
	holdLoads: Promise<void> | null = null;
	holdCompactions: Promise<void> | null = null;
	readonly rows: { id: number; doc: string; data: Uint8Array }[] = [];
	readonly snapshots = new Map<string, Uint8Array>();
	#nextId = 1;

	async load(name: string): Promise<StoredDoc> {
		this.loads++;
		if (this.holdLoads) await this.holdLoads;
		const rows = this.rows.filter((r) => r.doc === name);
		return {
			snapshot: this.snapshots.get(name) ?? null,
			updates: rows.map((r) => r.data),
			lastId: rows.at(-1)?.id ?? 0
		};
	}

	async appendBatch(entries: AppendEntry[]): Promise<number[]> {
		if (this.failWrites) throw new Error('disk full');
		return entries.map((e) => {
			const id = this.#nextId++;
			this.rows.push({ id, ...e });
			return id;
		});
	}

	async compact(name: string, snapshot: Uint8Array, upToId: number): Promise<void> {
		this.compactions++;
		if (this.holdCompactions) await this.holdCompactions;
		this.snapshots.set(name, snapshot);
		for (let i = this.rows.length - 1; i >= 0; i--) {
			if (this.rows[i]!.doc === name && this.rows[i]!.id <= upToId) this.rows.splice(i, 1);
		}
	}

	async stats(name: string): Promise<DocStats> {
		const rows = this.rows.filter((r) => r.doc === name);
		return {
			snapshotBytes: this.snapshots.get(name)?.byteLength ?? 0,
			updateRows: rows.length,
			updateBytes: rows.reduce((n, r) => n + r.data.byteLength, 0)
		};
	}

	async listDocNames(): Promise<string[]> {
		return [...new Set([...this.snapshots.keys(), ...this.rows.map((r) => r.doc)])].sort();
	}

	async replaceDocs(docs: { name: string; state: Uint8Array }[], alongside?: () => void) {
		for (const doc of docs) {
			this.snapshots.set(doc.name, doc.state);
			for (let i = this.rows.length - 1; i >= 0; i--) {
				if (this.rows[i]!.doc === doc.name) this.rows.splice(i, 1);
			}
		}
		alongside?.();
	}
}

class FakePeer implements Peer {
	readonly sent: Uint8Array[] = [];
	closedWith: number | null = null;
	wantsAcks = false;
	constructor(readonly label: string) {}
	get isClosed() {
		return this.closedWith !== null;
	}
	send(message: Uint8Array) {
		this.sent.push(message);
	}
	close(code: number) {
		this.closedWith = code;
	}
}

function setup(graceMs = 0) {
	const store = new MemoryStore();
	const rooms = new Rooms({
		store,
		committer: new Committer(store),
		owners: new MemoryClientOwners(),
		graceMs
	});
	return { store, rooms };
}

describe('rooms', () => {
	it('loads a doc once for peers that arrive together', async () => {
		const { store, rooms } = setup();
		let release!: () => void;
		store.holdLoads = new Promise((resolve) => (release = resolve));
		const joining = [1, 2, 3].map((i) => rooms.join('county.2022.haigang', new FakePeer(`p${i}`)));
		release();
		const joined = await Promise.all(joining);
		expect(store.loads).toBe(1);
		expect(new Set(joined).size).toBe(1);
		expect(joined[0]!.peers.size).toBe(3);
	});

	it('relays only after the commit, and not at all when storage fails', async () => {
		const { store, rooms } = setup();
		const writer = new FakePeer('writer');
		const reader = new FakePeer('reader');
		const room = (await rooms.join('doc', writer))!;
		await rooms.join('doc', reader);

		Y.applyUpdate(room.doc, update('a'), writer);
		expect(reader.sent).toHaveLength(0);
		await waitFor(() => reader.sent.length === 1, { what: 'the relay' });
		expect(writer.sent).toHaveLength(0);
		expect(store.rows).toHaveLength(1);

		store.failWrites = true;
		Y.applyUpdate(room.doc, update('b'), writer);
		await waitFor(() => writer.isClosed && reader.isClosed, { what: 'both peers to be closed' });
		expect(writer.closedWith).toBe(CLOSE_STORAGE_FAILED);
		expect(reader.closedWith).toBe(CLOSE_STORAGE_FAILED);
		expect(reader.sent).toHaveLength(1);

		// The next peer gets a fresh load from storage: only what was committed.
		store.failWrites = false;
		const again = (await rooms.join('doc', new FakePeer('later')))!;
		expect(again).not.toBe(room);
		expect(store.loads).toBe(2);
		expect(again.doc.getMap('m').toJSON()).toEqual({ a: 'a' });
	});

	it('unloads an idle room after compacting it, and a peer arriving meanwhile waits', async () => {
		const { store, rooms } = setup(0);
		const peer = new FakePeer('p');
		const room = (await rooms.join('doc', peer))!;
		Y.applyUpdate(room.doc, update('kept'), peer);
		let release!: () => void;
		store.holdCompactions = new Promise((resolve) => (release = resolve));
		rooms.leave(room, peer);
		await waitFor(() => store.compactions === 1, { what: 'compaction on unload' });
		const late = rooms.join('doc', new FakePeer('q'));
		await new Promise((resolve) => setImmediate(resolve));
		expect(store.loads).toBe(1);
		release();
		const next = (await late)!;
		expect(next).not.toBe(room);
		expect(store.loads).toBe(2);
		expect(store.rows).toHaveLength(0);
		expect(next.doc.getMap('m').get('kept')).toBe('kept');
	});
});

/** Just enough of a `ws` socket for a Connection. */
class FakeSocket extends EventEmitter {
	readyState = 1;
	bufferedAmount = 0;
	readonly sent: Uint8Array[] = [];
	closedWith: number | null = null;
	send(message: Uint8Array) {
		this.sent.push(message);
	}
	close(code: number) {
		this.closedWith = code;
	}
	terminate() {}
	ping() {}
}

describe('connections', () => {
	it('disconnects a client that stops reading instead of buffering for it', async () => {
		const { rooms } = setup();
		const socket = new FakeSocket();
		const connection = new Connection(socket as unknown as WebSocket, {
			docName: 'county.2022.haigang',
			ref: { kind: 'county', campaign: '2022', county: 'haigang' },
			session: {
				tokenHash: 'hash',
				user: { username: 'wuwei', displayName: '武威', role: 'city' },
				expiresAt: Date.now() + 60_000
			},
			rooms,
			archived: () => false,
			maxQueuedBytes: 1024 * 1024,
			onClose: () => {}
		});
		await waitFor(() => socket.sent.length > 0, { what: 'sync step 1' });
		socket.bufferedAmount = MAX_BUFFERED_BYTES + 1;
		connection.send(new Uint8Array([0, 2, 2, 0, 0]));
		expect(socket.closedWith).toBe(1013);
		expect(socket.sent).toHaveLength(1);
		expect(connection.isClosed).toBe(true);
	});
});

function update(key: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('m').set(key, key);
	return Y.encodeStateAsUpdate(doc);
}
