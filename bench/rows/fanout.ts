import { closeAll, openMany, syncAll, syncAndPush, SyncClient, updateKey } from '../clients.ts';
import { Editor, type CountyFixture } from '../fixtures.ts';
import { roundOrder, sleep, type RoundValues } from '../rounds.ts';
import type { BenchServer, ServerKind } from '../servers.ts';
import { percentile } from '../stats.ts';

export interface FanoutOptions {
	readers: number;
	/** Moves per round; each waits until every reader has it. */
	moves: number;
	/** Round 0 is warm-up and not reported. */
	rounds: number;
	docName: string;
	/** A move not seen by every reader within this long counts as lost. */
	timeoutMs?: number;
	log?: (line: string) => void;
}

export interface FanoutResult {
	readers: number;
	p50: RoundValues[];
	p99: RoundValues[];
	lost: Partial<Record<ServerKind, number>>;
}

/**
 * Row 1: one writer drags cards, `readers` clients watch. Per move: the time from the writer's
 * send until the last reader has handled the update.
 */
export async function runFanout(
	servers: BenchServer[],
	fixture: CountyFixture,
	options: FanoutOptions
): Promise<FanoutResult> {
	const result: FanoutResult = { readers: options.readers, p50: [], p99: [], lost: {} };
	for (let round = 0; round < options.rounds; round++) {
		const p50: RoundValues = {};
		const p99: RoundValues = {};
		for (const kind of roundOrder(round)) {
			const server = servers.find((s) => s.kind === kind);
			if (!server) continue;
			const { latencies, lost } = await fanoutRound(server, fixture, options);
			p50[kind] = percentile(latencies, 50);
			p99[kind] = percentile(latencies, 99);
			if (round > 0) result.lost[kind] = (result.lost[kind] ?? 0) + lost;
		}
		options.log?.(
			`fan-out N=${options.readers} round ${round}${round === 0 ? ' (warm-up)' : ''}: ` +
				Object.entries(p50)
					.map(([k, v]) => `${k} p50 ${v.toFixed(2)} ms`)
					.join(', ')
		);
		if (round > 0) {
			result.p50.push(p50);
			result.p99.push(p99);
		}
	}
	return result;
}

async function fanoutRound(
	server: BenchServer,
	fixture: CountyFixture,
	options: FanoutOptions
): Promise<{ latencies: number[]; lost: number }> {
	const target = server.target(options.docName);
	const editor = new Editor(fixture, 'writer');
	const writer = await SyncClient.open(target, editor.doc);
	const readers: SyncClient[] = [];
	try {
		await syncAndPush(writer);
		readers.push(...(await openMany(target, options.readers)));
		await syncAll(readers);
		const latencies: number[] = [];
		let lost = 0;
		let expected: number | null = null;
		let remaining = 0;
		let lastAt = 0;
		let allSeen: (() => void) | null = null;
		for (const reader of readers) {
			reader.onUpdate = (update, at) => {
				if (updateKey(update) !== expected) return;
				lastAt = at;
				if (--remaining === 0) allSeen?.();
			};
		}
		for (let move = 0; move < options.moves; move++) {
			const update = editor.move();
			expected = updateKey(update);
			remaining = readers.length;
			const seen = new Promise<boolean>((resolve) => {
				allSeen = () => resolve(true);
				setTimeout(() => resolve(false), options.timeoutMs ?? 10_000).unref();
			});
			const sentAt = performance.now();
			writer.sendUpdate(update);
			if (await seen) latencies.push(lastAt - sentAt);
			else lost += remaining;
			// A short pause, so that each move meets an idle server.
			await sleep(3);
		}
		return { latencies, lost };
	} finally {
		await closeAll([writer, ...readers]);
		editor.destroy();
	}
}
