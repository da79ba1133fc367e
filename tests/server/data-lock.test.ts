import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
let servers: TestServer[] = [];

afterEach(async () => {
	for (const server of servers) await server.dispose();
	servers = [];
});

/** Starts a server process on `dataDir`; resolves with why it exited, or "listening". */
async function secondStart(dataDir: string): Promise<string> {
	try {
		const second = await TestServer.start({ dataDir });
		// It must never get here; stop it without removing the shared directory.
		await second.kill9();
		return 'listening';
	} catch (error) {
		return (error as Error).message;
	}
}

describe('the data directory lock (issue 14)', () => {
	it('a second server on the same DATA_DIR exits at once naming the directory and the holder', async () => {
		const first = await TestServer.start();
		servers.push(first);
		const lock = path.join(first.dataDir, 'qingdan.lock');
		expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(first.pid));

		const started = Date.now();
		const outcome = await secondStart(first.dataDir);
		expect(outcome).toMatch(/exited with 1 before listening/);
		expect(outcome).toContain(first.dataDir);
		expect(outcome).toContain(`pid ${first.pid}`);
		// "At once": no wait for a busy database or a port.
		expect(Date.now() - started).toBeLessThan(10_000);
		// The first server is untouched and still holds the lock.
		expect((await first.api('GET', '/healthz')).status).toBe(200);
		expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(first.pid));
	});

	it('a lock left by a killed server does not block a restart, and a clean stop removes it', async () => {
		const server = await TestServer.start();
		servers.push(server);
		const lock = path.join(server.dataDir, 'qingdan.lock');
		const killedPid = server.pid;
		await server.kill9();
		expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(killedPid));
		await server.restart();
		expect((await server.api('GET', '/healthz')).status).toBe(200);
		expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(server.pid));
		expect(await server.stop()).toBe(0);
		expect(fs.existsSync(lock)).toBe(false);
	});

	it('the restore CLI refuses a data directory a server holds', async () => {
		const server = await TestServer.start();
		servers.push(server);
		const backupFile = path.join(path.dirname(server.dataDir), 'any.qdbackup');
		fs.writeFileSync(backupFile, 'not read: the lock is checked first');
		const before = fs.readdirSync(server.dataDir).sort();
		const result = await run(
			process.execPath,
			['--import', 'tsx', 'server/cli/restore.ts', backupFile, '--data-dir', server.dataDir],
			{ cwd: ROOT }
		).then(
			(done) => ({ code: 0, output: done.stdout + done.stderr }),
			(error: { code: number; stdout: string; stderr: string }) => ({
				code: error.code,
				output: error.stdout + error.stderr
			})
		);
		expect(result.code).toBe(1);
		expect(result.output).toContain(`Not restored: The data directory ${server.dataDir}`);
		expect(result.output).toContain(`pid ${server.pid}`);
		expect(fs.readdirSync(server.dataDir).sort()).toEqual(before);
		expect((await server.api('GET', '/healthz')).status).toBe(200);
	});
});
