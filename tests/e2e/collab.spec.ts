import { addProblem, card, column, expect, openBoard, personContext, test } from './fixtures';

test('two people on one board see each other, their edits, and which card each has open', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	const county = await personContext(browser, 'zhangxin');
	await openBoard(city.page, 'haigang');
	await openBoard(county.page, 'haigang');

	await expect(city.page.getByTestId('presence')).toContainText('张鑫');
	await expect(county.page.getByTestId('presence')).toContainText('武威');

	await addProblem(city.page, '协同：户外劳动者服务站点不足');
	await expect(card(county.page, '协同：户外劳动者服务站点不足')).toBeVisible({ timeout: 1_000 });
	// Undo is for one's own changes: the county side cannot undo what the city side added.
	await expect(county.page.getByTestId('undo')).toBeDisabled();
	await county.page.keyboard.press('Control+z');
	await expect(card(county.page, '协同：户外劳动者服务站点不足')).toBeVisible();

	await card(county.page, '协同：户外劳动者服务站点不足').dragTo(
		column(county.page, '县级工会自身解决').locator('.cards')
	);
	await expect(column(city.page, '县级工会自身解决')).toContainText(
		'协同：户外劳动者服务站点不足',
		{
			timeout: 1_000
		}
	);

	// The county contact opens the card: the city side sees who is editing it.
	await card(county.page, '协同：户外劳动者服务站点不足').click();
	await expect(
		card(city.page, '协同：户外劳动者服务站点不足').getByRole('img', { name: '张鑫 正在编辑' })
	).toBeVisible();
	await card(city.page, '协同：户外劳动者服务站点不足').click();
	await expect(city.page.getByTestId('detail-editors')).toHaveText('张鑫 也在编辑此问题');

	// Both type into the description at once: both texts survive, merged character-wise.
	const cityText = city.page.getByTestId('description');
	const countyText = county.page.getByTestId('description');
	await cityText.click();
	await cityText.pressSequentially('市总：协调建设资金。');
	await expect(countyText).toHaveValue('市总：协调建设资金。', { timeout: 1_000 });
	await countyText.click();
	await county.page.keyboard.press('End');
	await countyText.pressSequentially('县总：已选址 3 处。');
	await expect(cityText).toHaveValue('市总：协调建设资金。县总：已选址 3 处。', { timeout: 1_000 });

	await city.context.close();
	await county.context.close();
});
