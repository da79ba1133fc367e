import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	readCounties,
	readCampaignMeta,
	SEED_COUNTIES,
	SEED_META,
	seedCampaign
} from '../../src/lib/domain/campaign';
import {
	buildCampaignDoc,
	carryProblems,
	readNewCampaign,
	unclosedProblemIds
} from '../../src/lib/domain/campaign-copy';
import { seedCampaignRecords } from '../../src/lib/domain/campaign-seed';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	deleteProblem
} from '../../src/lib/domain/commands';
import { readIndicators, setCountyActual } from '../../src/lib/domain/indicators';
import { readMembers } from '../../src/lib/domain/members';
import { problemsOf, readProblem, readProblems } from '../../src/lib/domain/problem';

const city = { username: 'wuwei', name: '武威', role: 'city' as const };
const META = {
	name: '县级工会加强年 2023',
	startDate: '2023-10-01',
	endDate: '2024-09-30',
	reportDueDate: ''
};

describe('reading a request for a new campaign', () => {
	const valid = { id: '2023', name: '加强年 2023', startDate: '2023-10-01', endDate: '2024-09-30' };

	it('accepts a campaign with an id fit for doc names and a period that ends after it starts', () => {
		expect(readNewCampaign({ ...valid, copyFrom: '2022', carryOver: true })).toEqual({
			ok: true,
			value: { ...valid, reportDueDate: '', copyFrom: '2022', carryOver: true }
		});
	});

	it.each([
		[{ id: '2023.x' }, 'campaign_id_invalid'],
		[{ id: 'Big' }, 'campaign_id_invalid'],
		[{ id: '' }, 'campaign_id_invalid'],
		[{ name: '  ' }, 'campaign_name_invalid'],
		[{ startDate: '2023-13-01' }, 'campaign_date_invalid'],
		[{ endDate: '30/09/2024' }, 'campaign_date_invalid'],
		[{ endDate: '2023-10-01' }, 'campaign_period_order'],
		[{ reportDueDate: 'soon' }, 'campaign_date_invalid'],
		[{ carryOver: true }, 'campaign_carry_needs_source']
	])('refuses %j with %s', (change, code) => {
		const read = readNewCampaign({ ...valid, ...change });
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.issue.code).toBe(code);
	});
});

describe('a campaign copied from another', () => {
	it('has the source’s counties, pairings, contacts, leadership group and indicator definitions, not their progress', () => {
		const source = new Y.Doc();
		seedCampaign(source, SEED_META, SEED_COUNTIES);
		seedCampaignRecords(source);
		const indicator = readIndicators(source)[0]!;
		setCountyActual(source, indicator.id, 'haigang', { actual: 2, evidence: '两个试点' }, city);

		const target = new Y.Doc();
		const counties = buildCampaignDoc(target, META, source);

		expect(counties.map((c) => c.id)).toEqual(SEED_COUNTIES.map((c) => c.id));
		expect(readCounties(target)).toEqual(readCounties(source));
		expect(readCampaignMeta(target)).toEqual(META);
		expect(readMembers(target)).toEqual(readMembers(source));
		const copied = readIndicators(target);
		expect(copied.map((i) => [i.name, i.target, i.deadline])).toEqual(
			readIndicators(source).map((i) => [i.name, i.target, i.deadline])
		);
		expect(copied.every((i) => Object.keys(i.perCounty).length === 0)).toBe(true);
		// The plan's records are not seeded into the copy on top of what was copied.
		expect(seedCampaignRecords(target)).toBe(false);
	});

	it('starts empty when copied from nothing', () => {
		const target = new Y.Doc();
		expect(buildCampaignDoc(target, META, null)).toEqual([]);
		expect(readCampaignMeta(target)).toEqual(META);
	});
});

describe('carrying problems over', () => {
	function board() {
		const doc = new Y.Doc();
		const open = createProblem(doc, { title: '职工之家建设滞后', tier: 'union-system' }, city);
		addMeasure(doc, open, '年底前建成', new Date(), city);
		addProgressNote(doc, open, '已选址', city);
		const closed = createProblem(doc, { title: '已解决并销号' }, city);
		problemsOf(doc).get(closed)!.set('status', 'closed');
		const gone = createProblem(doc, { title: '删掉的' }, city);
		deleteProblem(doc, gone, city);
		return { doc, open, closed, gone };
	}

	it('copies only unclosed, undeleted problems, as they are, under new ids linked back', () => {
		const { doc, open } = board();
		const before = Y.encodeStateAsUpdate(doc);
		expect(unclosedProblemIds(doc)).toEqual([open]);

		const target = new Y.Doc();
		const carried = carryProblems(doc, target, { campaign: '2022', county: 'haigang' });

		expect([...carried.keys()]).toEqual([open]);
		const newId = carried.get(open)!;
		expect(newId).not.toBe(open);
		const [copy] = readProblems(target);
		const original = readProblem(open, problemsOf(doc).get(open)!);
		expect(copy).toEqual({
			...original,
			id: newId,
			carriedFrom: { campaign: '2022', county: 'haigang', problem: open }
		});
		expect(copy!.measures.map((m) => m.text)).toEqual(['年底前建成']);
		expect(copy!.log.map((l) => l.text)).toContain('已选址');
		// The source board is only read.
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});
});
