// `npm run bench`: rows 1–5 and 8 of issue 9 against the peers and the Yjs floors, on loopback.
// Prints the table and writes docs/benchmarks.md. Never part of `npm test` (see
// tests/server/bench-smoke.test.ts for the scaled-down version that is).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './process.ts';
import { markdownReport, machineFacts, tableRows, textTable } from './report.ts';
import { FULL, runBench } from './run.ts';

const log = (line: string) => console.log(`· ${line}`);
console.log(machineFacts().join('\n'));
const results = await runBench(FULL, log);
const rows = tableRows(results, FULL);
console.log(`\n${textTable(rows)}\n`);
const file = path.join(ROOT, 'docs', 'benchmarks.md');
fs.writeFileSync(file, markdownReport(results, FULL, rows));
console.log(`wrote ${path.relative(ROOT, file)} (${results.seconds.toFixed(0)} s)`);
