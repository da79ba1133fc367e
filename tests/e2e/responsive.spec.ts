import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import {
	addProblem,
	card,
	column,
	expect,
	headerControl,
	openBoard,
	signIn,
	test
} from './fixtures';

/** Nothing on the page is wider than the screen: only the row of columns scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
	const widths = await page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		screen: window.innerWidth
	}));
	expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

/** A finger: CDP touch events, so the browser itself turns them into pointer events. */
async function touch(page: Page) {
	const cdp = await page.context().newCDPSession(page);
	const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
		cdp.send('Input.dispatchTouchEvent', {
			type,
			touchPoints: type === 'touchEnd' ? [] : [{ x: Math.round(x), y: Math.round(y) }]
		});
	return {
		async longPress(target: Locator) {
			const box = (await target.boundingBox())!;
			const at = { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 30) };
			await send('touchStart', at.x, at.y);
			// The long press: the card lifts once the finger has rested on it.
			await expect(page.locator('.drag-ghost')).toBeVisible();
			return at;
		},
		async moveTo(x: number, y: number, from: { x: number; y: number }, steps = 8) {
			for (let i = 1; i <= steps; i++) {
				await send(
					'touchMove',
					from.x + ((x - from.x) * i) / steps,
					from.y + ((y - from.y) * i) / steps
				);
			}
		},
		release: () => send('touchEnd')
	};
}

