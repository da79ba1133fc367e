import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';

const TITLE = '回收站：乡镇工会经费拨付滞后';

test('a deleted problem goes to the board’s bin with who and when; the city restores it; history shows both', async ({
	browser
}) => {
	// The county lists a problem and, by mistake, deletes it.
	const county = await personContext(browser, 'zhangxin');
	await openBoard(county.page, 'haigang');
	await addProblem(county.page, TITLE);
	await card(county.page, TITLE).focus();
	await county.page.keyboard.press('Delete');
	await county.page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
	await expect(card(county.page, TITLE)).toHaveCount(0);
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	// The county sees it in the bin, but restoring is the city's.
	await county.page.keyboard.press('b');
	const countyBin = county.page.getByTestId('bin');
	await expect(countyBin.getByRole('heading', { name: '回收站' })).toBeVisible();
	await expect(countyBin).toContainText('只有市总工会和管理员可以恢复');
	const countyEntry = countyBin.getByTestId('bin-entry').filter({ hasText: TITLE });
	await expect(countyEntry).toContainText('张鑫');
	await expect(countyEntry.getByRole('button', { name: `恢复“${TITLE}”` })).toHaveCount(0);
	await countyBin.getByRole('button', { name: '关闭' }).click();

	// The city opens the same board's bin (button), sees who deleted it and when, and restores it.
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'haigang');
	await expect(card(city.page, TITLE)).toHaveCount(0);
	await city.page.getByTestId('open-bin').click();
	const cityBin = city.page.getByTestId('bin');
	const entry = cityBin.getByTestId('bin-entry').filter({ hasText: TITLE });
	await expect(entry).toContainText('张鑫');
	await expect(entry.getByRole('cell').nth(1)).toHaveText(/\d{4}.\d{1,2}.\d{1,2}/);
	await entry.getByRole('button', { name: `恢复“${TITLE}”` }).click();
	await expect(cityBin.getByTestId('bin-entry').filter({ hasText: TITLE })).toHaveCount(0);
	await cityBin.getByRole('button', { name: '关闭' }).click();
	await expect(card(city.page, TITLE)).toBeVisible();

	// Back on the county's board, live, and its history names both.
	await expect(card(county.page, TITLE)).toBeVisible();
	await card(county.page, TITLE).click();
	const history = county.page.getByTestId('history');
	await expect(history).toContainText('张鑫 删除了问题');
	await expect(history).toContainText('武威 恢复了问题');
	await county.context.close();
	await city.context.close();
});
