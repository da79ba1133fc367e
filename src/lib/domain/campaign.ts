import * as Y from 'yjs';
import type { User } from './model';

/** One county-level union of a campaign and who is paired with it (对口联系). */
export interface County {
	id: string;
	name: string;
	order: number;
	pairedBy: 'city' | 'province';
	leader: string;
	cityContact: string;
	cityPhone: string;
	countyContact: string;
	countyPhone: string;
	/** 一县一品: the county union's signature brand. */
	brand: string;
}

export interface CampaignMeta {
	name: string;
	startDate: string;
	endDate: string;
	reportDueDate: string;
}

export const DEFAULT_CAMPAIGN_ID = '2022';

/** 秦工办字〔2022〕38号, attachment 2: the five counties paired with city leaders; 北戴河 and 昌黎 are paired by the province union. */
export const SEED_COUNTIES: County[] = [
	county('haigang', '海港区', 1, 'city', '孙宝旗', '武威', '3030385', '张鑫', '3550577'),
	county('shanhaiguan', '山海关区', 2, 'city', '张安华', '赵勇', '3048215', '刘越', '5136220'),
	county('beidaihe', '北戴河区', 3, 'province', '', '', '', '', ''),
	county('funing', '抚宁区', 4, 'city', '李光', '孔铁军', '3042712', '陈会莹', '6011351'),
	county('qinglong', '青龙县', 5, 'city', '陈勇琿', '陈静', '3050334', '金龙飞', '7862892'),
	county('changli', '昌黎县', 6, 'province', '', '', '', '', ''),
	county('lulong', '卢龙县', 7, 'city', '曹文荣', '刘力恺', '3050294', '王宏亮', '7206768')
];

export const SEED_META: CampaignMeta = {
	name: '县级工会加强年',
	startDate: '2022-09-30',
	endDate: '2023-09-30',
	reportDueDate: '2022-10-14'
};

function county(
	id: string,
	name: string,
	order: number,
	pairedBy: County['pairedBy'],
	leader: string,
	cityContact: string,
	cityPhone: string,
	countyContact: string,
	countyPhone: string
): County {
	return {
		id,
		name,
		order,
		pairedBy,
		leader,
		cityContact,
		cityPhone,
		countyContact,
		countyPhone,
		brand: ''
	};
}

/** Writes the campaign's structure into an empty campaign doc. Only the server calls this, once. */
export function seedCampaign(doc: Y.Doc, meta: CampaignMeta, counties: County[]): void {
	doc.transact(() => {
		const metaMap = doc.getMap('meta');
		for (const [key, value] of Object.entries(meta)) metaMap.set(key, value);
		const countiesMap = doc.getMap<Y.Map<unknown>>('counties');
		for (const c of counties) {
			const entry = new Y.Map<unknown>();
			for (const [key, value] of Object.entries(c)) if (key !== 'id') entry.set(key, value);
			countiesMap.set(c.id, entry);
		}
		doc.getMap('visits');
		doc.getMap('practices');
		doc.getMap('recommendations');
		doc.getMap('reviews');
		doc.getMap('indicators');
		doc.getMap('milestones');
	}, 'seed');
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Reads the counties of a campaign doc, in their display order, tolerating missing fields. */
export function readCounties(doc: Y.Doc): County[] {
	const result: County[] = [];
	doc.getMap<Y.Map<unknown>>('counties').forEach((entry, id) => {
		if (!(entry instanceof Y.Map)) return;
		const order = entry.get('order');
		result.push({
			id,
			name: str(entry.get('name')) || id,
			order: typeof order === 'number' ? order : 999,
			pairedBy: entry.get('pairedBy') === 'province' ? 'province' : 'city',
			leader: str(entry.get('leader')),
			cityContact: str(entry.get('cityContact')),
			cityPhone: str(entry.get('cityPhone')),
			countyContact: str(entry.get('countyContact')),
			countyPhone: str(entry.get('countyPhone')),
			brand: str(entry.get('brand'))
		});
	});
	return result.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

export function readCampaignMeta(doc: Y.Doc): CampaignMeta {
	const m = doc.getMap('meta');
	return {
		name: str(m.get('name')),
		startDate: str(m.get('startDate')),
		endDate: str(m.get('endDate')),
		reportDueDate: str(m.get('reportDueDate'))
	};
}

/**
 * Where a person lands when they open the app: a county officer on their own county's board
 * (the only board they can edit), everyone else on the campaign's overview.
 */
export function landingPath(campaign: string, user: Pick<User, 'role' | 'county'> | null): string {
	if (user?.role === 'county' && user.county) return `/c/${campaign}/${user.county}`;
	return `/c/${campaign}`;
}
