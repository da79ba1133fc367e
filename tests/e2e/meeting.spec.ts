import type { Locator } from '@playwright/test';
import { createProblem } from '../../src/lib/domain/commands';
import { addProblem, card, expect, nodeClient, openBoard, signIn, test } from './fixtures';

// Every title carries the marker, so the ledger's search leaves out what other tests add.
const MARK = '投影调度';
const TITLE = `${MARK}：乡镇工会经费拨付不到位`;

/** The page index and number of pages the progress line shows, e.g. “3 / 7”. */
async function progressOf(meeting: Locator): Promise<[number, number]> {
	const text = await meeting.getByRole('status').innerText();
	const match = /(\d+) \/ (\d+)/.exec(text);
	if (!match) throw new Error(`no progress line in “${text}”`);
	return [Number(match[1]), Number(match[2])];
}

test.describe('meeting mode on a projector (1920 × 1080)', () => {
	test.use({ viewport: { width: 1920, height: 1080 } });

	test('fills the screen with large cards, a page per county, turned by a presenter’s keys', async ({
		page,
		baseURL
	}) => {
		await signIn(page, 'wuwei');
		await openBoard(page, 'haigang');
		await addProblem(page, TITLE);
		await card(page, TITLE).click();
		const detail = page.getByTestId('problem-detail');
		await detail.getByRole('button', { name: '开始推进' }).click();
		await detail.getByLabel('责任人', { exact: true }).fill('张鑫');
		await detail.getByLabel('责任人', { exact: true }).press('Enter');
		await detail.getByLabel('联系领导').fill('孙宝旗');
		await detail.getByLabel('联系领导').press('Enter');
		await detail.getByLabel('时限').fill('2023-03-15');
		for (const measure of ['摸清各乡镇经费拨付情况', '协调财政按时足额拨付']) {
			await detail.getByPlaceholder('添加一条举措，回车确认').fill(measure);
			await detail.getByPlaceholder('添加一条举措，回车确认').press('Enter');
		}
		await detail.getByRole('checkbox', { name: '摸清各乡镇经费拨付情况' }).check();
		await detail
			.getByPlaceholder('记录一条进展，回车保存')
			.fill('已与县财政局座谈，约定月底前拨付');
		await detail.getByPlaceholder('记录一条进展，回车保存').press('Enter');
		await expect(detail.getByTestId('history')).toContainText('武威：已与县财政局座谈');
		await detail.getByRole('button', { name: '关闭' }).click();
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

		await page.goto(`/c/2022/ledger?q=${encodeURIComponent(MARK)}`);
		await expect(page.getByTestId('ledger-row')).toHaveCount(1);
		await page.getByRole('button', { name: '会议模式' }).click();
		const meeting = page.getByRole('dialog', { name: '会议模式' });
		const heading = meeting.getByRole('heading', { level: 2 });
		await expect(heading).toHaveText('海港区');

		// Everything a meeting asks about the problem, large enough for the back of the room.
		const problem = meeting.getByRole('listitem').filter({ hasText: TITLE });
		await expect(problem).toContainText('推进中');
		await expect(problem).toContainText(/时限\s*2023年3月15日/);
		await expect(problem).toContainText(/责任人\s*张鑫/);
		await expect(problem).toContainText(/联系领导\s*孙宝旗/);
		await expect(problem).toContainText('举措 1/2');
		await expect(problem).toContainText('最新进展');
		await expect(problem).toContainText('已与县财政局座谈，约定月底前拨付');
		const title = problem.getByRole('heading', { name: TITLE });
		const fontSize = await title.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
		expect(fontSize).toBeGreaterThanOrEqual(32);

		// The overlay covers the screen and the card uses its width: nothing to scroll.
		const screen = (await meeting.boundingBox())!;
		expect(screen).toMatchObject({ x: 0, y: 0, width: 1920, height: 1080 });
		expect((await problem.boundingBox())!.width).toBeGreaterThan(1800);
		expect(await meeting.evaluate((e) => e.scrollHeight <= e.clientHeight)).toBe(true);
		for (const name of ['上一页', '下一页', '关闭']) {
			const box = (await meeting.getByRole('button', { name }).boundingBox())!;
			expect(box.height).toBeGreaterThanOrEqual(48);
		}

		// One county per page, every county of the campaign, in order.
		const [first, pages] = await progressOf(meeting);
		expect(first).toBe(1);
		expect(pages).toBeGreaterThanOrEqual(7);
		const at = async (index: number, county: string) => {
			await expect(meeting.getByRole('status')).toContainText(`${index} / ${pages}`);
			await expect(heading).toHaveText(county);
		};
		await page.keyboard.press('PageDown');
		await at(2, '山海关区');
		await page.keyboard.press('Space');
		await at(3, '北戴河区');
		await page.keyboard.press('ArrowRight');
		await at(4, '抚宁区');
		await page.keyboard.press('PageUp');
		await at(3, '北戴河区');
		await page.keyboard.press('ArrowLeft');
		await at(2, '山海关区');
		await page.keyboard.press('Shift+Space');
		await at(1, '海港区');
		// At the first page there is no going further back.
		await page.keyboard.press('PageUp');
		await at(1, '海港区');
		await expect(meeting.getByRole('button', { name: '上一页' })).toBeDisabled();
		await page.keyboard.press('End');
		await expect(meeting.getByRole('status')).toContainText(`${pages} / ${pages}`);
		await expect(meeting.getByRole('button', { name: '下一页' })).toBeDisabled();
		await page.keyboard.press('Home');
		await at(1, '海港区');
		await meeting.getByRole('button', { name: '下一页' }).click();
		await at(2, '山海关区');
		// Space after a click on a button still turns one page, it does not press the button again.
		await page.keyboard.press('Space');
		await at(3, '北戴河区');

		// By tier: the problem is on the page of its tier.
		await meeting.getByRole('button', { name: '按层级' }).click();
		await expect(page).toHaveURL(/by=tier/);
		await expect(heading).toHaveText('待分类');
		await expect(meeting.getByRole('status')).toContainText('1 / 4');
		await expect(problem).toContainText('海港区');

		await page.keyboard.press('Escape');
		await expect(meeting).toHaveCount(0);
		await expect(page.getByRole('button', { name: '会议模式' })).toBeFocused();

		// More problems than a screen holds: the county takes two pages of cards in columns
		// across the whole width, still without scrolling.
		const other = await nodeClient(baseURL!, 'county.2022.haigang');
		const actor = { username: 'wuwei', name: '武威', role: 'city' } as const;
		for (let i = 1; i <= 15; i++) {
			createProblem(other.doc, { title: `${MARK}：职工之家建设第 ${i} 项` }, actor);
		}
		await expect(page.getByTestId('ledger-row')).toHaveCount(16);
		other.provider.destroy();
		await page.goto(`/c/2022/ledger?q=${encodeURIComponent(MARK)}`);
		await expect(page.getByTestId('ledger-row')).toHaveCount(16);
		await page.getByRole('button', { name: '会议模式' }).click();
		await expect(heading).toHaveText('海港区（1/2）');
		await expect(meeting.getByRole('status')).toContainText(`1 / ${pages + 1}`);
		const cards = meeting.getByTestId('meeting-card');
		await expect(cards).toHaveCount(8);
		const boxes = await cards.evaluateAll((items) =>
			items.map((item) => item.getBoundingClientRect().toJSON() as DOMRect)
		);
		const columns = new Set(boxes.map((box) => Math.round(box.left)));
		expect(columns.size).toBe(3);
		expect(Math.max(...boxes.map((box) => box.right))).toBeGreaterThan(1800);
		expect(Math.max(...boxes.map((box) => box.bottom))).toBeLessThanOrEqual(1080);
		expect(await meeting.evaluate((e) => e.scrollHeight <= e.clientHeight)).toBe(true);
		const titleSizes = await cards
			.getByRole('heading')
			.evaluateAll((titles) => titles.map((e) => parseFloat(getComputedStyle(e).fontSize)));
		expect(Math.min(...titleSizes)).toBeGreaterThanOrEqual(32);
		await page.keyboard.press('PageDown');
		await expect(heading).toHaveText('海港区（2/2）');
		await expect(cards).toHaveCount(8);
		await page.keyboard.press('PageDown');
		await expect(heading).toHaveText('山海关区');
	});
});
