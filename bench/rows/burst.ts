import { monitorEventLoopDelay } from 'node:perf_hooks';
import { closeAll, openMany, syncAll, syncAndPush, SyncClient, updateKey } from '../clients.ts';
import { Editor, type CountyFixture } from '../fixtures.ts';
import { roundOrder, sleep, type RoundValues } from '../rounds.ts';
import type { BenchServer, ServerKind } from '../servers.ts';
import { percentile } from '../stats.ts';

export interface BurstOptions {
	clients: number;
	writers: number;
	/** Edits per second per writer. */
	rate: number;
	seconds: number;
	rounds: number;
	docName: string;
	/** A shorter warm-up round (it is not reported). */
	warmupSeconds?: number;
	/** After the last send, how long to wait for stragglers once nothing arrives any more. */
	quietMs?: number;
	log?: (line: string) => void;
}

export interface BurstRound {
	/** Deliveries (an edit reaching a client other than its writer) per second. */
	throughput: number;
	/** Send → delivery, over every delivery; the client-side view of the server's loop delay. */
	latencyP50: number;
	latencyP99: number;
	lost: number;
	duplicated: number;
	/** Event-loop delay p99 of the benchmark process itself (is the harness keeping up?). */
	harnessDelayP99: number;
}

export interface BurstResult {
	rounds: Partial<Record<ServerKind, BurstRound>>[];
	throughput: RoundValues[];
	latencyP99: RoundValues[];
}

/**
 * Row 2: `clients` clients on one board, `writers` of them each sending `rate` edits per second
 * for `seconds`. Every edit must reach every other client exactly once.
 */
export async function runBurst(
	servers: BenchServer[],
	fixture: CountyFixture,
	options: BurstOptions
): Promise<BurstResult> {
	const result: BurstResult = { rounds: [], throughput: [], latencyP99: [] };
	for (let round = 0; round < options.rounds; round++) {
		const detail: Partial<Record<ServerKind, BurstRound>> = {};
		for (const kind of roundOrder(round)) {
			const server = servers.find((s) => s.kind === kind);
			if (!server) continue;
			const seconds =
				round === 0 ? Math.min(options.seconds, options.warmupSeconds ?? 2) : options.seconds;
			detail[kind] = await burstRound(server, fixture, { ...options, seconds });
		}
		options.log?.(
			`burst round ${round}${round === 0 ? ' (warm-up)' : ''}: ` +
				Object.entries(detail)
					.map(
						([k, r]) =>
							`${k} ${Math.round(r.throughput)}/s p99 ${r.latencyP99.toFixed(1)} ms` +
							` lost ${r.lost} dup ${r.duplicated} harness p99 ${r.harnessDelayP99.toFixed(1)} ms`
					)
					.join(', ')
		);
		if (round === 0) continue;
		result.rounds.push(detail);
		result.throughput.push(
			Object.fromEntries(Object.entries(detail).map(([k, r]) => [k, r.throughput]))
		);
		result.latencyP99.push(
			Object.fromEntries(Object.entries(detail).map(([k, r]) => [k, r.latencyP99]))
		);
	}
	return result;
}

async function burstRound(
	server: BenchServer,
	fixture: CountyFixture,
	options: BurstOptions
): Promise<BurstRound> {
	const target = server.target(options.docName);
	const perWriter = Math.round(options.rate * options.seconds);
	const editors = Array.from({ length: options.writers }, (_, w) => new Editor(fixture, `w${w}`));
	const clients: SyncClient[] = [];
	try {
		for (const editor of editors) {
			const writer = await SyncClient.open(target, editor.doc);
			await syncAndPush(writer);
			clients.push(writer);
		}
		clients.push(...(await openMany(target, options.clients - options.writers)));
		await syncAll(clients.slice(options.writers));

		// Every edit prepared before the clock starts: the timed part only sends and receives.
		const total = perWriter * options.writers;
		const messages: Uint8Array[] = new Array(total);
		const indexOfKey = new Map<number, number>();
		for (let w = 0; w < options.writers; w++) {
			for (let i = 0; i < perWriter; i++) {
				const update = editors[w]!.edit();
				const index = w * perWriter + i;
				messages[index] = clients[w]!.updateMessage(update);
				indexOfKey.set(updateKey(update)!, index);
			}
		}

		const n = clients.length;
		const sentAt = new Float64Array(total);
		const received = new Uint8Array(total * n);
		const latencies = new Float64Array(total * (n - 1));
		let delivered = 0;
		let duplicated = 0;
		let lastAt = 0;
		clients.forEach((client, c) => {
			client.onUpdate = (update, at) => {
				const index = indexOfKey.get(updateKey(update) ?? -1);
				if (index === undefined) return;
				// Writers' own edits echoed back (the peers echo to the sender) are not deliveries.
				if (Math.floor(index / perWriter) === c) return;
				const slot = index * n + c;
				const before = received[slot]!;
				received[slot] = before + 1;
				if (before === 0) {
					latencies[delivered++] = at - sentAt[index]!;
					lastAt = at;
				} else {
					duplicated++;
				}
			};
		});

		const loopDelay = monitorEventLoopDelay({ resolution: 10 });
		loopDelay.enable();
		const start = performance.now();
		const next = new Array<number>(options.writers).fill(0);
		await new Promise<void>((resolve) => {
			const tick = setInterval(() => {
				const elapsed = performance.now() - start;
				let done = true;
				for (let w = 0; w < options.writers; w++) {
					// Writers are staggered across each 1/rate interval.
					const offset = (w / options.writers) * (1000 / options.rate);
					const due = Math.min(
						perWriter,
						Math.floor(((elapsed - offset) * options.rate) / 1000) + 1
					);
					while (next[w]! < due) {
						const index = w * perWriter + next[w]!++;
						sentAt[index] = performance.now();
						clients[w]!.sendRaw(messages[index]!);
					}
					if (next[w]! < perWriter) done = false;
				}
				if (done) {
					clearInterval(tick);
					resolve();
				}
			}, 1);
		});
		const expected = total * (n - 1);
		let seen = delivered;
		let progressAt = performance.now();
		while (delivered < expected) {
			await sleep(10);
			if (delivered !== seen) {
				seen = delivered;
				progressAt = performance.now();
			} else if (performance.now() - progressAt > (options.quietMs ?? 3_000)) {
				break;
			}
		}
		loopDelay.disable();
		const elapsedS = (lastAt - start) / 1000;
		const used = latencies.subarray(0, delivered);
		return {
			throughput: delivered / elapsedS,
			latencyP50: percentile(used, 50),
			latencyP99: percentile(used, 99),
			lost: expected - delivered,
			duplicated,
			harnessDelayP99: loopDelay.percentile(99) / 1e6
		};
	} finally {
		await closeAll(clients);
		for (const editor of editors) editor.destroy();
	}
}