test.describe('on a phone (375 × 812, touch)', () => {
	test.use({ viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true });

	test('the overview and the board fit the screen, with controls big enough for a finger', async ({
		page
	}) => {
		await signIn(page, 'wuwei');
		await page.goto('/c/2022');
		await expect(page.getByTestId('tile-total').first()).toBeVisible();
		await expectNoSidewaysScroll(page);

		await openBoard(page, 'beidaihe');
		await expectNoSidewaysScroll(page);
		// One column at a time, the next one peeking in from the right.
		const first = (await column(page, '待分类').boundingBox())!;
		expect(first.width).toBeGreaterThan(280);
		expect(first.x + first.width).toBeLessThanOrEqual(375);

		const small = await page
			.locator(
				'header button:visible, main button:visible, main select:visible, main input:visible'
			)
			.evaluateAll((elements) =>
				elements
					.map((e) => ({
						text: e.textContent?.trim() || e.getAttribute('aria-label'),
						h: e.getBoundingClientRect().height
					}))
					.filter((e) => e.h < 44)
			);
		expect(small).toEqual([]);

		const { violations } = await new AxeBuilder({ page })
			.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
			.analyze();
		expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
	});

	test('a county officer lands on their board under a one-row header; menus and dialogs fit; hints speak of fingers', async ({
		page
	}) => {
		await signIn(page, 'zhangxin');
		// Their own county's board, not the city-wide overview.
		await expect(page).toHaveURL(/\/c\/2022\/haigang$/);
		await expect(page.getByTestId('board')).toBeVisible();

		const banner = page.getByRole('banner');
		const bar = (await banner.boundingBox())!;
		expect(bar.height).toBeLessThanOrEqual(56);
		expect(bar.width).toBeLessThanOrEqual(375);
		// Brand, saved state and the menu button share the one row.
		for (const part of [
			banner.getByRole('link', { name: /清单/ }),
			page.getByTestId('sync-status'),
			banner.getByRole('button', { name: '菜单' })
		]) {
			const box = (await part.boundingBox())!;
			expect(box.y).toBeGreaterThanOrEqual(bar.y);
			expect(box.y + box.height).toBeLessThanOrEqual(bar.y + bar.height);
			expect(box.x + box.width).toBeLessThanOrEqual(375);
		}
		await expect(banner.getByRole('link', { name: '概览' })).toBeHidden();

		// The menu holds the rest, on the screen, and Escape closes it.
		await expect(await headerControl(page, '退出登录')).toBeVisible();
		await expect(banner.getByRole('button', { name: '菜单' })).toHaveAttribute(
			'aria-expanded',
			'true'
		);
		for (const item of [
			banner.getByRole('link', { name: '概览' }),
			banner.getByRole('link', { name: '本机数据' }),
			banner.getByRole('button', { name: 'English' }),
			banner.getByRole('button', { name: '退出登录' })
		]) {
			await expect(item).toBeVisible();
			const box = (await item.boundingBox())!;
			expect(box.x).toBeGreaterThanOrEqual(0);
			expect(box.x + box.width).toBeLessThanOrEqual(375);
			expect(box.height).toBeGreaterThanOrEqual(44);
		}
		await page.keyboard.press('Escape');
		await expect(banner.getByRole('link', { name: '概览' })).toBeHidden();
		// A link from the menu goes there and closes the menu.
		await banner.getByRole('button', { name: '菜单' }).click();
		await banner.getByRole('link', { name: '概览' }).click();
		await expect(page).toHaveURL(/\/c\/2022$/);
		await expect(banner.getByRole('link', { name: '概览' })).toBeHidden();
		await openBoard(page, 'haigang');

		// Hints for fingers, not keys: no Alt+←/→, no keyboard-shortcut button.
		const main = page.locator('main');
		expect(await main.evaluate((e) => (e as HTMLElement).innerText)).not.toMatch(/Alt\+|按 N/);
		const empty = page.getByTestId('column').filter({ hasText: '暂无问题' });
		if (await empty.count()) await expect(empty.first()).toContainText('长按卡片，拖到这里');
		await expect(page.getByRole('button', { name: /快捷键/ })).toBeHidden();

		// A dialog with a file field fits the screen: 标记为已解决.
		const title = '手机：对话框不超出屏幕';
		await addProblem(page, title);
		await card(page, title).tap();
		const detail = page.getByTestId('problem-detail');
		await detail.getByRole('button', { name: '开始推进' }).tap();
		await detail.getByRole('button', { name: '标记已解决' }).tap();
		const dialog = page.getByRole('dialog', { name: '标记为已解决' });
		await expect(dialog).toBeVisible();
		const box = (await dialog.boundingBox())!;
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(375);
		// Nothing inside reaches past the dialog's own edge (where it would be cut off).
		const overflowing = await dialog.evaluate((d) => {
			const edge = d.getBoundingClientRect().right;
			return [...d.querySelectorAll('*')]
				.filter((e) => e.getBoundingClientRect().right > edge + 0.5)
				.map((e) => e.outerHTML.slice(0, 80));
		});
		expect(overflowing).toEqual([]);
	});

	test('adds a problem, opens it full screen and drags it to another tier with a finger', async ({
		page
	}) => {
		await signIn(page, 'wuwei');
		await openBoard(page, 'beidaihe');
		const title = '手机：园区职工通勤班车不足';
		await addProblem(page, title);

		await card(page, title).tap();
		const detail = page.getByTestId('problem-detail');
		await expect(detail).toBeVisible();
		const panel = (await detail.boundingBox())!;
		expect(Math.round(panel.x)).toBe(0);
		expect(Math.round(panel.width)).toBe(375);
		await detail.getByRole('button', { name: '关闭' }).first().tap();
		await expect(detail).toBeHidden();

		// Long press, then carry the card to the right edge: the row of columns scrolls by itself.
		const finger = await touch(page);
		const start = await finger.longPress(card(page, title));
		const board = page.getByTestId('board');
		await finger.moveTo(362, start.y, start);
		await expect
			.poll(() => board.evaluate((e) => e.scrollLeft), { timeout: 5_000 })
			.toBeGreaterThan(200);
		// Away from the edge the scrolling stops; then into the middle of the column now on
		// screen, and let go there.
		await finger.moveTo(187, start.y, { x: 362, y: start.y }, 4);
		const columns = await page.getByTestId('column').evaluateAll((all) =>
			all.map((c) => {
				const box = c.getBoundingClientRect();
				const left = Math.max(box.left, 0);
				const right = Math.min(box.right, window.innerWidth);
				return {
					name: c.querySelector('h2')!.textContent!,
					x: (left + right) / 2,
					seen: right - left
				};
			})
		);
		const target = columns.find((c) => c.name !== '待分类' && c.seen > 150)!;
		await finger.moveTo(target.x, start.y, { x: 187, y: start.y }, 4);
		await expect(column(page, target.name)).toHaveClass(/drop-here/);
		await finger.release();

		await expect(column(page, target.name)).toContainText(title);
		await expect(column(page, '待分类')).not.toContainText(title);
		await expect(page.locator('.drag-ghost')).toHaveCount(0);
		await expect(page.getByTestId('problem-detail')).toBeHidden();
	});

	test('a quick swipe over a card scrolls instead of dragging', async ({ page }) => {
		await signIn(page, 'wuwei');
		await openBoard(page, 'beidaihe');
		const title = '手机：滑动不是拖动';
		await addProblem(page, title);
		const cdp = await page.context().newCDPSession(page);
		const box = (await card(page, title).boundingBox())!;
		const y = Math.round(box.y + 20);
		await cdp.send('Input.dispatchTouchEvent', {
			type: 'touchStart',
			touchPoints: [{ x: 200, y }]
		});
		for (const x of [185, 165, 140, 110, 80]) {
			await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
		}
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
		await expect(page.locator('.drag-ghost')).toHaveCount(0);
		await expect(column(page, '待分类')).toContainText(title);
	});
});

test.describe('on a projector (1920 × 1080)', () => {
	test.use({ viewport: { width: 1920, height: 1080 } });

	test('all four tiers side by side, nothing to scroll sideways', async ({ page }) => {
		await signIn(page, 'wuwei');
		await openBoard(page, 'beidaihe');
		const boxes = await page
			.getByTestId('column')
			.evaluateAll((columns) => columns.map((c) => c.getBoundingClientRect().toJSON() as DOMRect));
		expect(boxes).toHaveLength(4);
		for (const box of boxes) {
			expect(box.top).toBe(boxes[0]!.top);
			expect(box.width).toBeGreaterThan(380);
			expect(box.right).toBeLessThanOrEqual(1920);
		}
		const board = page.getByTestId('board');
		expect(await board.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
		await expectNoSidewaysScroll(page);
	});
});
