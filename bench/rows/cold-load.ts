import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { SyncClient } from '../clients.ts';
import { Editor, type CountyFixture } from '../fixtures.ts';
import { prepareOurData, startServer, type StoredCountyDoc } from '../servers.ts';
import { median, ratio } from '../stats.ts';

export interface ColdLoadOptions {
	/** Rows after the snapshot in the second case (1,000 in the full run). */
	tailRows: number;
	/** Round 0 is warm-up; each round needs its own county doc for the tail case. */
	rounds: number;
	log?: (line: string) => void;
}

export interface ColdLoadCase {
	label: string;
	ours: number[];
	floor: number[];
	ratios: number[];
	bytes: number;
}

export interface ColdLoadResult {
	snapshot: ColdLoadCase;
	tail: ColdLoadCase;
}

/** The seven county docs of the seeded campaign; one per round of the tail case. */
const COUNTIES = ['haigang', 'shanhaiguan', 'beidaihe', 'funing', 'qinglong', 'changli', 'lulong'];

/**
 * Row 3: a county doc stored as a snapshot (and, in the second case, a snapshot followed by
 * `tailRows` update rows), loaded by our server when a new client opens it, until that client
 * has the server's sync step 2. The floor, per round in this process: read the same rows from
 * the same SQLite file and `Y.applyUpdate` them into a fresh doc.
 */
export async function runColdLoad(
	fixture: CountyFixture,
	options: ColdLoadOptions
): Promise<ColdLoadResult> {
	if (options.rounds > COUNTIES.length - 1) throw new Error('more rounds than county docs');
	const editor = new Editor(fixture, 'tail');
	const tail = Array.from({ length: options.tailRows }, () => editor.edit());
	editor.destroy();
	const docs = new Map<string, StoredCountyDoc>();
	const snapshotDoc = `county.2022.${COUNTIES[0]}`;
	docs.set(snapshotDoc, { snapshot: fixture.update });
	const tailDocs = COUNTIES.slice(1, options.rounds + 1).map((county) => `county.2022.${county}`);
	for (const name of tailDocs) docs.set(name, { snapshot: fixture.update, tail });

	const dataDir = await prepareOurData(docs);
	// A short grace period, so that the room is unloaded between rounds (the load stays cold).
	const server = await startServer('ours', { dataDir, env: { ROOM_GRACE_MS: '50' } });
	const db = new Database(path.join(dataDir, 'qingdan.sqlite'), { readonly: true });
	const result: ColdLoadResult = {
		snapshot: {
			label: 'snapshot',
			ours: [],
			floor: [],
			ratios: [],
			bytes: fixture.update.byteLength
		},
		tail: {
			label: `snapshot + ${options.tailRows} rows`,
			ours: [],
			floor: [],
			ratios: [],
			bytes: fixture.update.byteLength + tail.reduce((n, u) => n + u.byteLength, 0)
		}
	};
	try {
		for (let round = 0; round < options.rounds; round++) {
			const cases: [ColdLoadCase, string][] = [
				[result.snapshot, snapshotDoc],
				[result.tail, tailDocs[round]!]
			];
			for (const [entry, docName] of cases) {
				// Alternate which goes first, floor or ours.
				const oursFirst = round % 2 === 0;
				const floor = oursFirst ? NaN : floorLoad(db, docName);
				const ours = await ourLoad(server, docName);
				const floorAfter = oursFirst ? floorLoad(db, docName) : floor;
				options.log?.(
					`cold load ${entry.label} round ${round}${round === 0 ? ' (warm-up)' : ''}: ` +
						`ours ${ours.toFixed(0)} ms, floor ${floorAfter.toFixed(0)} ms`
				);
				if (round === 0) continue;
				entry.ours.push(ours);
				entry.floor.push(floorAfter);
				entry.ratios.push(ratio(ours, floorAfter));
			}
		}
	} finally {
		db.close();
		await server.stop();
	}
	return result;
}

/** The floor: the stored bytes read from SQLite and applied to a fresh Y.Doc. */
function floorLoad(db: Database.Database, docName: string): number {
	const started = performance.now();
	// A value over 256 KiB is stored in pieces (migration 5): read them as the store does.
	const pieces = db.prepare('SELECT data FROM blob_pieces WHERE blob = ? ORDER BY n');
	const whole = (inline: Buffer | null, blob: number | null): Buffer =>
		blob === null
			? inline!
			: Buffer.concat((pieces.all(blob) as { data: Buffer }[]).map((p) => p.data));
	const stored = db
		.prepare('SELECT snapshot, snapshot_blob AS blob FROM docs WHERE name = ?')
		.get(docName) as { snapshot: Buffer | null; blob: number | null };
	const row = { snapshot: whole(stored.snapshot, stored.blob) };
	const rows = (
		db.prepare('SELECT data, blob FROM updates WHERE doc = ? ORDER BY id').all(docName) as {
			data: Buffer;
			blob: number | null;
		}[]
	).map((r) => ({ data: whole(r.data, r.blob) }));
	const doc = new Y.Doc();
	doc.transact(() => {
		Y.applyUpdate(doc, row.snapshot);
		for (const { data } of rows) Y.applyUpdate(doc, data);
	});
	const elapsed = performance.now() - started;
	doc.destroy();
	return elapsed;
}

/** Ours: a new client opens the doc (not loaded) and waits for the full state. */
async function ourLoad(
	server: Awaited<ReturnType<typeof startServer>>,
	docName: string
): Promise<number> {
	const target = server.target(docName);
	const mark = server.process.mark();
	const started = performance.now();
	const client = await SyncClient.open(target);
	await client.sync();
	const elapsed = performance.now() - started;
	await client.close();
	// Wait until the room is unloaded again (the next load of this doc must be cold too).
	const unloaded = new RegExp(`room\\.unloaded doc=${docName.replace(/\./g, '\\.')}\\b`);
	await server.process.waitForOutput(unloaded, 30_000, mark);
	return elapsed;
}

export const medianRatio = (entry: ColdLoadCase) => median(entry.ratios);
