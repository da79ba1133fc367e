import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../server/db.ts';
import { PIECE_BYTES, SqliteDocStore } from '../../server/persistence/sqlite-doc-store.ts';
import { Committer, type Committable } from '../../server/sync/committer.ts';
import { waitFor } from './harness.ts';

const logged: string[] = [];
vi.mock('../../server/log.ts', () => ({
	log: (event: string) => logged.push(event),
	errorText: (error: unknown) => String(error)
}));

const DOC = 'county.2022.funing';

let dir: string;
let db: Db;
let store: SqliteDocStore;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-pieces-'));
	db = openDatabase(dir);
	store = new SqliteDocStore(db);
	logged.length = 0;
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** Bytes that differ from piece to piece, so a piece out of place cannot pass. */
function value(bytes: number, seed: number): Uint8Array {
	const out = new Uint8Array(bytes);
	let x = seed * 2654435761;
	for (let i = 0; i < bytes; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		out[i] = x >>> 24;
	}
	return out;
}

/** The bytes as hex digests, so comparing megabytes is quick and a mismatch reads well. */
const digests = (values: (Uint8Array | null | undefined)[]) =>
	values.map((v) => (v ? createHash('sha256').update(v).digest('hex').slice(0, 16) : v));

const count = (sql: string, ...args: unknown[]): number =>
	db
		.prepare(sql)
		.pluck()
		.get(...args) as number;

const pieces = () => count('SELECT COUNT(*) FROM blob_pieces');
const blobs = () => count('SELECT COUNT(*) FROM blobs');

