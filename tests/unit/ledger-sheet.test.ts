import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { SEED_COUNTIES } from '../../src/lib/domain/campaign';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	deleteProblem,
	editDescription,
	LOCAL_ORIGIN,
	setCoOwners,
	setMeasureDone,
	updateProblem
} from '../../src/lib/domain/commands';
import { toRow } from '../../src/lib/domain/ledger';
import { applyImport, IMPORT_REASON } from '../../src/lib/domain/ledger-apply';
import { planImport, type ImportContext } from '../../src/lib/domain/ledger-import';
import {
	IMPORT_ERRORS,
	type BaseFingerprints,
	type SheetCell
} from '../../src/lib/domain/ledger-rows';
import {
	cellsOf,
	LEDGER_COLUMNS,
	ledgerCsv,
	parseDate,
	parseMeasures,
	parseStatus,
	parseTier,
	sheetMeta
} from '../../src/lib/domain/ledger-sheet';
import type { User } from '../../src/lib/domain/model';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle';
import { readProblems } from '../../src/lib/domain/problem';
import { ledgerXlsx, parseCsv, readLedgerFile } from '../../src/lib/io/ledger-file';
import { readSheets } from '../../src/lib/io/xlsx';
import { alice, bob, newDoc, read, syncAll } from './support';

const T0 = new Date('2022-10-08T02:00:00.000Z');
const T1 = new Date('2022-10-20T02:00:00.000Z');
const city: User = { username: 'wuwei', displayName: '武威', role: 'city' };
const haigangUser: User = {
	username: 'zhangxin',
	displayName: '张鑫',
	role: 'county',
	county: 'haigang'
};
const META = sheetMeta('县级工会加强年', '市总工会', '2022-10-14');
const HEADERS = LEDGER_COLUMNS.map((c) => c.header);

/** Two county boards with a few problems, as the ledger shows them. */
function boards() {
	const haigang = newDoc(1);
	const lulong = newDoc(2);
	const rider = createProblem(
		haigang,
		{ title: '外卖骑手入会率低', tier: 'party-gov', description: '平台企业不配合' },
		alice,
		T0
	);
	updateProblem(
		haigang,
		rider,
		{ owner: '区总工会', assignee: '张鑫', leader: '孙宝旗', due: '2022-12-31' },
		alice,
		T0
	);
	setCoOwners(haigang, rider, ['区人社局', '区市场监管局'], T0);
	const m1 = addMeasure(haigang, rider, '推动平台企业建立工会联合会', T0);
	addMeasure(haigang, rider, '开展集中入会活动', T0);
	setMeasureDone(haigang, rider, m1, true, T0);
	addProgressNote(haigang, rider, '已召开座谈会', alice, T0);
	const formula = createProblem(haigang, { title: '=1+1', tier: 'county-self' }, alice, T0);
	const roof = createProblem(lulong, { title: '职工之家屋顶漏雨', tier: 'union-system' }, bob, T0);
	return { haigang, lulong, rider, formula, roof };
}

function context(user: User, docs: Record<string, Y.Doc>): ImportContext {
	const problems = new Map<string, { county: string; problem: ReturnType<typeof read> }>();
	for (const [county, doc] of Object.entries(docs)) {
		for (const problem of readProblems(doc)) problems.set(problem.id, { county, problem });
	}
	return { user, campaign: '2022', counties: SEED_COUNTIES, problems };
}

function ledgerRows(docs: Record<string, Y.Doc>) {
	return Object.entries(docs).flatMap(([county, doc]) => {
		const c = SEED_COUNTIES.find((x) => x.id === county)!;
		return readProblems(doc).map((p) => toRow(p, c, '2022-10-14'));
	});
}

/** A sheet as a person fills it in: header block, the headers the rows use, then the rows. */
function sheet(rows: Partial<Record<string, SheetCell>>[]): SheetCell[][] {
	const headers = HEADERS.filter((h) => h === '序号' || rows.some((row) => h in row));
	return [
		['县级工会加强年问题清单台账'],
		['填报单位：市总工会', null, null, null, '填报日期：2022年10月14日'],
		headers,
		...rows.map((row, i) => headers.map((h) => (h === '序号' ? i + 1 : (row[h] ?? null))))
	];
}

const NO_BASE: BaseFingerprints = new Map();

