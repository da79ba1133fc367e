import type { Page } from '@playwright/test';
import { SEED_COUNTIES, SEED_META } from '../../src/lib/domain/campaign';
import { SEED_INDICATORS, SEED_MEMBERS, SEED_MILESTONES } from '../../src/lib/domain/campaign-seed';
import { initialsOf } from '../../src/lib/domain/people';
import { card, column, expect, headerControl, openBoard, signIn, test } from './fixtures';
import { serverWithPeople } from './own-server';
import { ADMIN_PASSWORD, USERS } from './people';
import { startServer, type RunningServer } from './server';

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

/** Every piece of text the seeded campaign holds: its county names, people, posts, indicators… */
function seededTexts(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(seededTexts);
	if (value && typeof value === 'object') return Object.values(value).flatMap(seededTexts);
	return [];
}

/**
 * Chinese a person may meet on an English screen: names and records the data holds (counties,
 * people and their posts, the plan's indicators and calendar, the campaign's name), the display
 * names of the accounts (the administrator the server creates is called 管理员), and the switch
 * back to Chinese. Whatever else is Chinese is interface text left untranslated.
 */
const PROPER_NAMES = [
	...seededTexts([SEED_COUNTIES, SEED_META, SEED_MEMBERS, SEED_INDICATORS, SEED_MILESTONES]),
	...[...Object.values(USERS).map((user) => user.displayName), '管理员'].flatMap((name) => [
		name,
		initialsOf(name),
		initialsOf(name, true)
	]),
	'中文'
]
	.filter((text) => /\p{Script=Han}/u.test(text))
	.sort((a, b) => b.length - a.length);

interface ScreenReport {
	pageOverflow: number;
	overflowing: string[];
	chinese: string[];
}

/**
 * What a person would find wrong on the screen shown: the page scrolling sideways; an element of
 * the page wider than the box that holds it (text running out of a card, a table's wrapper that
 * has to scroll sideways at desktop width, a clipped box cutting its content off); and Chinese
 * text outside the proper names.
 */
