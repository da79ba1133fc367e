import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TestServer } from './harness.ts';

/** CPU time (user + system) a process has used, in clock ticks (1/100 s on Linux). */
function cpuTicks(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

describe('the log', () => {
	let server: TestServer;
	afterAll(async () => server?.dispose());

	it('keeps the server serving, and idle, after whoever read its output went away', async () => {
		server = await TestServer.start();
		server.closeOutput();
		// Each request logs a line, now into a pipe nobody reads (EPIPE).
		for (let i = 0; i < 5; i++) {
			expect((await fetch(`${server.url}/api/session`)).status).toBeLessThan(500);
		}
		const before = cpuTicks(server.pid!);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		// Idle: a write error that re-logged itself spun at half a core (75 ticks here).
		expect(cpuTicks(server.pid!) - before).toBeLessThan(20);
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});
});
