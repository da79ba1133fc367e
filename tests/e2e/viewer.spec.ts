import { addProblem, card, column, expect, openBoard, personContext, test } from './fixtures';

test('a viewer sees boards but no editing controls, and a county user cannot edit another county', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	await openBoard(city.page, 'lulong');
	await addProblem(city.page, '只读：县级工会经费保障不足');

	const viewer = await personContext(browser, 'zhaowenjing');
	await openBoard(viewer.page, 'lulong');
	await expect(viewer.page.getByTestId('read-only')).toBeVisible();
	await expect(viewer.page.getByRole('button', { name: '添加问题' })).toHaveCount(0);
	const readOnlyCard = card(viewer.page, '只读：县级工会经费保障不足');
	// Dragging a card of a board one may only read moves nothing.
	await readOnlyCard.dragTo(column(viewer.page, '党委政府协调').locator('.cards'));
	await expect(column(viewer.page, '待分类')).toContainText('只读：县级工会经费保障不足');
	await readOnlyCard.click();
	await expect(viewer.page.getByTestId('detail-title')).toBeDisabled();
	await expect(viewer.page.getByTestId('detail-tier')).toBeDisabled();
	await expect(viewer.page.getByTestId('action-resolve')).toHaveCount(0);
	await expect(viewer.page.getByTestId('detail-delete')).toHaveCount(0);

	const otherCounty = await personContext(browser, 'zhangxin');
	await openBoard(otherCounty.page, 'lulong');
	await expect(otherCounty.page.getByTestId('read-only')).toBeVisible();
	await expect(otherCounty.page.getByRole('button', { name: '添加问题' })).toHaveCount(0);

	for (const ctx of [city, viewer, otherCounty]) await ctx.context.close();
});