describe('台账 layout', () => {
	test('a problem becomes the cells of the official form, in Chinese', () => {
		const { haigang, rider } = boards();
		const cells = cellsOf(read(haigang, rider), '海港区');
		expect(cells).toEqual({
			county: '海港区',
			problem: '外卖骑手入会率低\n平台企业不配合',
			tier: '党委政府协调',
			measures: '1. 推动平台企业建立工会联合会（已完成）\n2. 开展集中入会活动',
			owner: '区总工会',
			coOwners: '区人社局、区市场监管局',
			assignee: '张鑫',
			leader: '孙宝旗',
			due: '2022-12-31',
			progress: '2022-10-08 张三：已召开座谈会',
			status: '待办',
			result: '',
			verifier: '',
			closedOn: '',
			satisfaction: '',
			followUp: '',
			id: rider
		});
		expect(HEADERS).toEqual([
			'序号',
			'县区',
			'问题描述',
			'层级',
			'具体举措',
			'牵头单位',
			'协办单位',
			'责任人',
			'联系领导',
			'时限',
			'进展情况',
			'状态',
			'办理结果',
			'核验人',
			'销号日期',
			'回访满意度',
			'回访情况',
			'问题编号'
		]);
		expect(META).toEqual({
			title: '县级工会加强年问题清单台账',
			unit: '填报单位：市总工会',
			date: '填报日期：2022年10月14日'
		});
	});

	test('CSV: BOM, CRLF, quoted line breaks, a formula-like title neutralized', () => {
		const { haigang, lulong } = boards();
		const csv = ledgerCsv(ledgerRows({ haigang, lulong }), META);
		expect(csv.startsWith('\uFEFF县级工会加强年问题清单台账\r\n')).toBe(true);
		expect(csv).toContain(`\r\n${HEADERS.join(',')}\r\n`);
		expect(csv).toContain(",'=1+1,");
		expect(csv).toContain('"外卖骑手入会率低\n平台企业不配合"');
		const back = parseCsv(csv);
		expect(back[2]).toEqual(HEADERS);
		expect(back.find((r) => r[2] === "'=1+1")).toBeTruthy();
		// Imported back unchanged, a CSV plans no change either.
		const plan = planImport(back, NO_BASE, context(city, { haigang, lulong }));
		expect(plan.errors).toEqual([]);
		expect(plan.counts).toEqual({ new: 0, updated: 0, unchanged: 3 });
	});

	test('typed cells: dates as Date, serial numbers and the ways people write them', () => {
		expect(parseDate(new Date(Date.UTC(2023, 8, 30)))).toBe('2023-09-30');
		expect(parseDate(45199)).toBe('2023-09-30');
		expect(parseDate('45199')).toBe('2023-09-30');
		for (const text of ['2023-09-30', '2023/9/30', '2023.9.30', '2023年9月30日', ' 2023-9-30 ']) {
			expect(parseDate(text)).toBe('2023-09-30');
		}
		expect(parseDate('')).toBe('');
		expect(parseDate(null)).toBe('');
		for (const bad of ['2023-02-30', '下周', '30/9/2023', '2023-13-01', -3]) {
			expect(parseDate(bad)).toBeNull();
		}
		expect(parseTier('工会系统解决')).toBe('union-system');
		expect(parseTier(' 县级工会自身解决 ')).toBe('county-self');
		expect(parseTier('')).toBe('unsorted');
		expect(parseTier('自己解决')).toBeNull();
		expect(parseStatus('已解决（待核验）')).toBe('resolved');
		expect(parseStatus('已解决')).toBe('resolved');
		expect(parseStatus('进行中')).toBeNull();
		expect(parseMeasures('1. 甲（已完成）\n2、乙\n√ 丙\n\n')).toEqual([
			{ text: '甲', done: true },
			{ text: '乙', done: false },
			{ text: '丙', done: true }
		]);
	});

	test('.xlsx written with exceljs reads back: header block, frozen headers, neutralized cells', async () => {
		const { haigang, lulong } = boards();
		const blob = await ledgerXlsx(ledgerRows({ haigang, lulong }), META);
		const sheets = await readSheets(await blob.arrayBuffer());
		const table = sheets[0]!;
		expect(table.name).toBe('台账');
		expect(table.rows[0]?.[0]).toBe('县级工会加强年问题清单台账');
		expect(table.rows[2]).toEqual(HEADERS);
		expect(table.rows.some((r) => r[2] === "'=1+1")).toBe(true);
		expect(table.rows.some((r) => r[9] instanceof Date)).toBe(true);
		expect(sheets[1]?.hidden).toBe(true);
		// Read back unchanged, the file plans no change at all.
		const { rows, base } = await readLedgerFile(await blob.arrayBuffer(), 'x.xlsx');
		const plan = planImport(rows, base, context(city, { haigang, lulong }));
		expect(plan.errors).toEqual([]);
		expect(plan.counts).toEqual({ new: 0, updated: 0, unchanged: 3 });
	});
});

