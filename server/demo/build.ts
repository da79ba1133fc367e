import * as Y from 'yjs';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	editDescription,
	setCoOwners,
	setMeasureDone,
	updateProblem,
	type Actor
} from '../../src/lib/domain/commands.ts';
import { countyDocName } from '../../src/lib/domain/docs.ts';
import { addDays } from '../../src/lib/domain/stats.ts';
import { seedCampaignRecords } from '../../src/lib/domain/campaign-seed.ts';
import { readIndicators, setCountyActual } from '../../src/lib/domain/indicators.ts';
import { createPractice, updatePractice } from '../../src/lib/domain/practices.ts';
import {
	createRecommendation,
	updateRecommendation
} from '../../src/lib/domain/recommendations.ts';
import { recordVisit, type VisitInput } from '../../src/lib/domain/visits.ts';
import { SAMPLE_PROBLEMS, SAMPLE_VISITS } from './sample.ts';

const OFFICE: Actor = { username: 'chenjing', name: '陈静', role: 'city' };

/**
 * Records the sample visits in the (already seeded) campaign doc; returns the visit id of each
 * county's first visit, which the county's sample problems were found on.
 */
export function addDemoVisits(campaignDoc: Y.Doc, campaignStart: string): Map<string, string> {
	const firstVisit = new Map<string, string>();
	for (const sample of SAMPLE_VISITS) {
		const input: VisitInput = { ...sample, date: addDays(campaignStart, sample.daysAfterStart) };
		const id = recordVisit(campaignDoc, input, OFFICE.name);
		if (!firstVisit.has(sample.county)) firstVisit.set(sample.county, id);
	}
	return firstVisit;
}

/**
 * The demo campaign's county docs, built with the same domain operations people use, so the
 * sample has real histories. Returns one update per doc name.
 */
export function buildDemoDocs(
	campaign: string,
	today: string,
	visits: ReadonlyMap<string, string> = new Map()
): Map<string, Uint8Array> {
	const docs = new Map<string, Y.Doc>();
	const now = Date.now();
	// Each problem was listed on a day of the last twelve weeks and worked on after it, so the
	// dashboard's opened/closed chart and the reviews have a history to show.
	const day = (offset: number) => new Date(Math.min(now, now - offset * 86_400_000));
	for (const [index, sample] of SAMPLE_PROBLEMS.entries()) {
		const listedAgo = 7 + ((index * 13) % 77);
		const at = (daysLater: number) => day(listedAgo - daysLater);
		const name = countyDocName(campaign, sample.county);
		let doc = docs.get(name);
		if (!doc) {
			doc = new Y.Doc();
			docs.set(name, doc);
		}
		const actor = sample.assignee ? { username: sample.assignee, name: sample.assignee } : OFFICE;
		const id = createProblem(
			doc,
			{
				title: sample.title,
				tier: sample.tier,
				focus: sample.focus,
				visit: sample.tier === 'unsorted' ? undefined : visits.get(sample.county)
			},
			OFFICE,
			at(0)
		);
		if (sample.description) editDescription(doc, id, sample.description, at(0));
		updateProblem(
			doc,
			id,
			{
				owner: sample.owner,
				assignee: sample.assignee,
				leader: sample.leader,
				goal: sample.goal ?? null,
				due: sample.dueInDays === null ? '' : addDays(today, sample.dueInDays)
			},
			OFFICE,
			at(1)
		);
		if (sample.coOwners.length) setCoOwners(doc, id, sample.coOwners, at(1));
		for (const [text, done] of sample.measures) {
			const measure = addMeasure(doc, id, text, at(1));
			if (done) setMeasureDone(doc, id, measure, true, at(5));
		}
		if (sample.status !== 'open') {
			updateProblem(doc, id, { status: 'in-progress' }, actor, at(2));
			if (sample.status !== 'in-progress') {
				updateProblem(doc, id, { status: 'resolved' }, actor, at(6));
			}
		}
		for (const note of sample.notes) addProgressNote(doc, id, note, actor, at(4));
		// Last: a closed problem takes no more notes from the county.
		if (sample.status === 'closed') updateProblem(doc, id, { status: 'closed' }, OFFICE, at(7));
	}
	const updates = new Map<string, Uint8Array>();
	for (const [name, doc] of docs) {
		updates.set(name, Y.encodeStateAsUpdate(doc));
		doc.destroy();
	}
	return updates;
}

/**
 * Indicator values, good practices and policy recommendations for the demo campaign, so the goals
 * and 巩固深化 pages have something to show.
 */
export function addDemoRecords(campaignDoc: Y.Doc): void {
	seedCampaignRecords(campaignDoc);
	const [pilots, participation, parks] = readIndicators(campaignDoc);
	const actuals: [string, number, number, number][] = [
		['haigang', 2, 93, 1],
		['shanhaiguan', 1, 88, 1],
		['funing', 3, 91, 0],
		['qinglong', 1, 76, 0],
		['lulong', 2, 92, 1]
	];
	for (const [county, pilotCount, percent, park] of actuals) {
		const values: [typeof pilots, number][] = [
			[pilots, pilotCount],
			[participation, percent],
			[parks, park]
		];
		for (const [indicator, actual] of values) {
			if (indicator) {
				setCountyActual(
					campaignDoc,
					indicator.id,
					county,
					{ actual, evidence: '县区工会报送' },
					OFFICE
				);
			}
		}
	}
	const replicable = createPractice(
		campaignDoc,
		{
			title: '“骑手驿站+流动工会”建会模式',
			county: 'haigang',
			description: '依托外卖站点设立骑手驿站，流动工会上门办理入会，三个月新增会员 800 余人。',
			goal: 'organizational',
			tags: ['新就业形态', '建会入会']
		},
		OFFICE
	);
	updatePractice(campaignDoc, replicable, { replicable: true });
	createPractice(
		campaignDoc,
		{
			title: '山区乡镇区域性工会联合会',
			county: 'qinglong',
			description: '以乡镇为单元组建工会联合会，覆盖规模以下企业。',
			goal: 'organizational',
			tags: ['组织体系']
		},
		OFFICE
	);
	createPractice(
		campaignDoc,
		{
			title: '职工书屋“流动借阅车”',
			county: 'shanhaiguan',
			description: '每月到企业和工地巡回借阅，图书利用率明显提高。',
			goal: 'service',
			tags: ['职工书屋']
		},
		OFFICE
	);
	const submitted = createRecommendation(
		campaignDoc,
		{
			title: '关于明确乡镇（街道）工会专职工作者配备的建议',
			summary: '多个县区反映乡镇工会主席兼职多、专职人员缺乏，建议由组织部门统一明确配备标准。',
			counties: ['funing', 'qinglong', 'shanhaiguan']
		},
		OFFICE
	);
	updateRecommendation(campaignDoc, submitted, { status: 'submitted', submittedTo: '市委组织部' });
	createRecommendation(
		campaignDoc,
		{
			title: '关于新就业形态劳动者集体协商的建议',
			summary: '快递、外卖行业集体协商覆盖面窄，建议推动行业性集体协商。',
			counties: ['haigang', 'beidaihe']
		},
		OFFICE
	);
}
