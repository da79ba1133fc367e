// `npm test`: every suite — unit and server (Vitest), then the browser suite (Playwright) against
// a fresh build — and one closing line that sums them all: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = join(root, '.tmp', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, env = {}) =>
	spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status;

const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function readJson(path) {
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return null;
	}
}

/** One vitest run of these projects, its counts added to the totals. */
function vitestRun(name, projects) {
	const report = join(reports, `${name}.json`);
	const status = run(bin('vitest'), [
		'run',
		...projects.map((project) => `--project=${project}`),
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${report}`
	]);
	const vitest = readJson(report);
	if (vitest) {
		totals.passed += vitest.numPassedTests;
		totals.failed += vitest.numFailedTests;
		totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
	}
	if (!vitest || (status !== 0 && vitest.numFailedTests === 0)) broken = true;
}

// 1. Unit and server tests. The long fault runs (project `faults`) have their own script,
// `npm run test:faults`.
vitestRun('vitest', ['unit', 'server']);
// The event-loop measurements, with the machine to themselves (project `server-alone`).
vitestRun('vitest-alone', ['server-alone']);

// 2. Browser tests against a fresh production build.
const buildStatus = run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build']);
if (buildStatus !== 0) {
	broken = true;
} else {
	const e2eReport = join(reports, 'playwright.json');
	const e2eStatus = run(bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport });
	const e2e = existsSync(e2eReport) ? readJson(e2eReport) : null;
	if (e2e?.stats) {
		totals.passed += e2e.stats.expected + e2e.stats.flaky;
		totals.failed += e2e.stats.unexpected;
		totals.skipped += e2e.stats.skipped;
	}
	if (!e2e?.stats || (e2eStatus !== 0 && e2e.stats.unexpected === 0)) broken = true;
}

if (broken)
	console.error('a test runner or the build failed before reporting its tests (see above)');
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
