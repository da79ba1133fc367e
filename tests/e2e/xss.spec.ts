import { ESLint } from 'eslint';
import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, PASSWORD } from './people';
import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';

// Guarantee 17: text people type — titles, descriptions, measures, units, notes and display
// names — is shown as text. Nothing in it runs, in the page of the person who typed it or of
// anyone who sees it later.

const BOARD = 'funing';
const PAYLOADS = [
	'<img src=x onerror="window.__xss=1;alert(1)">',
	'<script>window.__xss=2;alert(2)</script>',
	'javascript:alert(3)',
	'<a href="javascript:alert(4)">点我</a>',
	'"><svg onload=alert(5)>'
];
const NAME = '<img src=x onerror=alert(6)>';

/** Fails the test on any dialog, uncaught error or console error the page produces. */
function watch(page: Page): string[] {
	const trouble: string[] = [];
	page.on('dialog', (dialog) => {
		trouble.push(`dialog: ${dialog.message()}`);
		void dialog.dismiss();
	});
	page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`));
	page.on('console', (message) => {
		// The sign-in page asks /api/me before anyone is signed in: that 401 is expected.
		if (message.type() === 'error' && !/status of 401/.test(message.text())) {
			trouble.push(`console: ${message.text()}`);
		}
	});
	return trouble;
}

/** Nothing injected made it into the DOM as markup, and no script ran. */
async function expectInert(page: Page) {
	const found = await page.evaluate(() => ({
		xss: (window as unknown as { __xss?: number }).__xss ?? null,
		images: document.querySelectorAll('img[src="x"]').length,
		svgs: document.querySelectorAll('svg[onload]').length,
		scripts: [...document.scripts].filter((s) => s.textContent?.includes('__xss')).length,
		links: [...document.querySelectorAll('a[href]')].filter((a) =>
			a.getAttribute('href')!.trim().toLowerCase().startsWith('javascript:')
		).length
	}));
	expect(found).toEqual({ xss: null, images: 0, svgs: 0, scripts: 0, links: 0 });
}

async function signInAs(page: Page, username: string, password: string) {
	await page.goto('/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
}

async function createUser(username: string, displayName: string) {
	const base = process.env.QD_BASE_URL!;
	const login = await fetch(`${base}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD })
	});
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
	const created = await fetch(`${base}/api/users`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, origin: base },
		body: JSON.stringify({ username, displayName, role: 'city', password: PASSWORD })
	});
	expect([201, 409]).toContain(created.status);
}

test('script in titles, notes and names is shown as text and never runs', async ({ browser }) => {
	await createUser('xss-author', NAME);
	const author = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const page = await author.newPage();
	const trouble = watch(page);
	await signInAs(page, 'xss-author', PASSWORD);
	await expect(page.getByTestId('current-user')).toContainText(NAME);
	await openBoard(page, BOARD);

	const title = `注入测试 ${PAYLOADS[0]}`;
	await addProblem(page, title);
	await card(page, title).click();
	const detail = page.getByTestId('problem-detail');
	await detail.getByTestId('description').fill(PAYLOADS.join('\n'));
	for (const [field, payload] of [
		['detail-owner', PAYLOADS[1]!],
		['detail-assignee', PAYLOADS[2]!]
	] as const) {
		await detail.getByTestId(field).fill(payload);
		await detail.getByTestId(field).press('Enter');
	}
	for (const payload of [PAYLOADS[3]!, PAYLOADS[4]!]) {
		await detail.getByPlaceholder('添加一条举措，回车确认').fill(payload);
		await detail.getByPlaceholder('添加一条举措，回车确认').press('Enter');
	}
	await detail.getByPlaceholder('记录一条进展，回车保存').fill(PAYLOADS[1]!);
	await detail.getByPlaceholder('记录一条进展，回车保存').press('Enter');
	await expect(detail.getByTestId('history')).toContainText(`${NAME}：${PAYLOADS[1]}`);
	await expect(detail.getByRole('checkbox', { name: PAYLOADS[3]!, exact: true })).toBeVisible();
	await expectInert(page);

	// Someone else opens the same board and the same card: still text, still inert.
	const reader = await personContext(browser, 'zhaowenjing');
	const readerTrouble = watch(reader.page);
	await openBoard(reader.page, BOARD);
	await expect(reader.page.getByTestId('presence')).toContainText(NAME);
	await expect(card(reader.page, title)).toContainText(PAYLOADS[0]!);
	await card(reader.page, title).click();
	const seen = reader.page.getByTestId('problem-detail');
	await expect(seen.getByTestId('description')).toHaveValue(PAYLOADS.join('\n'));
	await expect(seen.getByTestId('history')).toContainText(NAME);
	await expectInert(reader.page);
	// The overview and the users page show names and titles too.
	await reader.page.goto('/c/2022');
	await expectInert(reader.page);
	const admin = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const adminPage = await admin.newPage();
	const adminTrouble = watch(adminPage);
	await signInAs(adminPage, 'admin', ADMIN_PASSWORD);
	await adminPage.goto('/admin/users');
	await expect(adminPage.getByText(NAME)).toBeVisible();
	await expectInert(adminPage);

	expect([...trouble, ...readerTrouble, ...adminTrouble]).toEqual([]);
	await author.close();
	await reader.context.close();
	await admin.close();
});

test('ESLint refuses {@html} in components', async () => {
	const eslint = new ESLint({ cwd: process.cwd() });
	const [result] = await eslint.lintText(
		'<script lang="ts">\n\tlet { text }: { text: string } = $props();\n</script>\n\n<p>{@html text}</p>\n',
		{ filePath: 'src/lib/components/ProblemCard.svelte' }
	);
	expect(result!.messages.map((m) => `${m.ruleId}: ${m.severity}`)).toContain(
		'svelte/no-at-html-tags: 2'
	);
});
