// `npm run bench`: rows 1–8 of issue 9 against the peers and the Yjs floors, on loopback.
// Prints the table and writes docs/benchmarks.md. Never part of `npm test` (see
// tests/server/bench-smoke.test.ts for the scaled-down version that is).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './process.ts';
import { markdownReport, machineFacts, tableRows, textTable } from './report.ts';
import { FULL, QUICK, runBench } from './run.ts';

// BENCH_QUICK=1: every row with cut sizes, to try the whole run in minutes; its report goes to
// the temp dir, not docs/benchmarks.md. QD_BUILD_DIR: the app build (default build/).
const quick = Boolean(process.env.BENCH_QUICK);
const config = { ...(quick ? QUICK : FULL), buildDir: process.env.QD_BUILD_DIR || 'build' };
const log = (line: string) => console.log(`· ${line}`);
console.log(machineFacts().join('\n'));
const results = await runBench(config, log);
const rows = tableRows(results, config);
console.log(`\n${textTable(rows)}\n`);
const file = quick
	? path.join(os.tmpdir(), 'qingdan-benchmarks-quick.md')
	: path.join(ROOT, 'docs', 'benchmarks.md');
fs.writeFileSync(file, markdownReport(results, config, rows));
console.log(`wrote ${quick ? file : path.relative(ROOT, file)} (${results.seconds.toFixed(0)} s)`);
