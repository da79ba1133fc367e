import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../bench/report.ts';
import { runBench, SMOKE } from '../../bench/run.ts';

/** A tiny stand-in for `build/`: an entry, a route dictionary, layout and page nodes. */
function fakeBuild(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-bench-build-'));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	};
	write(
		'index.html',
		'<link href="/_app/immutable/entry/start.a.js" rel="modulepreload">\n' +
			'<script>Promise.all([import("/_app/immutable/entry/start.a.js"),' +
			'import("/_app/immutable/entry/app.b.js")])</script>'
	);
	write('_app/immutable/entry/start.a.js', 'import{a as x}from"../chunks/shared.js";x();');
	write(
		'_app/immutable/entry/app.b.js',
		'import"../chunks/shared.js";const n=[()=>import("../nodes/0.c.js")];' +
			'const d={"/":[2],"/c/[campaign]/[county]":[5,[3]]};'
	);
	write('_app/immutable/chunks/shared.js', 'export const a=()=>1;');
	write('_app/immutable/chunks/lazy.js', 'export const b=2;');
	write('_app/immutable/nodes/0.c.js', 'import"../chunks/shared.js";');
	write('_app/immutable/nodes/2.d.js', 'export const page=()=>import("../chunks/lazy.js");');
	write('_app/immutable/nodes/3.e.js', 'export const layout=1;');
	write('_app/immutable/nodes/5.f.js', 'import"../chunks/lazy.js";');
	return dir;
}

describe('the benchmark (npm run bench), scaled down to seconds', () => {
	const buildDir = fakeBuild();
	afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

	it('runs every server-side row against all three servers and produces numbers', async () => {
		const results = await runBench({ ...SMOKE, buildDir });

		for (const fanout of results.fanout) {
			for (const round of fanout.p50) {
				for (const kind of ['ours', 'y-websocket-server', 'hocuspocus'] as const) {
					expect(round[kind]).toBeGreaterThan(0);
				}
			}
		}
		for (const round of results.burst.rounds) {
			for (const kind of ['ours', 'y-websocket-server', 'hocuspocus'] as const) {
				expect(round[kind]!.throughput).toBeGreaterThan(0);
				expect(round[kind]!.lost).toBe(0);
			}
		}
		expect(results.coldLoad.snapshot.ratios.every(Number.isFinite)).toBe(true);
		expect(results.coldLoad.tail.ratios.every(Number.isFinite)).toBe(true);
		expect(results.memory.bareDoc).toBeGreaterThan(0);
		expect(Number.isFinite(results.memory.servers.ours!.idleRoom)).toBe(true);
		expect(results.writeAmp.paced.amplification).toBeGreaterThan(0);
		expect(results.writeAmp.sequential.amplification).toBeGreaterThan(0);
		// Entry, shared chunk, layout and page; the page's dynamic import is not initial.
		expect(results.bundle!.routes.map((r) => [r.route, r.files])).toEqual([
			['/', 5],
			['/c/[campaign]/[county]', 7]
		]);

		const rows = tableRows(results, SMOKE);
		expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
	}, 420_000);
});
