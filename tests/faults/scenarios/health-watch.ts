import { Worker } from 'node:worker_threads';

/**
 * Asks `/healthz` every few milliseconds from a worker thread (its own event loop, so a busy test
 * does not delay the measurement) and records how long each answer took.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stopped = false;
parentPort.on('message', () => { stopped = true; });
function ask() {
	return new Promise((resolve) => {
		const started = performance.now();
		const req = http.get(workerData.url + '/healthz', { agent, localAddress: workerData.localAddress, timeout: 5000 }, (res) => {
			res.resume();
			res.on('end', () => resolve({ at: Date.now(), ms: performance.now() - started, ok: res.statusCode === 200 }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve({ at: Date.now(), ms: performance.now() - started, ok: false }));
	});
}
(async () => {
	await ask(); // warm-up: the connection, and the first request through the worker's http stack
	parentPort.postMessage('ready');
	const results = [];
	while (!stopped) {
		results.push(await ask());
		await new Promise((r) => setTimeout(r, workerData.intervalMs));
	}
	agent.destroy();
	parentPort.postMessage(results);
})();
`;

export interface HealthReport {
	count: number;
	failures: number;
	maxMs: number;
	p99Ms: number;
	/** When the slowest answer arrived (ISO time), to find it in the server's log. */
	slowestAt: string | null;
}

export class HealthWatch {
	readonly #worker: Worker;

	private constructor(worker: Worker) {
		this.#worker = worker;
	}

	/** Starts watching; resolves once the first answer came back. */
	static async start(
		url: string,
		{ intervalMs = 20, localAddress = '127.0.0.1' } = {}
	): Promise<HealthWatch> {
		const worker = new Worker(WORKER, {
			eval: true,
			workerData: { url, intervalMs, localAddress }
		});
		await new Promise((resolve) => worker.once('message', resolve));
		return new HealthWatch(worker);
	}

	async stop(): Promise<HealthReport> {
		// At least a few answers after whatever was measured.
		await new Promise((resolve) => setTimeout(resolve, 150));
		const results = new Promise<{ at: number; ms: number; ok: boolean }[]>((resolve) =>
			this.#worker.once('message', resolve)
		);
		this.#worker.postMessage('stop');
		const all = await results;
		await this.#worker.terminate();
		const times = all.map((r) => r.ms).sort((a, b) => a - b);
		const slowest = all.reduce<{ at: number; ms: number } | null>(
			(worst, r) => (!worst || r.ms > worst.ms ? r : worst),
			null
		);
		return {
			slowestAt: slowest ? new Date(slowest.at).toISOString() : null,
			count: all.length,
			failures: all.filter((r) => !r.ok).length,
			maxMs: times.at(-1) ?? 0,
			p99Ms: times[Math.floor(times.length * 0.99)] ?? 0
		};
	}
}
