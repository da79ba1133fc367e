import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addProblem, card, expect, openBoard, signIn, test } from './fixtures';
import { ADMIN_PASSWORD } from './people';

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function seriousViolations(page: Page) {
	const { violations } = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({
			rule: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
		}));
}

async function expectAccessible(page: Page) {
	expect.soft(await seriousViolations(page)).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
	test.describe(`every main screen passes axe (${colorScheme} theme)`, () => {
		test.use({ colorScheme });

		test('sign-in page', async ({ page }) => {
			await page.goto('/login');
			await expect(page.getByLabel('用户名')).toBeVisible();
			await expectAccessible(page);
		});

		test('overview, board, detail panel and shortcuts', async ({ page }) => {
			await signIn(page, 'zhangxin');
			await page.goto('/c/2022');
			await expect(page.getByTestId('tile-total').first()).toBeVisible();
			await expectAccessible(page);

			await openBoard(page, 'haigang');
			await addProblem(page, `无障碍：职工书屋开放时间短 ${colorScheme}`);
			await expectAccessible(page);

			await card(page, `无障碍：职工书屋开放时间短 ${colorScheme}`).click();
			await expect(page.getByTestId('problem-detail')).toBeVisible();
			await expectAccessible(page);
			await page.keyboard.press('Escape');

			await page.getByRole('button', { name: '快捷键' }).click();
			await expect(page.getByRole('dialog')).toBeVisible();
			await expectAccessible(page);
			await page.keyboard.press('Escape');

			await page.goto('/c/2022/ledger');
			await expect(page.getByRole('heading', { level: 1 })).toContainText('问题台账');
			await expect(page.getByText(`无障碍：职工书屋开放时间短 ${colorScheme}`)).toBeVisible();
			await expectAccessible(page);
		});

		test('users page for the administrator', async ({ page }) => {
			await page.goto('/login');
			await page.getByLabel('用户名').fill('admin');
			await page.getByLabel('密码').fill(ADMIN_PASSWORD);
			await page.getByRole('button', { name: '登录' }).click();
			await expect(page.getByTestId('current-user')).toBeVisible();
			await page.goto('/admin/users');
			await expect(page.getByRole('heading', { name: '用户管理' })).toBeVisible();
			await expectAccessible(page);
		});
	});
}
