import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	readCampaignMeta,
	readCounties,
	SEED_COUNTIES,
	SEED_META,
	seedCampaign
} from '../../src/lib/domain/campaign';
import { isId } from '../../src/lib/domain/docs';

function seeded(): Y.Doc {
	const doc = new Y.Doc();
	seedCampaign(doc, SEED_META, SEED_COUNTIES);
	return doc;
}

describe('seedCampaign + readCounties', () => {
	test('the seven county-level unions, in the order of the seed', () => {
		const counties = readCounties(seeded());
		expect(counties.map((c) => c.name)).toEqual([
			'海港区',
			'山海关区',
			'北戴河区',
			'抚宁区',
			'青龙县',
			'昌黎县',
			'卢龙县'
		]);
		expect(counties.map((c) => c.id)).toEqual([
			'haigang',
			'shanhaiguan',
			'beidaihe',
			'funing',
			'qinglong',
			'changli',
			'lulong'
		]);
		for (const c of counties) expect(isId(c.id)).toBe(true);
	});

	test('leaders, contacts and phones from attachment 2', () => {
		const byId = new Map(readCounties(seeded()).map((c) => [c.id, c]));
		const expected = {
			haigang: ['孙宝旗', '武威', '3030385', '张鑫', '3550577'],
			shanhaiguan: ['张安华', '赵勇', '3048215', '刘越', '5136220'],
			funing: ['李光', '孔铁军', '3042712', '陈会莹', '6011351'],
			qinglong: ['陈勇琿', '陈静', '3050334', '金龙飞', '7862892'],
			lulong: ['曹文荣', '刘力恺', '3050294', '王宏亮', '7206768']
		};
		for (const [id, [leader, cityContact, cityPhone, countyContact, countyPhone]] of Object.entries(
			expected
		)) {
			expect(byId.get(id), id).toMatchObject({
				pairedBy: 'city',
				leader,
				cityContact,
				cityPhone,
				countyContact,
				countyPhone
			});
		}
	});

	test('北戴河区 and 昌黎县 are paired by the province union, without city contacts', () => {
		const counties = readCounties(seeded());
		expect(counties.filter((c) => c.pairedBy === 'province').map((c) => c.name)).toEqual([
			'北戴河区',
			'昌黎县'
		]);
		for (const c of counties.filter((c) => c.pairedBy === 'province')) {
			expect(c).toMatchObject({ leader: '', cityContact: '', cityPhone: '' });
		}
	});

	test('the structure reaches another client unchanged', () => {
		const doc = seeded();
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
		expect(readCounties(client)).toEqual(readCounties(doc));
		expect(readCounties(client)).toEqual(SEED_COUNTIES);
	});

	test('creates the campaign-level maps', () => {
		const doc = seeded();
		for (const name of [
			'meta',
			'counties',
			'visits',
			'practices',
			'recommendations',
			'reviews',
			'indicators',
			'milestones'
		]) {
			expect(doc.share.has(name), name).toBe(true);
		}
	});

	test('a county with missing or broken fields still reads, sorted after the ordered ones', () => {
		const doc = seeded();
		const odd = new Y.Map<unknown>();
		doc.getMap<Y.Map<unknown>>('counties').set('newcounty', odd);
		odd.set('order', 'first');
		odd.set('pairedBy', 'nation');
		odd.set('leader', 7);
		doc.getMap('counties').set('junk', 'not a map');
		const counties = readCounties(doc);
		expect(counties).toHaveLength(8);
		expect(counties.at(-1)).toEqual({
			id: 'newcounty',
			name: 'newcounty',
			order: 999,
			pairedBy: 'city',
			leader: '',
			cityContact: '',
			cityPhone: '',
			countyContact: '',
			countyPhone: '',
			brand: ''
		});
	});

	test('an empty campaign doc has no counties', () => {
		expect(readCounties(new Y.Doc())).toEqual([]);
	});
});

describe('readCampaignMeta', () => {
	test('reads the campaign name and dates', () => {
		expect(readCampaignMeta(seeded())).toEqual({
			name: '县级工会加强年',
			startDate: '2022-09-30',
			endDate: '2023-09-30',
			reportDueDate: '2022-10-14'
		});
	});

	test('missing or broken values read as empty strings', () => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('name', 42);
		expect(readCampaignMeta(doc)).toEqual({
			name: '',
			startDate: '',
			endDate: '',
			reportDueDate: ''
		});
	});
});
