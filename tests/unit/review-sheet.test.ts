import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createProblem } from '../../src/lib/domain/commands';
import { toRow } from '../../src/lib/domain/ledger';
import { readProblems } from '../../src/lib/domain/problem';
import { reviewSheets, type ReviewSheet } from '../../src/lib/domain/review-sheet';
import { takeSnapshot, type ReviewSnapshot } from '../../src/lib/domain/review-snapshot';
import type { Review } from '../../src/lib/domain/reviews';
import { formatDate, formatLongDateTime } from '../../src/lib/i18n/format';
import { reviewXlsx } from '../../src/lib/io/review-xlsx';
import { alice } from './support';

const haigang = {
	id: 'haigang',
	name: '海港区',
	order: 1,
	pairedBy: 'city' as const,
	leader: '孙宝旗',
	cityContact: '',
	cityPhone: '',
	countyContact: '',
	countyPhone: '',
	brand: ''
};

/** The interface text of a language, as the app's `t` fills it in. */
function labels(locale: 'zh-CN' | 'en') {
	const url = new URL(`../../messages/${locale}.json`, import.meta.url);
	const messages = JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>;
	const label = (key: string, params: Record<string, string | number> = {}) => {
		const message = messages[key];
		if (typeof message !== 'string') throw new Error(`no message ${key}`);
		return message.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
	};
	const format = {
		date: (day: string) => formatDate(locale, day),
		dateTime: (iso: string) => formatLongDateTime(locale, iso)
	};
	return { label, format };
}

const PREVIOUS: ReviewSnapshot['previous'] = {
	id: 'r0',
	kind: 'bimonthly',
	start: '2022-09-01',
	end: '2022-10-31',
	key: { opened: 5, closed: 0, overdue: 0, overdueNotClosed: 0 }
};

function review(options: { previous?: ReviewSnapshot['previous']; locale?: 'zh-CN' | 'en' } = {}) {
	const doc = new Y.Doc();
	createProblem(doc, { title: '=HYPERLINK("http://x")' }, alice, new Date('2022-11-03T02:00:00Z'));
	createProblem(
		doc,
		{ title: '骑手入会难', tier: 'party-gov' },
		alice,
		new Date('2022-11-04T02:00:00Z')
	);
	const snapshot = takeSnapshot({
		rows: readProblems(doc).map((p) => toRow(p, haigang, '2022-12-01')),
		counties: [haigang],
		visits: [],
		practices: [],
		period: { start: '2022-11-01', end: '2022-12-31' },
		campaign: { start: '2022-09-30', end: '2023-09-30' },
		now: new Date('2022-12-01T02:00:00Z'),
		today: '2022-12-01',
		previous: options.previous ?? null
	});
	// One problem in three closed: a rate that is not a round number.
	snapshot.total.closureRate = 1 / 3;
	const stored: Review = {
		id: 'r1',
		kind: 'bimonthly',
		start: '2022-11-01',
		end: '2022-12-31',
		snapshot,
		sections: { summary: '总体良好', progress: '+1 进展', issues: '', nextSteps: '第一条\n第二条' },
		createdAt: '2022-12-01T02:00:00.000Z',
		createdBy: '武威'
	};
	const { label, format } = labels(options.locale ?? 'zh-CN');
	const title = label('reviews.heading', {
		kind: label('reviews.kind.bimonthly'),
		start: format.date('2022-11-01'),
		end: format.date('2022-12-31')
	});
	return reviewSheets(
		stored,
		snapshot,
		{ title, campaign: options.locale === 'en' ? 'Year of County Unions' : '县级工会加强年' },
		label,
		format
	);
}

const cellsOf = (sheet: ReviewSheet, kind: string) =>
	sheet.rows.filter((r) => r.kind === kind).map((r) => r.cells);
const texts = (sheet: ReviewSheet) =>
	[sheet.title, ...sheet.lines, ...sheet.rows.flatMap((r) => r.cells)].filter(
		(c): c is string => typeof c === 'string'
	);