describe('台账 import', () => {
	test('cells typed as Excel or WPS save them: rich text, formulas, links, dates, numbers', async () => {
		const { haigang, rider } = boards();
		const workbook = new ExcelJS.Workbook();
		const ws = workbook.addWorksheet('Sheet1');
		ws.addRow(['县区', '问题描述', '责任人', '联系领导', '时限', '协办单位', '问题编号']);
		ws.addRow([
			'海港区',
			{
				richText: [{ text: '外卖骑手入会率低' }, { text: '\n平台企业不配合', font: { bold: true } }]
			},
			{ formula: 'CONCATENATE("刘","越")', result: '刘越' },
			{ text: '孙宝旗', hyperlink: 'mailto:sun@example.org' },
			45199,
			12345,
			rider
		]);
		const bytes = await workbook.xlsx.writeBuffer();
		const { rows, base } = await readLedgerFile(bytes as ArrayBuffer, '台账.xlsx');
		const plan = planImport(rows, base, context(city, { haigang }));
		expect(plan.errors).toEqual([]);
		expect(plan.rows[0]?.fields).toEqual({
			assignee: '刘越',
			due: '2023-09-30',
			coOwners: ['12345']
		});
	});

	test('rows with an id change only the fields that differ; rows without one are new', () => {
		const { haigang, lulong, rider, roof } = boards();
		const ctx = context(city, { haigang, lulong });
		const plan = planImport(
			sheet([
				{
					县区: '海港区',
					问题描述: '外卖骑手入会率低\n平台企业不配合',
					层级: '党委政府协调',
					责任人: '刘越',
					时限: new Date(Date.UTC(2023, 0, 15)),
					进展情况: '2022-10-08 张三：已召开座谈会\n已走访三家平台企业',
					具体举措: '1. 推动平台企业建立工会联合会（已完成）\n2. 开展集中入会活动',
					状态: '待办',
					问题编号: rider
				},
				{ 县区: '卢龙县', 问题描述: '职工之家屋顶漏雨', 层级: '工会系统解决', 问题编号: roof },
				{
					县区: '卢龙县',
					问题描述: '=HYPERLINK("x")\n新发现',
					层级: '县级工会自身解决',
					具体举措: '1. 制定方案',
					时限: '2023年3月1日',
					状态: '推进中'
				}
			]),
			NO_BASE,
			ctx
		);
		expect(plan.errors).toEqual([]);
		expect(plan.counts).toEqual({ new: 1, updated: 1, unchanged: 1 });
		const update = plan.rows[0]!;
		expect(update.changes).toEqual([
			{ field: 'assignee', before: '张鑫', after: '刘越' },
			{ field: 'due', before: '2022-12-31', after: '2023-01-15' },
			{ field: 'progress', before: '', after: '已走访三家平台企业' }
		]);
		// The other columns (牵头单位, 协办单位, 联系领导) were left out of this file: not touched.
		expect(update.fields).toEqual({ assignee: '刘越', due: '2023-01-15' });

		const created = applyImport(plan, (c) => (c === 'haigang' ? haigang : lulong), bob, T1);
		const after = read(haigang, rider);
		expect(after.assignee).toBe('刘越');
		expect(after.due).toBe('2023-01-15');
		expect(after.measures.map((m) => m.done)).toEqual([true, false]);
		expect(after.log.at(-1)).toMatchObject({
			kind: 'note',
			text: '已走访三家平台企业',
			by: '李四'
		});
		const fresh = read(lulong, created.get(6)!);
		expect(fresh).toMatchObject({
			title: '=HYPERLINK("x")',
			description: '新发现',
			tier: 'county-self',
			status: 'in-progress',
			due: '2023-03-01'
		});
		expect(fresh.measures.map((m) => m.text)).toEqual(['制定方案']);
	});

	test('every kind of row error is reported with its row number, and nothing is planned to run', () => {
		const { haigang, lulong, rider, roof, formula } = boards();
		const ctx = context(city, { haigang, lulong });
		const plan = planImport(
			sheet([
				{ 县区: '海滨区', 问题描述: '甲' },
				{ 县区: '海港区', 问题描述: '乙', 层级: '自己解决' },
				{ 县区: '海港区', 问题描述: '丙', 时限: '下个月' },
				{ 县区: '海港区', 问题描述: '丁', 状态: '进行中' },
				{ 县区: '海港区', 问题描述: '戊', 状态: '已销号' },
				{ 县区: '海港区', 问题描述: '己', 问题编号: 'nosuchid' },
				{ 县区: '卢龙县', 问题描述: '外卖骑手入会率低', 问题编号: rider },
				{ 县区: '卢龙县', 问题描述: '', 问题编号: roof },
				{ 县区: '卢龙县', 问题描述: '职工之家屋顶漏雨', 问题编号: roof },
				{ 县区: '', 问题描述: '庚' },
				{ 县区: '海港区', 问题描述: 'x'.repeat(201) },
				{ 县区: '海港区', 问题描述: '=1+1', 状态: '已销号', 问题编号: formula }
			]),
			NO_BASE,
			ctx
		);
		expect(plan.errors.map((e) => [e.row, e.kind])).toEqual([
			[4, 'county-unknown'],
			[5, 'tier-unknown'],
			[6, 'date-bad'],
			[7, 'status-unknown'],
			[8, 'status-change'],
			[9, 'id-unknown'],
			[10, 'county-mismatch'],
			[11, 'title-missing'],
			[12, 'id-duplicate'],
			[13, 'county-missing'],
			[14, 'title-long'],
			[15, 'status-change']
		]);
		expect(plan.errors[0]?.value).toBe('海滨区');
		expect(() => applyImport(plan, () => haigang, alice)).toThrow();
	});

	test('a deleted problem is not changed by an import; every error kind has words in both languages', async () => {
		const { haigang } = boards();
		const gone = createProblem(haigang, { title: '已删除的问题' }, alice, T0);
		deleteProblem(haigang, gone, alice, T1);
		const plan = planImport(
			sheet([{ 县区: '海港区', 问题描述: '已删除的问题', 责任人: '张鑫', 问题编号: gone }]),
			NO_BASE,
			context(city, { haigang })
		);
		expect(plan.errors).toEqual([{ row: 4, kind: 'id-deleted', value: '已删除的问题' }]);
		for (const locale of ['zh-CN', 'en']) {
			const messages = JSON.parse(await readFile(`messages/${locale}.json`, 'utf8'));
			for (const kind of IMPORT_ERRORS) expect(messages).toHaveProperty([`ledgerIo.error.${kind}`]);
		}
	});

	test('county users may import only their own county; viewers not at all; the header is needed', () => {
		const { haigang, lulong, roof } = boards();
		const docs = { haigang, lulong };
		const rows = sheet([
			{ 县区: '海港区', 问题描述: '新问题' },
			{ 县区: '卢龙县', 问题描述: '职工之家屋顶漏雨', 状态: '推进中', 问题编号: roof },
			{ 县区: '', 问题描述: '不填县区' },
			{ 县区: '卢龙县', 问题描述: '卢龙县的新问题' },
			// Unchanged rows of another county (a whole-city export) are no error.
			{ 县区: '卢龙县', 问题描述: '职工之家屋顶漏雨', 状态: '待办', 问题编号: roof }
		]);
		const county = planImport(rows, NO_BASE, context(haigangUser, docs));
		expect(county.errors).toEqual([
			{ row: 5, kind: 'county-forbidden', value: '卢龙县' },
			{ row: 7, kind: 'county-forbidden', value: '卢龙县' },
			{ row: 8, kind: 'id-duplicate', value: roof }
		]);
		expect(county.rows[2]?.county).toBe('haigang');
		const unchanged = planImport(
			sheet([{ 县区: '卢龙县', 问题描述: '职工之家屋顶漏雨', 问题编号: roof }]),
			NO_BASE,
			context(haigangUser, docs)
		);
		expect(unchanged.errors).toEqual([]);
		const viewer = planImport(rows, NO_BASE, {
			...context(city, docs),
			user: { username: 'v', displayName: '赵文静', role: 'viewer' }
		});
		expect(viewer.errors).toEqual([{ row: 0, kind: 'read-only', value: '' }]);
		const noHeader = planImport([['序号', '标题']], NO_BASE, context(city, docs));
		expect(noHeader.errors.map((e) => e.kind)).toEqual(['no-header']);
	});

	test('the header row is found wherever it is, and columns in any order', () => {
		const { haigang, rider } = boards();
		const plan = planImport(
			[
				[],
				['随便写的说明'],
				[null, '问题编号', '责任人', '问题描述', '县区'],
				[null, rider, '王五', '外卖骑手入会率低\n平台企业不配合', '海港区']
			],
			NO_BASE,
			context(city, { haigang })
		);
		expect(plan.errors).toEqual([]);
		expect(plan.rows[0]).toMatchObject({ row: 4, kind: 'update', fields: { assignee: '王五' } });
	});

	test('the closure (销号) is exported in its own columns and never read back by an import', () => {
		const { haigang, rider } = boards();
		resolveProblem(haigang, rider, { note: '平台企业已建会' }, bob, T1);
		closeProblem(
			haigang,
			rider,
			{
				verifier: '市总工会 武威',
				verifiedOn: '2022-11-02',
				satisfaction: 'basically',
				followUp: '骑手反映良好'
			},
			{ ...bob, role: 'city' },
			T1
		);
		const cells = cellsOf(read(haigang, rider), '海港区');
		expect(cells).toMatchObject({
			result: '平台企业已建会',
			verifier: '市总工会 武威',
			closedOn: '2022-11-02',
			satisfaction: '基本满意',
			followUp: '骑手反映良好'
		});
		// Someone edits the closure cells in the file: the import changes nothing.
		const edited = sheet([
			{ 县区: '海港区', 问题编号: rider, 核验人: '别人', 回访满意度: '满意', 回访情况: '改写' }
		]);
		const plan = planImport(edited, NO_BASE, context(city, { haigang }));
		const row = plan.rows.find((r) => r.id === rider);
		expect(Object.keys(row?.fields ?? {})).not.toContain('closure');
		expect(JSON.stringify(row?.fields ?? {})).not.toContain('别人');
	});

	test('a field the file left as exported does not undo a change made in the app meanwhile', async () => {
		const { haigang, rider } = boards();
		const exported = ledgerRows({ haigang });
		const blob = await ledgerXlsx(exported, META);
		// Meanwhile in the app: the deadline moves.
		updateProblem(haigang, rider, { due: '2023-06-30' }, bob, T1);
		const { rows, base } = await readLedgerFile(await blob.arrayBuffer(), 'x.xlsx');
		const idColumn = HEADERS.indexOf('问题编号');
		const edited = rows.map((r) =>
			r[idColumn] === rider ? r.map((c, i) => (i === 7 ? '刘越' : c)) : r
		);
		const plan = planImport(edited, base, context(city, { haigang }));
		expect(plan.errors).toEqual([]);
		expect(plan.rows.find((r) => r.id === rider)?.fields).toEqual({ assignee: '刘越' });
		// Without the base (a CSV), the old deadline in the file would count as a change.
		const twoWay = planImport(edited, NO_BASE, context(city, { haigang }));
		expect(Object.keys(twoWay.rows.find((r) => r.id === rider)!.fields).sort()).toEqual([
			'assignee',
			'due'
		]);
	});

	test('an import merges with concurrent edits on another device, character by character', () => {
		const { haigang: a, rider } = boards();
		const b = newDoc(9);
		syncAll(a, b);
		const plan = planImport(
			sheet([
				{
					县区: '海港区',
					问题描述: '外卖骑手入会率低\n平台企业不配合，需区委协调',
					层级: '工会系统解决',
					责任人: '刘越',
					问题编号: rider
				}
			]),
			NO_BASE,
			context(city, { haigang: a })
		);
		expect(plan.errors).toEqual([]);
		// Device B, before it hears of the import, edits other fields and the start of the text.
		updateProblem(b, rider, { leader: '李光' }, bob, T1);
		editDescription(b, rider, '部分平台企业不配合', T1);
		applyImport(plan, () => a, alice, T1);
		syncAll(a, b);
		for (const doc of [a, b]) {
			const p = read(doc, rider);
			expect(p.description).toBe('部分平台企业不配合，需区委协调');
			expect(p.leader).toBe('李光');
			expect(p.assignee).toBe('刘越');
			expect(p.tier).toBe('union-system');
			expect(p.log.at(-1)).toMatchObject({ kind: 'escalate', detail: IMPORT_REASON });
		}
	});

	test('the import is one undoable step per county doc', () => {
		const { haigang, rider } = boards();
		const undo = new Y.UndoManager(haigang.getMap('problems'), {
			trackedOrigins: new Set([LOCAL_ORIGIN]),
			captureTimeout: 0
		});
		const plan = planImport(
			sheet([
				{ 县区: '海港区', 问题描述: '外卖骑手入会率低', 责任人: '刘越', 问题编号: rider },
				{ 县区: '海港区', 问题描述: '新的问题', 层级: '工会系统解决' }
			]),
			NO_BASE,
			context(city, { haigang })
		);
		applyImport(plan, () => haigang, alice, T1);
		expect(readProblems(haigang)).toHaveLength(3);
		expect(undo.undoStack).toHaveLength(1);
		undo.undo();
		expect(readProblems(haigang)).toHaveLength(2);
		expect(read(haigang, rider)).toMatchObject({
			assignee: '张鑫',
			description: '平台企业不配合'
		});
	});
});
