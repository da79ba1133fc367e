import ExcelJS from 'exceljs';
import fs from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { addProblem, card, column, expect, openBoard, personContext, test } from './fixtures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const RIDER = '导入测试：外卖骑手入会率低';
const FORMULA = '=1+1';
const NEW_PROBLEM = '导入测试：职工书屋图书陈旧';
const SECOND_NEW = '导入测试：乡镇工会专职人员流失';

/** Downloads what a button exports and returns the file's bytes and name. */
async function download(page: Page, button: string) {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: button, exact: true }).click()
	]);
	return { name: file.suggestedFilename(), bytes: await fs.readFile((await file.path())!) };
}

async function readWorkbook(bytes: Buffer) {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	return workbook;
}

/** The sheet row whose 问题描述 starts with `title`. */
function rowOf(sheet: ExcelJS.Worksheet, title: string): ExcelJS.Row {
	for (let r = 4; r <= sheet.rowCount; r++) {
		const value = sheet.getRow(r).getCell(3).value;
		if (typeof value === 'string' && value.split('\n')[0] === title) return sheet.getRow(r);
	}
	throw new Error(`no row for ${title}`);
}

async function chooseFile(page: Page, workbook: ExcelJS.Workbook) {
	const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
	await page
		.getByTestId('import-file')
		.setInputFiles({ name: '卢龙县台账.xlsx', mimeType: XLSX, buffer });
}

test('the ledger exports as .xlsx and CSV, and an edited file imports back after its errors are fixed, undoably', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, 'lulong');
	await addProblem(page, RIDER, '党委政府协调');
	await addProblem(page, FORMULA);
	await card(page, RIDER).click();
	await page.getByTestId('detail-assignee').fill('王宏亮');
	await page.getByTestId('detail-assignee').press('Enter');
	await page.getByRole('button', { name: '关闭' }).click();
	await card(page, FORMULA).click();
	await page.getByTestId('description').fill('导入测试用的标题');
	await page.getByRole('button', { name: '关闭' }).click();

	// The spreadsheet library is fetched only when a file is exported or imported.
	const excelScripts: string[] = [];
	page.on('response', async (response) => {
		if (!response.url().endsWith('.js')) return;
		const body = await response.text().catch(() => '');
		if (body.includes('"ExcelJS"')) excelScripts.push(response.url());
	});
	// Other tests list problems in 卢龙县 too: the export is of this filter only.
	await page.goto('/c/2022/ledger?county=lulong&q=导入测试');
	await expect(page.getByTestId('ledger-count')).toHaveText('共 2 个问题');
	await expect(page.getByTestId('ledger-table')).toContainText('王宏亮');
	await page.waitForLoadState('networkidle');
	expect(excelScripts).toEqual([]);

	// Export: the office's layout, read back with exceljs as Excel would open it.
	const xlsx = await download(page, '导出 Excel');
	expect(excelScripts).toHaveLength(1);
	expect(xlsx.name).toMatch(/问题清单台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
	const exported = await readWorkbook(xlsx.bytes);
	const sheet = exported.getWorksheet('台账')!;
	expect(sheet.getCell('A1').value).toBe('县级工会加强年问题清单台账');
	expect(sheet.getCell('A2').value).toBe('填报单位：卢龙县总工会');
	// The date sits over the last four columns, right-aligned.
	expect(String(sheet.getRow(2).getCell(15).value)).toMatch(
		/^填报日期：\d{4}年\d{1,2}月\d{1,2}日$/
	);
	expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual([
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
	expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
	expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
	const rider = rowOf(sheet, RIDER);
	expect(rider.getCell(2).value).toBe('卢龙县');
	expect(rider.getCell(4).value).toBe('党委政府协调');
	expect(rider.getCell(8).value).toBe('王宏亮');
	expect(rider.getCell(18).value).toMatch(/^[0-9a-z]{14}$/);
	expect(rider.getCell(3).alignment?.wrapText).toBe(true);
	// A title that looks like a formula is text, never a formula.
	const formula = sheet.getRow(rider.number === 4 ? 5 : 4).getCell(3);
	expect(formula.value).toBe(`'${FORMULA}\n导入测试用的标题`);
	expect(formula.type).toBe(ExcelJS.ValueType.String);

	const csv = await download(page, '导出 CSV');
	expect(csv.name).toMatch(/\.csv$/);
	expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const csvText = csv.bytes.toString('utf8');
	expect(csvText).toContain('\r\n序号,县区,问题描述,层级');
	expect(csvText).toContain(`,"'${FORMULA}\n导入测试用的标题",`);

	// The county fills in the file offline: a new responsible person, two new problems, and a
	// mistyped county on one of them.
	const edited = await readWorkbook(xlsx.bytes);
	const table = edited.getWorksheet('台账')!;
	rowOf(table, RIDER).getCell(8).value = '刘越';
	const next = table.rowCount + 1;
	table.getRow(next).values = [
		3,
		'卢龙县',
		`${NEW_PROBLEM}\n部分乡镇职工书屋多年未更新`,
		'工会系统解决',
		'1. 申请市总工会图书配送',
		'县总工会',
		null,
		'王宏亮',
		'曹文荣',
		new Date(Date.UTC(2023, 2, 1)),
		null,
		'待办'
	];
	table.getRow(next + 1).values = [4, '卢龙区', SECOND_NEW, '', '', '', '', '', '', '2023/6/30'];
	await chooseFile(page, edited);

	const preview = page.getByTestId('import-preview');
	await expect(preview).toBeVisible();
	await expect(preview.getByTestId('import-errors')).toContainText(
		`第 ${next + 1} 行：县区“卢龙区”不存在`
	);
	await expect(preview.getByRole('button', { name: '确认导入' })).toBeDisabled();
	await preview.getByRole('button', { name: '取消' }).click();
	await expect(preview).toBeHidden();
	await expect(page.getByTestId('ledger-count')).toHaveText('共 2 个问题');
	await expect(page.getByTestId('ledger-table')).not.toContainText('刘越');

	// Fixed, the same file imports: the preview lists what changes, then it is written.
	table.getRow(next + 1).getCell(2).value = '卢龙县';
	await chooseFile(page, edited);
	await expect(preview.getByTestId('import-counts')).toContainText('新增 2 个问题');
	await expect(preview.getByTestId('import-counts')).toContainText('更新 1 个问题');
	await expect(preview.getByTestId('import-changes')).toContainText('王宏亮 → 刘越');
	await expect(preview.getByTestId('import-errors')).toHaveCount(0);
	await preview.getByRole('button', { name: '确认导入' }).click();
	await expect(page.getByTestId('toast')).toContainText('已导入台账：新增 2 个，更新 1 个问题');
	await expect(page.getByTestId('ledger-count')).toHaveText('共 4 个问题');
	await expect(page.getByTestId('ledger-row').filter({ hasText: RIDER })).toContainText('刘越');

	// Another person's board shows it (through the server).
	const other = await personContext(browser, 'wanghongliang');
	await openBoard(other.page, 'lulong');
	await expect(card(other.page, NEW_PROBLEM)).toBeVisible();
	await expect(column(other.page, '工会系统解决')).toContainText(NEW_PROBLEM);
	await expect(card(other.page, RIDER)).toContainText('刘越');

	// One undo takes the whole import back, everywhere.
	await page.getByTestId('toast').getByRole('button', { name: '撤销' }).click();
	await expect(page.getByTestId('ledger-count')).toHaveText('共 2 个问题');
	await expect(card(other.page, NEW_PROBLEM)).toHaveCount(0);
	await expect(card(other.page, SECOND_NEW)).toHaveCount(0);
	await expect(card(other.page, RIDER)).toContainText('王宏亮');
	await other.context.close();
	await context.close();
});

test("a county user cannot import another county's rows, and a viewer cannot import at all", async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'qinglong');
	await addProblem(city.page, '导入测试：青龙县的问题');
	// On the server before this person leaves, so the county user's ledger knows the problem.
	await expect(city.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await city.page.goto('/c/2022/ledger?county=qinglong&q=导入测试');
	await expect(city.page.getByTestId('ledger-count')).toHaveText('共 1 个问题');
	const file = await download(city.page, '导出 Excel');
	await city.context.close();

	const { context, page } = await personContext(browser, 'zhangxin');
	await page.goto('/c/2022/ledger?county=qinglong&q=导入测试');
	await expect(page.getByTestId('ledger-count')).toHaveText('共 1 个问题');
	const workbook = await readWorkbook(file.bytes);
	const sheet = workbook.getWorksheet('台账')!;
	rowOf(sheet, '导入测试：青龙县的问题').getCell(8).value = '张鑫';
	await chooseFile(page, workbook);
	const preview = page.getByTestId('import-preview');
	await expect(preview.getByTestId('import-errors')).toContainText(
		'不能导入青龙县的问题：你只能修改本县区的问题'
	);
	await expect(preview.getByRole('button', { name: '确认导入' })).toBeDisabled();
	await context.close();

	const viewer = await personContext(browser, 'zhaowenjing');
	await viewer.page.goto('/c/2022/ledger');
	await expect(viewer.page.getByRole('button', { name: '导出 Excel' })).toBeVisible();
	await expect(viewer.page.getByRole('button', { name: '导入台账' })).toHaveCount(0);
	await viewer.context.close();
});

