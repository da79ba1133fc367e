import WebSocket from 'ws';
import type { ChildServer } from './process.ts';

/**
 * A minimal Chrome DevTools Protocol client for a child started with `--inspect=127.0.0.1:0`:
 * forces a full GC and reads `process.memoryUsage()` inside the server, without any code in
 * the server for it.
 */
export class Inspector {
	readonly #ws: WebSocket;
	#nextId = 1;
	readonly #pending = new Map<number, (result: unknown) => void>();

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		ws.on('message', (data: Buffer) => {
			const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
			if (message.id !== undefined) {
				this.#pending.get(message.id)?.(message.result);
				this.#pending.delete(message.id);
			}
		});
	}

	static async attach(child: ChildServer): Promise<Inspector> {
		const [, url] = await child.waitForOutput(/Debugger listening on (ws:\/\/\S+)/);
		const ws = new WebSocket(url!);
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		return new Inspector(ws);
	}

	call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
		const id = this.#nextId++;
		return new Promise((resolve) => {
			this.#pending.set(id, resolve);
			this.#ws.send(JSON.stringify({ id, method, params }));
		});
	}

	/** JS heap plus array buffers (Yjs updates, socket buffers) after full garbage collections. */
	async heapAfterGc(): Promise<number> {
		for (let i = 0; i < 3; i++) await this.call('HeapProfiler.collectGarbage');
		const result = (await this.call('Runtime.evaluate', {
			expression: 'JSON.stringify(process.memoryUsage())',
			returnByValue: true
		})) as { result: { value: string } };
		const usage = JSON.parse(result.result.value) as NodeJS.MemoryUsage;
		return usage.heapUsed + usage.arrayBuffers;
	}

	close(): void {
		this.#ws.close();
	}
}
