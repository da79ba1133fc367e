import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../server/db.ts';
import { SqliteDocStore } from '../../server/persistence/sqlite-doc-store.ts';
import { MemoryClientOwners } from '../../server/sync/client-owners.ts';
import { Committer } from '../../server/sync/committer.ts';
import { updateMessage } from '../../server/sync/messages.ts';
import { Room, type Peer } from '../../server/sync/room.ts';
import { waitFor } from './harness.ts';

vi.mock('../../server/log.ts', () => ({
	log: () => {},
	errorText: (error: unknown) => String(error)
}));

const DOC = 'county.2022.funing';

/** A room member that keeps what it is sent. */
function peer(label: string): Peer & { received: Uint8Array[] } {
	const received: Uint8Array[] = [];
	return {
		label,
		isClosed: false,
		wantsAcks: false,
		received,
		send: (message) => received.push(message),
		close() {}
	};
}

let dir: string;
let db: Db;
let store: SqliteDocStore;
let room: Room;

beforeEach(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-lone-'));
	db = openDatabase(dir);
	store = new SqliteDocStore(db);
	room = new Room(DOC, await store.load(DOC), {
		store,
		committer: new Committer(store),
		owners: new MemoryClientOwners(),
		onFailed() {}
	});
});
afterEach(() => {
	room.destroy();
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

const WRITER = { username: 'writer', displayName: '写入者', role: 'city' as const };

/** What a connection does with a writer's update: judged by the room, then received. */
function receive(update: Uint8Array, message: Uint8Array, from: Peer) {
	const admission = room.admit(update, WRITER, { attributeLog: true });
	room.receiveUpdate(update, message, from, admission, WRITER.username);
}

const rows = () => store.stats(DOC).then((stats) => stats.updateRows);

/** `count` edits of one client, each its own update. */
function edits(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i++) doc.getMap('problems').set(`p${i}`, i);
	return updates;
}

describe('a lone update', () => {
	it('is stored, relayed as it came and applied before receiveUpdate returns', async () => {
		const writer = peer('writer');
		const reader = peer('reader');
		room.addPeer(writer);
		room.addPeer(reader);
		const [update] = edits(1);
		const message = updateMessage(update!);
		receive(update!, message, writer);
		expect(await rows()).toBe(1);
		expect(reader.received).toEqual([message]);
		expect(reader.received[0]).toBe(message);
		expect(writer.received).toEqual([]);
		expect(room.doc.getMap('problems').get('p0')).toBe(0);
		expect(room.settled).toBe(true);
		// What is stored is what was relayed: a fresh load has it.
		const loaded = new Y.Doc();
		for (const row of (await store.load(DOC)).updates) Y.applyUpdate(loaded, row);
		expect(loaded.getMap('problems').get('p0')).toBe(0);
	});
});

describe('a stream of updates', () => {
	it('is still gathered into few commits, and every update is relayed once', async () => {
		const writer = peer('writer');
		const reader = peer('reader');
		room.addPeer(writer);
		room.addPeer(reader);
		// Two at a time, a timer tick apart: a stream by any measure, even on a loaded machine.
		const updates = edits(60);
		for (let i = 0; i < updates.length; i++) {
			receive(updates[i]!, updateMessage(updates[i]!), writer);
			if (i % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 1));
		}
		await waitFor(() => room.settled, { what: 'the last commit' });
		expect(reader.received).toHaveLength(60);
		expect(room.doc.getMap('problems').size).toBe(60);
		// One row per commit: the first updates alone, then the stream in windows.
		expect(await rows()).toBeLessThan(20);
	});
});