test('the 督办单 of a problem shows its fields on an A4 sheet, without the app around it in print', async ({
	browser
}) => {
	const { context, page } = await personContext(browser, 'wuwei');
	await openBoard(page, 'changli');
	await addProblem(page, '督办测试：职工服务中心无专职人员', '县级工会自身解决');
	await card(page, '督办测试：职工服务中心无专职人员').click();
	await page.getByTestId('detail-assignee').fill('刘力恺');
	await page.getByTestId('detail-assignee').press('Enter');
	await page.getByTestId('detail-due').fill('2023-03-15');
	await page.getByTestId('print-supervision').click();

	const sheet = page.getByTestId('supervision-sheet');
	await expect(sheet.getByRole('heading', { name: '督办单' })).toBeVisible();
	await expect(sheet).toContainText('市总工会县级工会加强年工作专班');
	await expect(sheet).toContainText(/〔2022〕第 \d+ 号/);
	await expect(sheet.getByRole('row', { name: /县区 昌黎县/ })).toContainText('县级工会自身解决');
	await expect(sheet).toContainText('督办测试：职工服务中心无专职人员');
	await expect(sheet.getByRole('row', { name: /责任人/ })).toContainText('刘力恺');
	await expect(sheet).toContainText('2023年3月15日');
	await expect(sheet).toContainText('办理要求');
	const print = page.getByRole('button', { name: '打印', exact: true });
	await expect(print).toBeVisible();

	await page.emulateMedia({ media: 'print' });
	await expect(print).toBeHidden();
	await expect(page.getByTestId('current-user')).toBeHidden();
	await expect(sheet).toBeVisible();
	// Printed (Chromium's PDF), the sheet is one A4 page.
	const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
	expect(pdf.match(/\/Type\s*\/Page\b(?!s)/g)).toHaveLength(1);
	expect(pdf).toMatch(/\/MediaBox\s*\[0 0 59[45]\.\d+ 84[12]\.\d+\]/);
	await context.close();
});
