import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';
import { BUG_EXIT_CODE } from '../../server/crash.ts';
import { TestServer } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('every setting is checked at start', () => {
	it('takes the defaults when nothing is set', () => {
		const config = readConfig({});
		expect(config.host).toBe('127.0.0.1');
		expect(config.port).toBe(3000);
		expect(config.trustProxy).toBe(false);
		expect(config.adminPassword).toBeNull();
		expect(config.dataDir).toBe(path.resolve('./data'));
	});

	it('reads yes/no settings in the usual spellings, and refuses anything else by name', () => {
		for (const yes of ['1', 'true', 'YES', 'on', ' yes ']) {
			expect(readConfig({ TRUST_PROXY: yes }).trustProxy).toBe(true);
		}
		for (const no of ['0', 'false', 'No', 'off', '']) {
			expect(readConfig({ TRUST_PROXY: no }).trustProxy).toBe(false);
		}
		// `yes please` used to mean "no" without a word.
		expect(() => readConfig({ TRUST_PROXY: 'yes please' })).toThrow(
			/TRUST_PROXY must be one of 1, true, yes, on, 0, false, no, off; got "yes please"/
		);
	});

	it('accepts addresses and host names to listen on, and refuses the rest', () => {
		for (const host of ['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'qingdan-01.lan']) {
			expect(readConfig({ HOST: host }).host).toBe(host);
		}
		for (const host of ['http://0.0.0.0', '0.0.0.0:3000', 'bad host', '-x.lan', 'a..b']) {
			expect(() => readConfig({ HOST: host })).toThrow(/^HOST must be an IP address/);
		}
	});

	it('names the variable and what it accepts for numbers, addresses, paths and passwords', () => {
		expect(() => readConfig({ PORT: '80a' })).toThrow(/^PORT must be an integer ≥ 0, got "80a"/);
		expect(() => readConfig({ PORT: '70000' })).toThrow(/^PORT must be at most 65535/);
		expect(() => readConfig({ MAX_FILE_BYTES: '0' })).toThrow(/^MAX_FILE_BYTES must be/);
		expect(() => readConfig({ PUBLIC_URL: 'qingdan.example.gov.cn' })).toThrow(/^PUBLIC_URL/);
		expect(() => readConfig({ DATA_DIR: '   ' })).toThrow(/^DATA_DIR must be a directory path/);
		expect(() => readConfig({ QINGDAN_ADMIN_PASSWORD: 'short' })).toThrow(
			/^QINGDAN_ADMIN_PASSWORD must have 10 to 256 characters/
		);
	});

	it('a bad setting stops the real server with exit 1 and a line naming it', async () => {
		const started = TestServer.start({ env: { TRUST_PROXY: 'maybe' } });
		await expect(started).rejects.toThrow(/exited with 1 before listening/);
		await expect(started).rejects.toThrow(/startup\.failed.*TRUST_PROXY must be one of/);
	});

	it('an administrator password the rule refuses stops the first start, naming the variable', async () => {
		const started = TestServer.start({ adminPassword: 'password123' });
		await expect(started).rejects.toThrow(/startup\.failed.*QINGDAN_ADMIN_PASSWORD cannot be used/);
	});
});

describe('a bug that escapes every handler ends the process', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-crash-'));
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
	const run = (body: string) => {
		const file = path.join(dir, `crash-${Math.random().toString(36).slice(2)}.ts`);
		fs.writeFileSync(
			file,
			`import { exitOnBug } from ${JSON.stringify(path.join(ROOT, 'server/crash.ts'))};\n` +
				`exitOnBug(() => console.log('closed the database'));\n${body}\n` +
				`setTimeout(() => console.log('still running'), 2000);\n`
		);
		return spawnSync(process.execPath, ['--import', 'tsx', file], {
			cwd: ROOT,
			encoding: 'utf8',
			timeout: 30_000
		});
	};

	it('an uncaught exception is logged, the storage closed, and the exit code is 70', () => {
		const result = run(`setTimeout(() => { throw new Error('boom in a handler'); }, 10);`);
		expect(result.status).toBe(BUG_EXIT_CODE);
		expect(result.stdout).toMatch(/bug\.uncaught error="boom in a handler"/);
		expect(result.stdout).toContain('closed the database');
		expect(result.stdout).not.toContain('still running');
	});

	it('so is a rejection nobody handled', () => {
		const result = run(`void Promise.reject(new Error('nobody awaited me'));`);
		expect(result.status).toBe(BUG_EXIT_CODE);
		expect(result.stdout).toMatch(/bug\.unhandled error="nobody awaited me"/);
		expect(result.stdout).not.toContain('still running');
	});
});
