import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDoc, type SyncedDoc } from './clients.ts';
import { COMPACT_BYTES } from '../../server/sync/room.ts';
import { TestServer, waitFor } from './harness.ts';

let server: TestServer;
const open: SyncedDoc[] = [];

async function sync(docName: string): Promise<SyncedDoc> {
	const synced = await openDoc(server, docName, await server.adminCookie());
	open.push(synced);
	return synced;
}

function closeAll(): void {
	for (const synced of open.splice(0)) synced.destroy();
}

beforeAll(async () => {
	server = await TestServer.start();
});
afterAll(async () => {
	closeAll();
	await server?.dispose();
});

describe('durability', () => {
	it('keeps every edit another client has seen when the server is killed with -9', async () => {
		const doc = 'county.2022.funing';
		const a = await sync(doc);
		const b = await sync(doc);
		const problems = a.doc.getMap<number>('problems');
		for (let i = 0; i < 200; i++) problems.set(`edit-${i}`, i);
		await waitFor(() => b.doc.getMap('problems').size === 200, { what: 'b to see 200 edits' });
		await server.kill9();
		closeAll();
		await server.restart();
		const c = await sync(doc);
		const seen = c.doc.getMap<number>('problems');
		expect(seen.size).toBe(200);
		expect(seen.get('edit-199')).toBe(199);
		closeAll();
		const check = server.withDb((db) => db.pragma('integrity_check', { simple: true }));
		expect(check).toBe('ok');
	});
});

describe('group commit', () => {
	it('stores a stream of updates as a few merged rows and relays every update', async () => {
		const doc = 'county.2022.lulong';
		const a = await sync(doc);
		const b = await sync(doc);
		const relayed: Uint8Array[] = [];
		b.doc.on('update', (update: Uint8Array) => relayed.push(update));
		const problems = a.doc.getMap<number>('problems');
		// 1,000 transactions in a row: 1,000 update messages, one after the other.
		for (let i = 0; i < 1_000; i++) problems.set(`stream-${i}`, i);
		await waitFor(() => b.doc.getMap('problems').size === 1_000, { what: 'b to see 1,000 edits' });
		await waitFor(() => server.updateRows(doc) > 0, { what: 'the stream to be stored' });
		expect(server.updateRows(doc)).toBeLessThan(50);
		// Relayed as they came, not merged: b's doc saw (about) one update per edit.
		expect(relayed.length).toBeGreaterThan(900);
		closeAll();
		await server.kill9();
		await server.restart();
		const c = await sync(doc);
		expect(c.doc.getMap('problems').size).toBe(1_000);
		closeAll();
	});
});

describe('compaction', () => {
	const doc = 'county.2022.qinglong';
	let notesLength = 0;

	it('folds the update rows into a snapshot once they hold over 1 MiB, content unchanged', async () => {
		const a = await sync(doc);
		const text = a.doc.getText('notes');
		// Small edits first (each stream of them is merged into few rows), then big ones.
		for (let i = 0; i < 600; i++) text.insert(text.length, `${i % 10}`);
		const chunk = '清单'.repeat(20_000);
		for (let i = 0; i * chunk.length * 3 <= COMPACT_BYTES; i++) text.insert(text.length, chunk);
		const expected = text.toString();
		notesLength = expected.length;
		await waitFor(
			() =>
				server.withDb((db) => {
					const row = db.prepare('SELECT snapshot_bytes FROM docs WHERE name = ?').get(doc) as
						{ snapshot_bytes: number } | undefined;
					return (row?.snapshot_bytes ?? 0) > COMPACT_BYTES;
				}),
			{ what: 'a snapshot holding the folded rows' }
		);
		const b = await sync(doc);
		await waitFor(() => b.doc.getText('notes').toString() === expected, { what: 'b to catch up' });
		closeAll();
		await server.kill9();
		await server.restart();
		const c = await sync(doc);
		expect(c.doc.getText('notes').toString()).toBe(expected);
		closeAll();
	});

	it('on SIGTERM flushes, compacts, exits 0 and keeps everything', async () => {
		const a = await sync(doc);
		const map = a.doc.getMap<string>('problems');
		Y.transact(a.doc, () => map.set('before-stop', 'kept'));
		await waitFor(() => server.updateRows(doc) > 0, { what: 'the write to be stored' });
		expect(await server.stop()).toBe(0);
		closeAll();
		expect(server.output).toMatch(/room\.compacted doc=county\.2022\.qinglong/);
		expect(server.updateRows(doc)).toBe(0);
		await server.restart();
		const b = await sync(doc);
		expect(b.doc.getMap('problems').get('before-stop')).toBe('kept');
		expect(notesLength).toBeGreaterThan(600);
		expect(b.doc.getText('notes').length).toBe(notesLength);
	});
});