describe('reviewSheets', () => {
	test('four sheets: text, counties, problem lists, visits; each opens with title, unit and dates', () => {
		const sheets = review();
		expect(sheets.map((s) => s.name)).toEqual(['文字', '各县区情况', '问题清单', '本期调查研究']);
		expect(sheets[0]!.title).toBe('县级工会加强年双月调度（2022年11月1日 至 2022年12月31日）');
		expect(sheets[1]!.title).toBe(
			'县级工会加强年双月调度（2022年11月1日 至 2022年12月31日）——各县区情况'
		);
		for (const sheet of sheets) {
			// The dates in Chinese and in Shanghai time (02:00 UTC is 10:00 there), never ISO.
			expect(sheet.lines).toEqual([
				'填报单位：市总工会',
				'数据截至：2022年12月1日',
				'生成时间：2022年12月1日 10:00（武威）'
			]);
		}
		expect(texts(sheets[0]!).join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
	});

	test('the text sheet: key numbers, the closure rate as a fraction shown as a percentage, each line of every section', () => {
		const [text] = review();
		expect(cellsOf(text!, 'header')).toEqual([['指标', '数值']]);
		expect(cellsOf(text!, 'data')).toContainEqual(['本期新增', 2]);
		expect(cellsOf(text!, 'data')).toContainEqual(['销号率', { percent: 1 / 3 }]);
		expect(cellsOf(text!, 'heading').flat()).toEqual([
			'总体情况',
			'进展成效',
			'存在问题',
			'下步打算'
		]);
		expect(cellsOf(text!, 'paragraph')).toContainEqual(['第一条']);
		expect(cellsOf(text!, 'paragraph')).toContainEqual(['第二条']);
	});

	test('without a previous review there is no comparison column and no empty brackets', () => {
		const [text] = review();
		expect(texts(text!).join('\n')).not.toContain('（）');
		expect(texts(text!)).not.toContain('与上次（）相比');
		expect(cellsOf(text!, 'note')).toEqual([['这是第一份调度总结，没有可比较的上次数据。']]);
		expect(cellsOf(text!, 'data').every((cells) => cells.length === 2)).toBe(true);
	});

	test('with a previous review the comparison column names it and holds the changes', () => {
		const [text] = review({ previous: PREVIOUS });
		expect(cellsOf(text!, 'header')).toEqual([
			['指标', '数值', '与上次（双月调度（2022年9月1日 至 2022年10月31日））相比']
		]);
		expect(cellsOf(text!, 'data')).toContainEqual(['本期新增', 2, { change: -3 }]);
		expect(cellsOf(text!, 'data')).toContainEqual(['销号率', { percent: 1 / 3 }, '—']);
		expect(cellsOf(text!, 'note')).toEqual([]);
	});

	test('counties with their figures, rates as percentages, and a total row', () => {
		const stats = review()[1]!;
		const [header] = cellsOf(stats, 'header');
		const rate = header!.indexOf('销号率');
		expect(rate).toBeGreaterThan(0);
		const [county] = cellsOf(stats, 'data');
		expect(county!.slice(0, 2)).toEqual(['海港区', 2]);
		expect(county![rate]).toEqual({ percent: 0 });
		const [total] = cellsOf(stats, 'total');
		expect(total![0]).toBe('全市合计');
		expect(total![rate]).toEqual({ percent: 1 / 3 });
		expect(stats.widths).toHaveLength(header!.length);
		expect(stats.table).toBe(true);
		expect(stats.orientation).toBe('landscape');
	});

	test('list dates are dates; an empty list says so', () => {
		const [, , lists, visits] = review();
		const [opened] = cellsOf(lists!, 'data');
		expect(opened!.slice(7, 9)).toEqual([{ date: '' }, { date: '2022-11-03' }]);
		expect(cellsOf(visits!, 'note')).toEqual([['无']]);
	});

	test('text that a spreadsheet would run as a formula is neutralized', () => {
		const [text, , lists] = review();
		expect(cellsOf(text!, 'paragraph')).toContainEqual(["'+1 进展"]);
		const titles = cellsOf(lists!, 'data').map((r) => r[3]);
		expect(titles).toContain('\'=HYPERLINK("http://x")');
		expect(titles).toContain('骑手入会难');
	});

	test('in English the labels and dates are English', () => {
		const [text] = review({ locale: 'en', previous: PREVIOUS });
		expect(text!.name).toBe('Text');
		expect(text!.title).toBe(
			'Year of County Unions: Bimonthly review (Nov 1, 2022 to Dec 31, 2022)'
		);
		expect(text!.lines[0]).toBe('Reporting unit: City Federation of Trade Unions');
		expect(text!.lines[1]).toBe('Figures as of Dec 1, 2022');
		expect(text!.lines[2]).toMatch(/^Made on December 1, 2022.*10:00 by 武威$/);
		expect(cellsOf(text!, 'header')[0]![2]).toBe(
			'Compared with last time (Bimonthly review (Sep 1, 2022 to Oct 31, 2022))'
		);
	});
});

/** The files of a zip archive (an .xlsx), read from its central directory. */
function unzip(bytes: Buffer): Map<string, string> {
	const files = new Map<string, string>();
	const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	let at = bytes.readUInt32LE(end + 16);
	for (let n = bytes.readUInt16LE(end + 10); n > 0; n--) {
		const method = bytes.readUInt16LE(at + 10);
		const size = bytes.readUInt32LE(at + 20);
		const nameLength = bytes.readUInt16LE(at + 28);
		const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
		const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
		const local = bytes.readUInt32LE(at + 42);
		const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
		const data = bytes.subarray(start, start + size);
		files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
		at += 46 + skip;
	}
	return files;
}

/** The parts of styles.xml a cell's style index points into. */
function styles(xml: string) {
	const list = (tag: string, item: string) =>
		[
			...(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1] ?? '').matchAll(
				new RegExp(`<${item}[ >/][\\s\\S]*?(?:</${item}>|/>)`, 'g')
			)
		].map((m) => m[0]);
	const attr = (element: string, name: string) =>
		new RegExp(`\\b${name}="([^"]*)"`).exec(element)?.[1] ?? '';
	const numFmts = new Map(
		list('numFmts', 'numFmt').map((f) => [attr(f, 'numFmtId'), attr(f, 'formatCode')])
	);
	const fonts = list('fonts', 'font');
	const fills = list('fills', 'fill');
	const xfs = list('cellXfs', 'xf');
	return (index: number) => {
		const xf = xfs[index]!;
		return {
			numFmt: numFmts.get(attr(xf, 'numFmtId')) ?? '',
			bold: /<b\/>/.test(fonts[Number(attr(xf, 'fontId'))] ?? ''),
			fill: /<fgColor rgb="([^"]*)"/.exec(fills[Number(attr(xf, 'fillId'))] ?? '')?.[1] ?? ''
		};
	};
}

