import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { addProblem, card, expect, openBoard, test } from './fixtures';
import { contextOn, serverWithPeople } from './own-server';
import type { RunningServer } from './server';

// Exact counts over every county: this spec runs on a server of its own (卢龙县 and 青龙县).
let server: RunningServer;
test.beforeAll(async () => {
	server = await serverWithPeople();
});
test.afterAll(async () => server.stop());

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function seriousViolations(page: Page) {
	const { violations } = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a review freezes its snapshot: later changes to the board do not alter it', async ({
	browser
}) => {
	const { context, page } = await contextOn(browser, server, 'wuwei');
	await openBoard(page, 'lulong');
	await addProblem(page, '调度：职工之家阵地不足', '工会系统解决');
	await addProblem(page, '调度：农民工欠薪维权难', '党委政府协调');

	await page.goto('/c/2022/reviews');
	const form = page.getByTestId('create-review');
	await expect(form.getByLabel('类型')).toHaveValue('bimonthly');
	await expect(form.getByRole('button', { name: '生成快照' })).toBeEnabled();
	await form.getByRole('button', { name: '生成快照' }).click();

	const review = page.getByTestId('review');
	await expect(review.getByTestId('review-title')).toContainText('双月调度');
	await expect(review.getByTestId('key-opened').getByTestId('key-value')).toHaveText('2');
	await expect(review.getByTestId('key-closed').getByTestId('key-value')).toHaveText('0');
	await expect(page.getByTestId('review-list-opened')).toContainText('调度：职工之家阵地不足');
	await expect(page.getByTestId('review-list-opened')).toContainText('调度：农民工欠薪维权难');
	await expect(page.getByLabel('总体情况')).toHaveValue(/各县区共新增问题 2 个/);
	await expect(page.getByLabel('下步打算')).toHaveValue(/持续推动 2 个未销号问题/);
	const reviewUrl = page.url();

	// The board changes: a new problem, another one deleted.
	await openBoard(page, 'lulong');
	await addProblem(page, '调度：快照之后才列出的问题');
	await addProblem(page, '调度：快照之后又列出一个');
	await card(page, '调度：职工之家阵地不足').click();
	await page.getByTestId('detail-delete').click();
	await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
	await expect(card(page, '调度：职工之家阵地不足')).toHaveCount(0);
	await page.goto('/c/2022');
	await expect(page.getByTestId('dash-total').locator('strong')).toHaveText('3');

	// The review still shows what was true when it was made.
	await page.goto(reviewUrl);
	// The campaign navigation marks the section the review belongs to.
	await expect(
		page.getByTestId('campaign-nav').getByRole('link', { name: '调度总结' })
	).toHaveAttribute('aria-current', 'true');
	await expect(review.getByTestId('key-opened').getByTestId('key-value')).toHaveText('2');
	await expect(page.getByTestId('review-list-opened')).toContainText('调度：职工之家阵地不足');
	await expect(page.getByTestId('review-list-opened')).not.toContainText('快照之后');
	await expect(
		page.getByTestId('review-stats').locator('tr[data-county="lulong"] td[data-key="total"]')
	).toHaveText('2');

	// A second review compares with the first: the list shows how the numbers moved.
	await page.goto('/c/2022/reviews');
	await form.getByLabel('类型').selectOption({ label: '季度小结' });
	await form.getByRole('button', { name: '生成快照' }).click();
	await expect(review.getByTestId('review-title')).toContainText('季度小结');
	// Still listed in the period: the deleted one is left out, the new one is in.
	await expect(review.getByTestId('key-opened').getByTestId('key-value')).toHaveText('3');
	await expect(page.getByTestId('review-list-opened')).toContainText('快照之后');
	await expect(page.getByTestId('review-list-opened')).not.toContainText('职工之家阵地不足');
	await expect(review.getByTestId('key-opened').getByTestId('key-change')).toContainText(
		'比上次增加 1'
	);

	await page.goto('/c/2022/reviews');
	const rows = page.getByTestId('review-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toContainText('季度小结');
	await expect(rows.first().locator('td[data-key="opened"]')).toContainText('3');
	await expect(rows.first().locator('td[data-key="opened"] .change')).toHaveText('↑1');
	await expect(rows.first().locator('td[data-key="closed"] .change')).toHaveText('→0');
	await expect(rows.last()).toContainText('双月调度');
	expect(await seriousViolations(page)).toEqual([]);
	await rows.first().getByRole('link').first().click();
	await expect(review.getByTestId('review-title')).toContainText('季度小结');
	expect(await seriousViolations(page)).toEqual([]);
	await page.goto('/c/2022');
	await expect(page.getByTestId('dash-total').locator('strong')).toHaveText('3');
	expect(await seriousViolations(page)).toEqual([]);
	await context.close();
});

