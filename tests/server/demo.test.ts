import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/db.ts';
import { SqliteDocStore } from '../../server/persistence/sqlite-doc-store.ts';
import { SEED_COUNTIES } from '../../src/lib/domain/campaign.ts';
import { campaignDocName, countyDocName } from '../../src/lib/domain/docs.ts';
import { readProblems } from '../../src/lib/domain/problem.ts';
import { readIndicators } from '../../src/lib/domain/indicators.ts';
import { readPractices } from '../../src/lib/domain/practices.ts';
import { readRecommendations } from '../../src/lib/domain/recommendations.ts';
import { readVisits } from '../../src/lib/domain/visits.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function demo() {
	return run(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts'], {
		env: { ...process.env, DATA_DIR: dataDir }
	});
}

describe('npm run demo', () => {
	test('fills a fresh data directory with a realistic campaign, and refuses to run twice', async () => {
		const { stdout } = await demo();
		expect(stdout).toContain('7 county boards');
		expect(stdout).toContain('chenjing');

		const db = openDatabase(dataDir);
		try {
			const store = new SqliteDocStore(db);
			const load = async (name: string) => {
				const doc = new Y.Doc();
				const stored = await store.load(name);
				if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
				for (const update of stored.updates) Y.applyUpdate(doc, update);
				return doc;
			};
			const campaign = await load(campaignDocName('2022'));
			const visits = readVisits(campaign);
			expect(readPractices(campaign).some((p) => p.replicable)).toBe(true);
			expect(readRecommendations(campaign).map((r) => r.status)).toContain('submitted');
			expect(readIndicators(campaign).some((i) => Object.keys(i.perCounty).length >= 5)).toBe(true);
			expect(visits.length).toBeGreaterThanOrEqual(6);
			const problems = [];
			for (const county of SEED_COUNTIES) {
				problems.push(...readProblems(await load(countyDocName('2022', county.id))));
			}
			expect(problems.length).toBeGreaterThanOrEqual(40);
			expect(new Set(problems.map((p) => p.tier)).size).toBe(4);
			expect(new Set(problems.map((p) => p.status)).size).toBe(4);
			expect(new Set(problems.map((p) => p.goal).filter(Boolean)).size).toBe(5);
			expect(problems.some((p) => p.visit && visits.some((v) => v.id === p.visit))).toBe(true);
		} finally {
			db.close();
		}

		await expect(demo()).rejects.toThrow(/fresh DATA_DIR/);
	});
});
