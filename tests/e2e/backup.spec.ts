import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from './people';
import { startServer, type RunningServer } from './server';

const NEW_ADMIN_PASSWORD = 'new-server-admin-2022';
let source: RunningServer;
let target: RunningServer;

test.beforeAll(async () => {
	// Two servers of their own: one with work on it, one just set up, each with its data dir.
	[source, target] = await Promise.all([
		startServer({ QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD }),
		startServer({ QINGDAN_ADMIN_PASSWORD: NEW_ADMIN_PASSWORD })
	]);
});
test.afterAll(async () => {
	await Promise.all([source?.stop(), target?.stop()]);
});

async function adminPage(browser: Browser, server: RunningServer, password: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: server.baseURL, acceptDownloads: true });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
	return page;
}

async function addProblem(page: Page, title: string) {
	const input = page.getByPlaceholder('问题标题，回车添加');
	await page.getByRole('button', { name: '添加问题' }).first().click();
	await input.fill(title);
	await input.press('Enter');
	await expect(page.getByTestId('problem-card').filter({ hasText: title })).toBeVisible();
}

test('an administrator downloads a full backup and restores it into a new server from the admin page', async ({
	browser
}) => {
	const old = await adminPage(browser, source, ADMIN_PASSWORD);
	await old.goto('/c/2022/haigang');
	await addProblem(old, '备份：职工之家建设滞后');
	await addProblem(old, '备份：Union dues backlog');
	await expect(old.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	await old.goto('/admin/users');
	await old.getByTestId('backup-link').click();
	await expect(old.getByRole('heading', { name: '备份与恢复', level: 1 })).toBeVisible();
	const { violations } = await new AxeBuilder({ page: old })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(
		violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
	).toEqual([]);
	const downloading = old.waitForEvent('download');
	await old.getByTestId('backup-download').click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^qingdan-backup-\d{8}-\d{4}\.qdbackup$/);
	const file = await download.path();

	const fresh = await adminPage(browser, target, NEW_ADMIN_PASSWORD);
	// The new server's overview opened its seeded campaign in this browser before the restore.
	await expect(fresh.getByTestId('county-tile')).toHaveCount(7);
	await fresh.goto('/admin/backup');
	// A file that is not a backup is refused with a plain message.
	await fresh.getByLabel('备份文件').setInputFiles({
		name: 'notes.qdbackup',
		mimeType: 'application/octet-stream',
		buffer: Buffer.from('not a backup')
	});
	fresh.once('dialog', (dialog) => void dialog.accept());
	await fresh.getByRole('button', { name: '从备份恢复' }).click();
	await expect(fresh.getByRole('alert')).toContainText('未恢复：这不是完整有效的备份文件');

	await fresh.getByLabel('备份文件').setInputFiles(file);
	fresh.once('dialog', (dialog) => void dialog.accept());
	await fresh.getByRole('button', { name: '从备份恢复' }).click();
	await expect(fresh.getByTestId('county-tile')).toHaveCount(7, { timeout: 20_000 });

	await fresh.goto('/c/2022/haigang');
	const cards = fresh.getByTestId('problem-card');
	await expect(cards.filter({ hasText: '备份：职工之家建设滞后' })).toBeVisible();
	await expect(cards.filter({ hasText: '备份：Union dues backlog' })).toBeVisible();
	await expect(cards).toHaveCount(2);

	// The backup's administrator signs in with the old password on the new server.
	const restored = await adminPage(browser, target, ADMIN_PASSWORD);
	await restored.goto('/c/2022/haigang');
	await expect(restored.getByTestId('problem-card')).toHaveCount(2);

	// A second restore is refused: the server is no longer fresh.
	await fresh.goto('/admin/backup');
	await fresh.getByLabel('备份文件').setInputFiles(file);
	fresh.once('dialog', (dialog) => void dialog.accept());
	await fresh.getByRole('button', { name: '从备份恢复' }).click();
	await expect(fresh.getByRole('alert')).toContainText('未恢复：这台服务器上已经有人工作过');
});