test('two people edit a review section live; a county user reads it; it prints on A4 and exports .xlsx', async ({
	browser
}, testInfo) => {
	const office = await contextOn(browser, server, 'wuwei');
	await openBoard(office.page, 'qinglong');
	await addProblem(office.page, '调度：山区职工服务站覆盖不足', '县级工会自身解决');
	await office.page.goto('/c/2022/reviews');
	await office.page
		.getByTestId('create-review')
		.getByLabel('类型')
		.selectOption({ label: '半年总结' });
	await office.page.getByRole('button', { name: '生成快照' }).click();
	await expect(office.page.getByTestId('review-title')).toContainText('半年总结');
	const url = office.page.url();

	const admin = await contextOn(browser, server, 'admin');
	await admin.page.goto(url);
	const mine = office.page.getByLabel('进展成效');
	const theirs = admin.page.getByLabel('进展成效');
	await expect(theirs).toHaveValue(await mine.inputValue());

	await mine.click();
	await mine.press('Control+End');
	await mine.pressSequentially('青龙县服务站新建三处。');
	await expect(theirs).toHaveValue(/青龙县服务站新建三处。$/);
	await theirs.click();
	await theirs.press('Control+End');
	await theirs.pressSequentially('经费已落实。');
	await expect(mine).toHaveValue(/青龙县服务站新建三处。经费已落实。$/);

	// A county user reads the review but has nothing to edit.
	const county = await contextOn(browser, server, 'jinlongfei');
	await county.page.goto(url);
	await expect(county.page.getByTestId('section-progress')).toContainText('经费已落实。');
	await expect(county.page.getByRole('textbox')).toHaveCount(0);
	await county.page.goto('/c/2022/reviews');
	await expect(county.page.getByTestId('read-only')).toBeVisible();
	await expect(county.page.getByTestId('create-review')).toHaveCount(0);

	// Printed: no app chrome or buttons, the text as paragraphs, on A4.
	const page = office.page;
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.app-header')).toBeHidden();
	await expect(page.getByTestId('print')).toBeHidden();
	await expect(mine).toBeHidden();
	await expect(page.getByTestId('section-progress')).toContainText(
		'青龙县服务站新建三处。经费已落实。'
	);
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	await testInfo.attach('review.pdf', { body: pdf, contentType: 'application/pdf' });
	await page.emulateMedia({ media: 'screen' });

	// Exported as a workbook a person opens in Excel or WPS.
	const download = page.waitForEvent('download');
	await page.getByTestId('export-xlsx').click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^半年总结.*\.xlsx$/);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.readFile((await file.path())!);
	expect(workbook.worksheets.map((s) => s.name)).toEqual([
		'文字',
		'各县区情况',
		'问题清单',
		'本期调查研究'
	]);
	const text = workbook.getWorksheet('文字')!;
	// The office layout of the ledger: a merged bold title, the reporting unit, dates in Chinese.
	expect(String(text.getCell('A1').value)).toMatch(/^县级工会加强年半年总结（/);
	expect(text.getCell('A1').isMerged).toBe(true);
	expect(text.getCell('A1').font?.bold).toBe(true);
	expect(text.getCell('A2').value).toBe('填报单位：市总工会');
	expect(text.getCell('A3').value).toMatch(/^数据截至：\d{4}年\d{1,2}月\d{1,2}日$/);
	expect(text.getCell('A4').value).toMatch(
		/^生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（武威）$/
	);
	// 销号率 is a number shown as a percentage, not a decimal.
	const rateRow = text.getColumn(1).values.findIndex((v) => v === '销号率');
	const rate = text.getRow(rateRow).getCell(2);
	expect(typeof rate.value).toBe('number');
	expect(rate.numFmt).toBe('0.0%');
	for (const sheet of workbook.worksheets) {
		expect(sheet.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1 });
		sheet.eachRow((row) =>
			row.eachCell((cell) => expect(String(cell.value)).not.toContain('（）'))
		);
	}
	const lists = workbook.getWorksheet('问题清单')!;
	const titles = lists.getColumn(4).values.map(String);
	expect(titles).toContain('调度：山区职工服务站覆盖不足');
	await Promise.all([office.context.close(), admin.context.close(), county.context.close()]);
});
