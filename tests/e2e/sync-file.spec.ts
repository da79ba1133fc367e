import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { addProblem, card, expect, openBoard, personContext, test } from './fixtures';
import { ADMIN_PASSWORD } from './people';

/** Opens the header's sync-by-file menu unless it is open. */
async function openMenu(page: Page) {
	const menu = page.getByTestId('sync-file');
	if (!(await menu.evaluate((details) => (details as HTMLDetailsElement).open))) {
		await menu.getByText('按文件同步').click();
	}
}

/** Exports this device's unsynced changes through the header menu; returns the file's path. */
async function exportChanges(page: Page): Promise<string> {
	await openMenu(page);
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: '导出我的更改' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^qingdan-zhangxin-\d{8}-\d{4}\.qdsync$/);
	const path = await file.path();
	await expect(page.getByTestId('sync-file-result')).toContainText('已导出 1 个看板的更改');
	return path;
}

async function importFile(page: Page, path: string) {
	await page.getByTestId('sync-file-input').setInputFiles(path);
}

test('changes carried by file from an offline device merge elsewhere, once, and only where allowed', async ({
	browser
}) => {
	// Several browser contexts and a machine shared with other work: more than the default minute.
	test.setTimeout(120_000);
	const suffix = Date.now().toString(36);
	const first = `文件同步：职工书屋缺书-${suffix}`;
	const second = `文件同步：食堂排队-${suffix}`;

	// Device A has no network at all after opening the board.
	const deviceA = await personContext(browser, 'zhangxin');
	await openBoard(deviceA.page, 'haigang');
	await deviceA.context.setOffline(true);
	await expect(deviceA.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await addProblem(deviceA.page, first);
	const file = await exportChanges(deviceA.page);
	const content = JSON.parse(fs.readFileSync(file, 'utf8'));
	expect(content).toMatchObject({
		format: 'qingdan-changes',
		version: 1,
		exportedBy: { username: 'zhangxin', name: '张鑫' },
		docs: [{ name: 'county.2022.haigang' }]
	});

	// Device B, the same person elsewhere, imports it; it reaches the server and everyone on it.
	const deviceB = await personContext(browser, 'zhangxin');
	const watcher = await personContext(browser, 'wuwei');
	await openBoard(deviceB.page, 'haigang');
	await openBoard(watcher.page, 'haigang');
	await expect(card(deviceB.page, first)).toHaveCount(0);
	await importFile(deviceB.page, file);
	await expect(deviceB.page.getByTestId('sync-file-result')).toHaveText(
		'已合并 1 个看板的修改；其中 1 处为新内容'
	);
	await expect(card(deviceB.page, first)).toBeVisible();
	await expect(card(watcher.page, first)).toBeVisible();
	await expect(deviceB.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	// The same file again changes nothing.
	await importFile(deviceB.page, file);
	await expect(deviceB.page.getByTestId('sync-file-result')).toHaveText(
		'已合并 1 个看板的修改；其中 0 处为新内容'
	);
	await expect(card(deviceB.page, first)).toHaveCount(1);

	// A viewer and another county's user may not write 海港区's board: refused, nothing merged.
	for (const person of ['zhaowenjing', 'jinlongfei'] as const) {
		const other = await personContext(browser, person);
		await openBoard(other.page, 'haigang');
		await openMenu(other.page);
		await importFile(other.page, file);
		await expect(other.page.getByTestId('sync-file-result')).toHaveText(
			'你无权修改「海港区 · 问题清单」，此文件未导入任何内容'
		);
		await other.context.close();
	}

	// A broken file is refused with a plain reason.
	const broken = `${file}.broken`;
	fs.writeFileSync(broken, '{"format":"qingdan-changes",');
	await importFile(deviceB.page, broken);
	await expect(deviceB.page.getByTestId('sync-file-result')).toHaveText(
		'文件内容已损坏或不是清单的更改文件（.qdsync）'
	);

	// A second file, uploaded on the server's admin page, reaches the people online at once.
	await addProblem(deviceA.page, second);
	const secondFile = await exportChanges(deviceA.page);
	const admin = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const adminPage = await admin.newPage();
	await adminPage.goto('/login');
	await adminPage.getByLabel('用户名').fill('admin');
	await adminPage.getByLabel('密码').fill(ADMIN_PASSWORD);
	await adminPage.getByRole('button', { name: '登录' }).click();
	await expect(adminPage.getByTestId('current-user')).toBeVisible();
	await adminPage.goto('/admin/users');
	await adminPage.getByTestId('sync-file-upload').setInputFiles(secondFile);
	await expect(adminPage.getByTestId('sync-file-upload-result')).toHaveText(
		'服务器已合并 1 个看板；其中 1 个有新内容'
	);
	await expect(card(watcher.page, second)).toBeVisible();
	await adminPage.getByTestId('sync-file-upload').setInputFiles(secondFile);
	await expect(adminPage.getByTestId('sync-file-upload-result')).toHaveText(
		'服务器已合并 1 个看板；其中 0 个有新内容'
	);

	// Device A comes back: nothing is doubled.
	await deviceA.context.setOffline(false);
	await expect(deviceA.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved', {
		timeout: 20_000
	});
	for (const page of [deviceA.page, deviceB.page, watcher.page]) {
		await expect(card(page, first)).toHaveCount(1);
		await expect(card(page, second)).toHaveCount(1);
	}

	for (const context of [deviceA.context, deviceB.context, watcher.context, admin]) {
		await context.close();
	}
});