function inspectScreen(page: Page, allowScrolling: boolean): Promise<ScreenReport> {
	return page.evaluate(
		({ names, allowScrolling }) => {
			const describe = (el: Element) => {
				const id = el.getAttribute('data-testid');
				const cls = typeof el.className === 'string' ? el.className.split(' ')[0] : '';
				const text = (el.textContent ?? '').trim().slice(0, 40);
				return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : cls ? `.${cls}` : ''} “${text}”`;
			};
			const root = document.documentElement;
			const overflowing: string[] = [];
			// Visually hidden text (1 px, for screen readers) is not on screen to overflow anything.
			const visible = (el: Element) => {
				const box = el.getBoundingClientRect();
				return box.width > 1 && box.height > 1;
			};
			// A field scrolls its own text: that is how inputs work, not an overflow.
			const FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
			for (const el of document.body.querySelectorAll('*')) {
				if (!(el instanceof HTMLElement) || !visible(el) || FIELDS.has(el.tagName)) continue;
				const style = getComputedStyle(el);
				if (style.position === 'fixed' && el.closest('[role=dialog], dialog') === null) continue;
				// Deliberate truncation with an ellipsis shows that it is cut.
				if (style.textOverflow === 'ellipsis') continue;
				const sideways = el.scrollWidth - el.clientWidth;
				if (style.overflowX === 'hidden' || style.overflowX === 'clip') {
					if (sideways > 1 && el.tagName !== 'BODY' && el.tagName !== 'HTML')
						overflowing.push(`clipped by ${sideways}px: ${describe(el)}`);
				} else if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
					if (sideways > 1 && !allowScrolling)
						overflowing.push(`scrolls sideways by ${sideways}px: ${describe(el)}`);
				}
				// Wider than the viewport: it runs off the screen whatever holds it.
				const box = el.getBoundingClientRect();
				let clipped = false;
				for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
					const overflow = getComputedStyle(up).overflowX;
					if (overflow !== 'visible') {
						clipped = true;
						break;
					}
				}
				if (!clipped && box.right > root.clientWidth + 1)
					overflowing.push(
						`runs ${Math.round(box.right - root.clientWidth)}px off the screen: ${describe(el)}`
					);
			}
			let text = document.body.innerText;
			for (const name of names) text = text.split(name).join(' ');
			const chinese = [...text.matchAll(/[^\n]{0,20}\p{Script=Han}[^\n]{0,20}/gu)].map((m) => m[0]);
			return {
				pageOverflow: root.scrollWidth - root.clientWidth,
				overflowing: [...new Set(overflowing)].slice(0, 20),
				chinese: [...new Set(chinese)].slice(0, 20)
			};
		},
		{ names: PROPER_NAMES, allowScrolling }
	);
}

async function expectScreenInEnglish(page: Page, screen: string, phone: boolean) {
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	const report = await inspectScreen(page, phone);
	expect.soft(report.pageOverflow, `${screen}: the page scrolls sideways`).toBeLessThanOrEqual(0);
	expect.soft(report.overflowing, `${screen}: wider than its box`).toEqual([]);
	expect.soft(report.chinese, `${screen}: Chinese outside proper names`).toEqual([]);
}

for (const viewport of [
	{ name: 'desktop', width: 1440, height: 900, phone: false },
	{ name: 'phone', width: 375, height: 812, phone: true }
]) {
	test.describe(`every screen in English (${viewport.name})`, () => {
		test.use({
			viewport: { width: viewport.width, height: viewport.height },
			hasTouch: viewport.phone,
			isMobile: viewport.phone
		});
		let server: RunningServer;
		let fresh: RunningServer;
		test.beforeAll(async () => {
			// Servers of this test's own: what is on screen is the seeded campaign and what the test adds.
			[server, fresh] = await Promise.all([serverWithPeople(), startServer()]);
		});
		test.afterAll(async () => Promise.all([server?.stop(), fresh?.stop()]));

		test('fits the screen and speaks English outside proper names', async ({ browser }) => {
			test.setTimeout(300_000);
			const context = await browser.newContext({ baseURL: server.baseURL });
			const page = await context.newPage();
			await page.goto('/login');
			await page.getByLabel('用户名').fill('admin');
			await page.getByLabel('密码').fill(ADMIN_PASSWORD);
			await page.getByRole('button', { name: '登录' }).click();
			await expect(page).not.toHaveURL(/\/login/);
			await switchToEnglish(page);

			const screens: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
				{ name: 'overview', path: '/c/2022', ready: heading('Overview') },
				{
					name: 'board',
					path: '/c/2022/beidaihe',
					ready: async (p) => void (await expect(p.getByTestId('board')).toBeVisible())
				},
				{ name: 'ledger table', path: '/c/2022/ledger', ready: heading('Problem ledger') },
				{
					name: 'ledger by tier',
					path: '/c/2022/ledger?view=tier',
					ready: heading('Problem ledger')
				},
				{
					name: 'ledger by status',
					path: '/c/2022/ledger?view=status',
					ready: heading('Problem ledger')
				},
				{
					name: 'ledger calendar',
					path: '/c/2022/ledger?view=calendar',
					ready: heading('Problem ledger')
				},
				{ name: 'visits', path: '/c/2022/visits', ready: heading('Research visits') },
				{ name: 'pairing', path: '/c/2022/pairing', ready: heading('Pairing and leadership') },
				{
					name: 'goals',
					path: '/c/2022/goals',
					ready: async (p) =>
						void (await expect(p.getByTestId('indicator-table').first()).toBeVisible())
				},
				{ name: 'reviews', path: '/c/2022/reviews', ready: heading('Reviews and summaries') },
				{ name: 'calendar', path: '/c/2022/calendar', ready: heading('Campaign calendar') },
				{ name: 'practices', path: '/c/2022/practices', ready: heading('Good practices') },
				{
					name: 'recommendations',
					path: '/c/2022/recommendations',
					ready: heading('Policy recommendations')
				},
				{ name: 'device', path: '/device', ready: heading('This device') },
				{ name: 'users', path: '/admin/users', ready: heading('Users') },
				{ name: 'backup', path: '/admin/backup', ready: heading('Backup and restore') }
			];
			for (const screen of screens) {
				await page.goto(screen.path);
				await screen.ready(page);
				await expectScreenInEnglish(page, screen.name, viewport.phone);
			}

			// A problem's detail panel, on a problem the test lists in English.
			await page.goto('/c/2022/beidaihe');
			await addProblemInEnglish(
				page,
				`Sweep ${viewport.name}: no hot water in the workers' rest station`
			);
			await card(page, `Sweep ${viewport.name}: no hot water in the workers' rest station`).click();
			await expect(page.getByTestId('problem-detail')).toBeVisible();
			await expectScreenInEnglish(page, 'detail panel', viewport.phone);

			// A review of the period, made here.
			await page.goto('/c/2022/reviews');
			await page
				.getByTestId('create-review')
				.getByRole('button', { name: 'Take snapshot' })
				.click();
			await expect(page.getByTestId('review')).toBeVisible();
			await expectScreenInEnglish(page, 'a review', viewport.phone);
			await context.close();

			// Signed out, with English remembered in the browser: sign-in, and first start.
			for (const [target, path, title] of [
				[server, '/login', 'Sign in to Qingdan'],
				[fresh, '/setup', 'Create the administrator']
			] as const) {
				const visitor = await browser.newContext({ baseURL: target.baseURL });
				await visitor.addInitScript(() => localStorage.setItem('qingdan.locale', 'en'));
				const signedOut = await visitor.newPage();
				await signedOut.goto(path);
				await expect(signedOut.getByRole('heading', { name: title })).toBeVisible();
				await expectScreenInEnglish(signedOut, path, viewport.phone);
				await visitor.close();
			}
		});
	});
}

/** Waits for the screen's main heading. */
const heading = (name: string) => async (page: Page) =>
	void (await expect(page.getByRole('heading', { level: 1 }).first()).toContainText(name));
