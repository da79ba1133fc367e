import * as Y from 'yjs';
import type { Comparison } from './indicators';
import type { MemberRole } from './members';
import type { MilestoneKind } from './milestones';

/**
 * The campaign records of 秦工办字〔2022〕38号 that the server writes once into campaign `2022`:
 * the leadership group (attachment 1), the plan's own indicators and its calendar.
 */

interface SeedMember {
	id: string;
	name: string;
	post: string;
	role: MemberRole;
}

const member = (n: number, name: string, post: string, role: MemberRole): SeedMember => ({
	id: `member-${String(n).padStart(2, '0')}`,
	name,
	post,
	role
});

/** 领导小组名单 (attachment 1); the office (领导小组办公室) is headed by 陈勇琿. */
export const SEED_MEMBERS: SeedMember[] = [
	member(1, '孙宝旗', '党组书记、常务副主席', 'leader'),
	member(2, '李习', '市总工会二级调研员', 'deputy'),
	member(3, '张安华', '党组成员、副主席', 'deputy'),
	member(4, '吴军成', '党组成员、副主席', 'deputy'),
	member(5, '陈勇琿', '党组成员、副主席（兼领导小组办公室主任）', 'deputy'),
	member(6, '曹文荣', '党组成员、外企工会主席', 'deputy'),
	member(7, '李光', '党组成员、经费审查委员会主任', 'deputy'),
	member(8, '武威', '办公室主任', 'member'),
	member(9, '陈静', '组织部部长', 'member'),
	member(10, '罗生晖', '宣教部部长', 'member'),
	member(11, '刘宇红', '经济部部长', 'member'),
	member(12, '赵勇', '法工部部长', 'member'),
	member(13, '孔铁军', '财务部部长', 'member'),
	member(14, '周树杰', '民管部部长', 'member'),
	member(15, '刘越欣', '保障部部长', 'member'),
	member(16, '王德全', '集体合同部部长', 'member'),
	member(17, '杨金荣', '女工部部长', 'member'),
	member(18, '吴美森', '研究室主任', 'member'),
	member(19, '赵文静', '经审办主任', 'member'),
	member(20, '赵晓杰', '机关党委副书记', 'member'),
	member(21, '赵广良', '教育工会副主席', 'member'),
	member(22, '刘力恺', '财贸工会主任', 'member'),
	member(23, '闫秀英', '市职工服务中心主任', 'member'),
	member(24, '艾剑波', '市职工交流中心（市总工会网络中心）主任', 'member')
];

interface SeedIndicator {
	id: string;
	name: string;
	unit: string;
	comparison: Comparison;
	target: number;
	deadline: string;
}

/** The plan's own numbers (二、工作目标). The campaign year ends 2023-09-30. */
export const SEED_INDICATORS: SeedIndicator[] = [
	{
		id: 'pilot-typicals',
		name: '产业工人队伍建设改革试点典型（每县 2–3 家）',
		unit: '家',
		comparison: 'at-least',
		target: 2,
		deadline: '2023-09-30'
	},
	{
		id: 'contest-participation',
		name: '县级及以下劳动和技能竞赛职工参与率',
		unit: '%',
		comparison: 'at-least',
		target: 90,
		deadline: '2023-09-30'
	},
	{
		id: 'labour-park',
		name: '劳动公园（广场）全覆盖',
		unit: '处',
		comparison: 'all',
		target: 1,
		deadline: '2023-09-30'
	}
];

interface SeedMilestone {
	id: string;
	title: string;
	date: string;
	kind: MilestoneKind;
}

const BIMONTHLY_REVIEWS = [
	'2022-11-30',
	'2023-01-31',
	'2023-03-31',
	'2023-05-31',
	'2023-07-31',
	'2023-09-30'
];
const QUARTERLY_SUMMARIES = ['2022-12-31', '2023-06-30', '2023-09-30'];

/** 四、工作要求: the county reports due 10月14日, 双月调度, 季度小结 and 半年总结. */
export const SEED_MILESTONES: SeedMilestone[] = [
	{
		id: 'county-report-2022-10-14',
		title: '各县区工会专项工作落实情况报市总工会组织部',
		date: '2022-10-14',
		kind: 'report'
	},
	...BIMONTHLY_REVIEWS.map((date) => ({
		id: `bimonthly-review-${date}`,
		title: '双月调度',
		date,
		kind: 'review' as const
	})),
	...QUARTERLY_SUMMARIES.map((date) => ({
		id: `quarterly-summary-${date}`,
		title: '季度小结',
		date,
		kind: 'review' as const
	})),
	{ id: 'half-year-summary-2023-03-31', title: '半年总结', date: '2023-03-31', kind: 'review' },
	{
		id: 'pilot-typicals-2023-09-30',
		title: '每县至少培育 2–3 家产业工人队伍建设改革试点典型',
		date: '2023-09-30',
		kind: 'other'
	}
];

/** Root map recording which collections the server has seeded, and when. */
export const SEEDED = 'seeded';

function seedCollection<T extends { id: string }>(
	doc: Y.Doc,
	name: string,
	items: T[],
	write: (map: Y.Map<unknown>, item: T, index: number) => void
): boolean {
	const seeded = doc.getMap<string>(SEEDED);
	if (seeded.has(name)) return false;
	const collection = doc.getMap<Y.Map<unknown>>(name);
	items.forEach((item, index) => {
		if (collection.has(item.id)) return;
		const map = new Y.Map<unknown>();
		collection.set(item.id, map);
		write(map, item, index);
	});
	seeded.set(name, new Date().toISOString());
	return true;
}

/**
 * Adds the leadership group, indicators and milestones to a campaign doc that lacks them. Each
 * collection is seeded once (a marker in the `seeded` map), so what people later delete or edit
 * stays deleted or edited, and running it again changes nothing. True when it wrote anything.
 */
export function seedCampaignRecords(doc: Y.Doc): boolean {
	let changed = false;
	doc.transact(() => {
		const members = seedCollection(doc, 'members', SEED_MEMBERS, (map, m, index) => {
			map.set('name', m.name);
			map.set('post', m.post);
			map.set('role', m.role);
			map.set('order', index + 1);
		});
		const indicators = seedCollection(doc, 'indicators', SEED_INDICATORS, (map, i, index) => {
			map.set('name', i.name);
			map.set('unit', i.unit);
			map.set('comparison', i.comparison);
			map.set('target', i.target);
			map.set('deadline', i.deadline);
			map.set('order', index + 1);
			map.set('perCounty', new Y.Map());
		});
		const milestones = seedCollection(doc, 'milestones', SEED_MILESTONES, (map, m) => {
			map.set('title', m.title);
			map.set('date', m.date);
			map.set('kind', m.kind);
		});
		changed = members || indicators || milestones;
	}, 'seed');
	return changed;
}