describe('values larger than PIECE_BYTES are stored in pieces (issue 14, item 2)', () => {
	it('an update row: written a piece per step, read back whole, counted in stats', async () => {
		const large = value(3 * PIECE_BYTES + 1000, 1);
		const small = value(500, 2);
		// Other work runs between the pieces: a timer set before the append fires before it ends.
		let between = 0;
		const ticker = setInterval(() => between++, 0);
		const ids = await store.appendBatch([
			{ doc: DOC, data: small },
			{ doc: DOC, data: large }
		]);
		clearInterval(ticker);
		expect(ids).toEqual([1, 2]);
		expect(between).toBeGreaterThan(0);
		expect(pieces()).toBe(4);
		expect(count('SELECT LENGTH(data) FROM updates WHERE id = 2')).toBe(0);
		expect(count('SELECT MAX(LENGTH(data)) FROM blob_pieces')).toBe(PIECE_BYTES);

		const stored = await store.load(DOC);
		expect(digests(stored.updates)).toEqual(digests([small, large]));
		expect(stored.damaged).toEqual([]);
		expect((await store.stats(DOC)).updateBytes).toBe(small.byteLength + large.byteLength);
	});

	it('snapshots: pieces for the current and the previous one, and those of older ones freed', async () => {
		const states = [1, 2, 3].map((seed) => value(2 * PIECE_BYTES + seed, seed));
		await store.appendBatch([{ doc: DOC, data: value(100, 9) }]);
		await store.compact(DOC, states[0]!, 1);
		await store.appendBatch([{ doc: DOC, data: value(PIECE_BYTES + 5, 10) }]);
		await store.compact(DOC, states[1]!, 2);
		expect(digests([(await store.load(DOC)).snapshot])).toEqual(digests([states[1]]));
		// Current (3 pieces), previous (3) and row 2 after the previous snapshot (2).
		expect(blobs()).toBe(3);
		await store.compact(DOC, states[2]!, 2);
		// The oldest snapshot and row 2 (held by the previous snapshot now) are no longer named.
		expect(blobs()).toBe(2);
		await waitFor(() => pieces() === 6, { what: 'the pieces of dropped values to be freed' });
		const stored = await store.load(DOC);
		expect(digests([stored.snapshot])).toEqual(digests([states[2]]));
		expect(stored.updates).toEqual([]);
		expect((await store.stats(DOC)).snapshotBytes).toBe(states[2]!.byteLength);

		// A small snapshot after large ones is stored inline; the large one stays as previous.
		await store.compact(DOC, value(10, 4), 2);
		await waitFor(() => pieces() === 3, { what: 'the pieces of the oldest snapshot to go' });
		expect(digests([(await store.load(DOC)).snapshot])).toEqual(digests([value(10, 4)]));
	});

	it('a damaged or missing piece is reported, and the last good content served instead', async () => {
		const first = value(2 * PIECE_BYTES, 1);
		const second = value(2 * PIECE_BYTES, 2);
		await store.appendBatch([{ doc: DOC, data: first }]);
		await store.compact(DOC, first, 1);
		const row = value(PIECE_BYTES + 1, 3);
		await store.appendBatch([{ doc: DOC, data: row }]);
		await store.compact(DOC, second, 2);
		const late = value(PIECE_BYTES + 2, 4);
		await store.appendBatch([{ doc: DOC, data: late }]);

		// One byte of the current snapshot's second piece flips.
		const current = count('SELECT snapshot_blob FROM docs WHERE name = ?', DOC);
		const piece = db
			.prepare('SELECT data FROM blob_pieces WHERE blob = ? AND n = 1')
			.pluck()
			.get(current) as Buffer;
		piece[10] = piece[10]! ^ 1;
		db.prepare('UPDATE blob_pieces SET data = ? WHERE blob = ? AND n = 1').run(piece, current);
		// And the last row loses a piece.
		const lateBlob = count('SELECT blob FROM updates WHERE id = 3');
		db.prepare('DELETE FROM blob_pieces WHERE blob = ? AND n = 1').run(lateBlob);

		const stored = await store.load(DOC);
		// Served from the previous snapshot and the row kept after it; the broken row is left out.
		expect(digests([stored.snapshot, ...stored.updates])).toEqual(digests([first, row]));
		expect(stored.damaged?.map((p) => p.row ?? 'snapshot')).toEqual(['snapshot', 3]);
		expect(store.damageReport().join('\n')).toMatch(/snapshot does not match its checksum/);
		expect(logged).toContain('storage.checksum_mismatch');
	});

	it('pieces of a value whose row was never stored (a crash) are dropped at the next start', async () => {
		const large = value(2 * PIECE_BYTES, 5);
		await store.appendBatch([{ doc: DOC, data: large }]);
		// As a process that died while writing the pieces of the next row leaves them.
		const orphan = Number(
			db.prepare('INSERT INTO blobs (bytes) VALUES (?)').run(999_999).lastInsertRowid
		);
		db.prepare('INSERT INTO blob_pieces (blob, n, data) VALUES (?, 0, ?)').run(
			orphan,
			Buffer.alloc(1000)
		);
		expect(store.dropUnnamedBlobs()).toBe(1);
		await waitFor(() => pieces() === 2, { what: 'the unnamed pieces to be freed' });
		expect(digests((await store.load(DOC)).updates)).toEqual(digests([large]));
	});

	it('a restore replaces pieces with the restored state', async () => {
		await store.appendBatch([{ doc: DOC, data: value(2 * PIECE_BYTES, 6) }]);
		await store.compact(DOC, value(2 * PIECE_BYTES, 7), 1);
		await store.replaceDocs([{ name: DOC, state: value(100, 8) }]);
		expect(blobs()).toBe(0);
		await waitFor(() => pieces() === 0, { what: 'every piece to be freed' });
		const stored = await store.load(DOC);
		expect(digests([stored.snapshot])).toEqual(digests([value(100, 8)]));
		expect(stored.updates).toEqual([]);
	});

	it('the committer stores a large batch apart: other rooms commit meanwhile, in order', async () => {
		const committer = new Committer(store);
		const told: string[] = [];
		const room = (name: string, updates: Uint8Array[]): Committable => ({
			name,
			takeBatch: () => ({ updates: updates.splice(0), records: [] }),
			committed: (ids) => told.push(`${name}:${ids.join(',')}`),
			commitFailed: (error) => told.push(`${name}:failed ${String(error)}`)
		});
		const bigUpdates = [value(8 * PIECE_BYTES, 11)];
		const big = room('county.2022.big', bigUpdates);
		const small = room('county.2022.small', [value(50, 12)]);
		committer.schedule(big);
		committer.schedule(small);
		await waitFor(() => told.includes('county.2022.small:1'), { what: 'the small commit' });
		// The small room was stored while the big one was still being written.
		expect(told).toEqual(['county.2022.small:1']);
		// A later update of the big room waits for the first to be stored.
		bigUpdates.push(value(20, 13));
		committer.schedule(big);
		await waitFor(() => told.length === 3, { what: 'both commits of the big room' });
		expect(told).toEqual(['county.2022.small:1', 'county.2022.big:1', 'county.2022.big:2']);
	});
});