/** The style index of the cell at `ref` in a sheet's XML. */
const styleIndex = (sheetXml: string, ref: string) =>
	Number(new RegExp(`<c r="${ref}"[^>]*\\bs="(\\d+)"`).exec(sheetXml)?.[1] ?? 0);

describe('the review .xlsx', () => {
	test('A4 on every sheet, a merged title, styled headers, the rate with a percent format', async () => {
		const blob = await reviewXlsx(review({ previous: PREVIOUS }), '第 &P 页，共 &N 页');
		const files = unzip(Buffer.from(await blob.arrayBuffer()));
		const style = styles(files.get('xl/styles.xml')!);
		const sheets = [1, 2, 3, 4].map((n) => files.get(`xl/worksheets/sheet${n}.xml`)!);
		for (const sheet of sheets) {
			expect(sheet).toMatch(/<pageSetup [^>]*paperSize="9"/);
			expect(sheet).toMatch(/<pageSetup [^>]*fitToWidth="1"/);
			expect(sheet).toMatch(/<mergeCell ref="A1:[A-Z]+1"\/>/);
			expect(style(styleIndex(sheet, 'A1')).bold).toBe(true);
			expect(sheet).toContain('<oddFooter>第 &amp;P 页，共 &amp;N 页</oddFooter>');
		}
		const [text, counties] = sheets as [string, string];
		expect(text).toMatch(/<pageSetup [^>]*orientation="portrait"/);
		expect(counties).toMatch(/<pageSetup [^>]*orientation="landscape"/);

		// 文字: title, three lines, then the header row 5 and the key numbers; the rate in row 10.
		expect(style(styleIndex(text, 'A5'))).toMatchObject({ bold: true, fill: 'FFE7E6E6' });
		expect(text).toMatch(/<c r="B10"[^>]*><v>0\.3333/);
		expect(style(styleIndex(text, 'B10')).numFmt).toBe('0.0%');
		expect(style(styleIndex(text, 'C6')).numFmt).toBe('+0;-0;0');

		// 各县区情况: the header repeats on every printed page and stays in view.
		expect(files.get('xl/workbook.xml')).toMatch(
			/<definedName name="_xlnm\.Print_Titles" localSheetId="1">[^<]*!\$5:\$5<\/definedName>/
		);
		expect(counties).toMatch(/<pane [^>]*ySplit="5"[^>]*state="frozen"/);
		expect(style(styleIndex(counties, 'P5'))).toMatchObject({ bold: true, fill: 'FFE7E6E6' });
		expect(style(styleIndex(counties, 'P7')).numFmt).toBe('0.0%');
	});
});
