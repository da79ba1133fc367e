import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { syncAndPush, SyncClient } from '../clients.ts';
import type { CountyFixture } from '../fixtures.ts';
import { Inspector } from '../inspector.ts';
import { ROOT } from '../process.ts';
import { sleep } from '../rounds.ts';
import { prepareOurData, startServer, tempDir, type ServerKind } from '../servers.ts';

export interface MemoryOptions {
	/** Open/close cycles after the idle-room measurement (1,000 in the full run). */
	cycles: number;
	/** Our server's grace period before an empty room is unloaded. */
	graceMs: number;
	log?: (line: string) => void;
}

export interface MemoryResult {
	/** Heap of a bare Y.Doc holding the fixture, in a fresh process. */
	bareDoc: number;
	servers: Partial<Record<ServerKind, ServerMemory>>;
}

export interface ServerMemory {
	/** Heap growth with one idle client on the room. */
	idleRoom: number;
	/** Heap growth left after that client left and the grace period passed. */
	afterLeave: number;
	/** Heap after `cycles` open/sync/close cycles, relative to the baseline (0.01 = +1 %). */
	afterCycles: number;
	baseline: number;
}

const DOC = 'county.2022.haigang';
/** A different doc, opened before the baseline so that every code path is loaded. */
const WARM_DOC = 'county.2022.lulong';

/**
 * Row 4: the server's JS heap (plus array buffers) after full GCs, read through the inspector:
 * before anything is open, with one idle client on a board, after it left and the grace period
 * passed, and after many clients came and went.
 */
export async function runMemory(
	kinds: ServerKind[],
	fixture: CountyFixture,
	options: MemoryOptions
): Promise<MemoryResult> {
	const result: MemoryResult = { bareDoc: bareDocHeap(fixture), servers: {} };
	options.log?.(`memory: bare Y.Doc ${(result.bareDoc / 1024 / 1024).toFixed(1)} MiB`);
	for (const kind of kinds) {
		result.servers[kind] = await serverMemory(kind, fixture, options);
		const m = result.servers[kind]!;
		options.log?.(
			`memory ${kind}: idle room ${(m.idleRoom / 1024 / 1024).toFixed(1)} MiB, after leave ` +
				`${(m.afterLeave / 1024 / 1024).toFixed(2)} MiB, after ${options.cycles} cycles ` +
				`${(m.afterCycles * 100).toFixed(1)} %`
		);
	}
	return result;
}

async function serverMemory(
	kind: ServerKind,
	fixture: CountyFixture,
	options: MemoryOptions
): Promise<ServerMemory> {
	const dataDir =
		kind === 'ours'
			? await prepareOurData(new Map([[DOC, { snapshot: fixture.update }]]))
			: undefined;
	const server = await startServer(kind, {
		nodeArgs: ['--inspect=127.0.0.1:0'],
		dataDir,
		env: { ROOM_GRACE_MS: String(options.graceMs) }
	});
	const inspector = await Inspector.attach(server.process);
	// Peers unload at once (Hocuspocus) or never (the reference server keeps every doc); ours
	// after the grace period. Waiting a little longer than that covers all three.
	const settle = () => sleep(options.graceMs + 500);
	try {
		// Warm-up: the code paths of a connection, a room load and an unload run (and are
		// compiled) before the baseline, so that the cycles below measure what is retained.
		for (let i = 0; i < Math.min(50, options.cycles); i++) await cycle(server.target(WARM_DOC));
		await cycle(server.target(DOC));
		await settle();
		const baseline = await inspector.heapAfterGc();

		const doc = new Y.Doc();
		Y.applyUpdate(doc, fixture.update);
		const client = await SyncClient.open(server.target(DOC), doc);
		await syncAndPush(client);
		const idleRoom = (await inspector.heapAfterGc()) - baseline;
		await client.close();
		doc.destroy();
		await settle();
		const afterLeave = (await inspector.heapAfterGc()) - baseline;

		const target = server.target(DOC);
		for (let i = 0; i < options.cycles; i++) await cycle(target);
		await settle();
		const afterCycles = (await inspector.heapAfterGc()) / baseline - 1;
		return { idleRoom, afterLeave, afterCycles, baseline };
	} finally {
		inspector.close();
		await server.stop();
	}
}

async function cycle(target: ReturnType<Awaited<ReturnType<typeof startServer>>['target']>) {
	const client = await SyncClient.open(target);
	await client.sync();
	await client.close();
}

/** The heap a Y.Doc holding the fixture takes, measured in a fresh Node process. */
function bareDocHeap(fixture: CountyFixture): number {
	const file = path.join(tempDir('floor'), 'doc.bin');
	fs.writeFileSync(file, fixture.update);
	const script = `
		import fs from 'node:fs';
		import * as Y from 'yjs';
		const update = new Uint8Array(fs.readFileSync(process.argv[1]));
		const heap = () => { for (let i = 0; i < 3; i++) gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
		const before = heap();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		const after = heap();
		console.log(after - before, doc.share.size);
	`;
	try {
		const output = execFileSync(
			process.execPath,
			['--expose-gc', '--input-type=module', '-e', script, file],
			{ cwd: ROOT, encoding: 'utf8' }
		);
		return Number(output.trim().split(' ')[0]);
	} finally {
		fs.rmSync(path.dirname(file), { recursive: true, force: true });
	}
}
