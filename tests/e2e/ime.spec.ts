import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';

test('pinyin being composed is not written to the shared description, and what another person types meanwhile stays', async ({
	browser
}) => {
	const city = await personContext(browser, 'wuwei');
	const county = await personContext(browser, 'zhangxin');
	const title = '输入法：夜班职工宿舍问题';
	await openBoard(city.page, 'haigang');
	await openBoard(county.page, 'haigang');
	await addProblem(city.page, title);
	await card(city.page, title).click();
	await card(county.page, title).click();
	const cityText = city.page.getByTestId('description');
	const countyText = county.page.getByTestId('description');
	await cityText.fill('职工反映：宿舍');
	await expect(countyText).toHaveValue('职工反映：宿舍');

	// The city side puts the caret before 宿舍 and starts composing 夜班 in pinyin, letter by
	// letter, with the input method (through Chrome's own IME input).
	await cityText.click();
	await cityText.press('End');
	await cityText.press('ArrowLeft');
	await cityText.press('ArrowLeft');
	const ime = await city.context.newCDPSession(city.page);
	for (const letters of ['y', 'ye', 'yeb', 'yeba', 'yeban']) {
		await ime.send('Input.imeSetComposition', {
			text: letters,
			selectionStart: letters.length,
			selectionEnd: letters.length
		});
	}
	await expect(cityText).toHaveValue('职工反映：yeban宿舍');

	// Meanwhile the county side types at the end. It never sees the pinyin letters.
	await countyText.click();
	await countyText.press('End');
	await countyText.pressSequentially('条件差');
	await expect(county.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await expect(countyText).toHaveValue('职工反映：宿舍条件差');
	// The composition on the city side is left alone while the county's text arrives.
	await expect(cityText).toHaveValue('职工反映：yeban宿舍');

	// The city side picks 夜班: both end with the same clean text.
	await ime.send('Input.insertText', { text: '夜班' });
	await expect(cityText).toHaveValue('职工反映：夜班宿舍条件差');
	await expect(countyText).toHaveValue('职工反映：夜班宿舍条件差');
	// The caret stays right after 夜班, though the county's text arrived meanwhile.
	await expect
		.poll(() => cityText.evaluate((el: HTMLTextAreaElement) => el.selectionEnd))
		.toBe('职工反映：夜班'.length);
	await expect(city.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
	await city.context.close();
	await county.context.close();
});
