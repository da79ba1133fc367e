import type { Page } from '@playwright/test';
import { card, column, expect, headerControl, openBoard, signIn, test } from './fixtures';

/** Switches the interface to English with the button in the header, as a person would. */
async function switchToEnglish(page: Page) {
	await (await headerControl(page, 'English')).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(await headerControl(page, 'Sign out')).toBeVisible();
}

async function addProblemInEnglish(page: Page, title: string) {
	const unsorted = column(page, 'Unsorted');
	const input = unsorted.getByPlaceholder('Problem title, Enter to add');
	if (!(await input.isVisible()))
		await unsorted.getByRole('button', { name: 'Add problem' }).click();
	await input.fill(title);
	await input.press('Enter');
	await expect(card(page, title)).toBeVisible();
}

for (const viewport of [
	{ name: 'desktop', width: 1440, height: 900, touch: false },
	{ name: 'phone', width: 375, height: 812, touch: true }
]) {
	test.describe(`in English (${viewport.name})`, () => {
		test.use({
			viewport: { width: viewport.width, height: viewport.height },
			hasTouch: viewport.touch,
			isMobile: viewport.touch
		});

		test('the choice of English is remembered, and the overview speaks it', async ({ page }) => {
			await signIn(page, 'wuwei');
			await switchToEnglish(page);
			await page.goto('/c/2022');
			await expect(page.getByRole('heading', { level: 1 })).toContainText('Overview');
			await expect(page.getByRole('heading', { name: 'County problem lists' })).toBeVisible();
			// Counts read as English: “1 problem”, “3 problems” (tiles appear as the campaign loads).
			await expect(page.getByTestId('tile-total')).toHaveCount(7);
			const totals = await page.getByTestId('tile-total').allInnerTexts();
			for (const total of totals) expect(total).toMatch(/^(1 problem|\d+ problems)$/);

			await page.reload();
			await expect(await headerControl(page, '中文')).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');

			await (await headerControl(page, '中文')).click();
			await expect(await headerControl(page, '退出登录')).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		});

		test('works the board in English: add, carry a card with the keyboard, dates', async ({
			page
		}) => {
			await signIn(page, 'wuwei');
			await switchToEnglish(page);
			await openBoard(page, 'beidaihe');
			await expect(
				page.getByRole('heading', { name: 'Party & government coordination' })
			).toBeVisible();
			await expect(page.getByTestId('sync-status')).toHaveText(/Saved on the server/);

			const title = `English ${viewport.name}: canteen for sanitation workers`;
			await addProblemInEnglish(page, title);

			// Pick up and move, as with a screen reader: Space lifts, arrows aim, Space drops.
			const status = page.getByRole('status').first();
			await card(page, title).focus();
			await page.keyboard.press('Space');
			await expect(status).toContainText(`Picked up “${title}”, in Unsorted`);
			await page.keyboard.press('ArrowRight');
			// Other tests add cards to this board too: the position depends on what is there.
			await expect(status).toContainText(/Party & government coordination, position \d+/);
			await page.keyboard.press('Space');
			await expect(status).toContainText(`Moved “${title}” to Party & government coordination`);
			await expect(column(page, 'Party & government coordination')).toContainText(title);
			await expect(card(page, title)).toBeFocused();

			await page.keyboard.press('Enter');
			const detail = page.getByTestId('problem-detail');
			await expect(detail).toBeVisible();
			await detail.getByTestId('detail-due').fill('2022-10-14');
			await detail.getByTestId('detail-due').press('Enter');
			await detail.getByRole('button', { name: 'Close' }).first().click();
			await expect(card(page, title)).toContainText('Oct 14, 2022');
		});
	});
}
