import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
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

/** Signs in as the administrator and opens the page with the server's file upload. */
async function signInAdmin(admin: BrowserContext): Promise<Page> {
	const page = await admin.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
	await page.goto('/admin/users');
	return page;
}

// A 1×1 PNG; a note after its end makes each photo of a run different bytes (viewers ignore it).
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);
const photo = (note: string) => Buffer.concat([PNG, Buffer.from(note)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Resolves a problem with a photo as evidence, through the problem's detail as a person would. */
async function resolveWithPhoto(page: Page, title: string, name: string, bytes: Buffer) {
	await card(page, title).click();
	const detail = page.getByTestId('problem-detail');
	await detail.getByTestId('action-resolve').click();
	const dialog = page.getByTestId('resolve-dialog');
	await dialog.getByLabel('解决结果').fill('已整改，附照片');
	await dialog.getByLabel('佐证材料').setInputFiles({ name, mimeType: 'image/png', buffer: bytes });
	await expect(dialog).toContainText(name);
	await dialog.getByRole('button', { name: '标记已解决' }).click();
	await expect(detail.getByRole('link', { name: new RegExp(name) })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(detail).toHaveCount(0);
}

/** The server's copy of a photo of 海港区's board, as its evidence link names it. */
const serverCopy = (bytes: Buffer) => `/api/files/${sha256(bytes)}?doc=county.2022.haigang`;

/**
 * Once the server has the photo (it serves exactly its bytes), opens the card's evidence link as
 * a person would, in a new tab, and checks the tab shows the photo.
 */
async function openEvidence(page: Page, title: string, name: string, bytes: Buffer) {
	await expect.poll(async () => (await page.request.get(serverCopy(bytes))).status()).toBe(200);
	const served = await page.request.get(serverCopy(bytes));
	expect(Buffer.from(await served.body())).toEqual(bytes);
	await card(page, title).click();
	const link = page.getByTestId('problem-detail').getByRole('link', { name: new RegExp(name) });
	const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
	await expect(tab.locator('img')).toHaveJSProperty('naturalWidth', 1);
	await tab.close();
	await page.keyboard.press('Escape');
}

test('changes carried by file from an offline device merge elsewhere, once, and only where allowed', async ({
	browser
}) => {
	// Six browser contexts, one after another: more than the default two minutes on two cores.
	test.setTimeout(240_000);
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
		version: 2,
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
	const adminPage = await signInAdmin(admin);
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

test('evidence attached offline travels in the changes file, to another device and to the server', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const suffix = Date.now().toString(36);
	const first = `文件同步附件：职工之家漏水-${suffix}`;
	const second = `文件同步附件：食堂卫生-${suffix}`;
	const firstPhoto = photo(`first ${suffix}`);
	const secondPhoto = photo(`second ${suffix}`);

	// Device A, with no network, resolves a problem with a photo: the photo stays on the device.
	const deviceA = await personContext(browser, 'zhangxin');
	await openBoard(deviceA.page, 'haigang');
	await deviceA.context.setOffline(true);
	await expect(deviceA.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await addProblem(deviceA.page, first);
	await resolveWithPhoto(deviceA.page, first, '漏水整改后.png', firstPhoto);
	const file = await exportChanges(deviceA.page);
	await expect(deviceA.page.getByTestId('sync-file-result')).toContainText('（含 1 个附件）');
	const content = JSON.parse(fs.readFileSync(file, 'utf8'));
	expect(content.attachments).toEqual([
		{
			sha256: sha256(firstPhoto),
			doc: 'county.2022.haigang',
			name: '漏水整改后.png',
			type: 'image/png',
			size: firstPhoto.byteLength,
			data: firstPhoto.toString('base64')
		}
	]);

	// Device B imports it: the problem shows resolved, its photo opens, and reaches the server.
	const deviceB = await personContext(browser, 'zhangxin');
	await openBoard(deviceB.page, 'haigang');
	await openMenu(deviceB.page);
	await importFile(deviceB.page, file);
	await expect(deviceB.page.getByTestId('sync-file-result')).toHaveText(
		'已合并 1 个看板的修改；其中 1 处为新内容；收到 1 个新附件'
	);
	await expect(card(deviceB.page, first)).toContainText('已解决');
	await openEvidence(deviceB.page, first, '漏水整改后.png', firstPhoto);

	// The same file again changes nothing.
	await openMenu(deviceB.page);
	await importFile(deviceB.page, file);
	await expect(deviceB.page.getByTestId('sync-file-result')).toHaveText(
		'已合并 1 个看板的修改；其中 0 处为新内容'
	);

	// A second photo, carried to the server's admin page: a third person then opens it.
	await addProblem(deviceA.page, second);
	await resolveWithPhoto(deviceA.page, second, '食堂.png', secondPhoto);
	const secondFile = await exportChanges(deviceA.page);
	const watcher = await personContext(browser, 'wuwei');
	await openBoard(watcher.page, 'haigang');
	expect((await watcher.page.request.get(serverCopy(secondPhoto))).status()).toBe(404);
	const admin = await browser.newContext({ baseURL: process.env.QD_BASE_URL });
	const adminPage = await signInAdmin(admin);
	await adminPage.getByTestId('sync-file-upload').setInputFiles(secondFile);
	// Device A never came online: its file carries both photos; the server had the first from B.
	await expect(adminPage.getByTestId('sync-file-upload-result')).toHaveText(
		'服务器已合并 1 个看板；其中 1 个有新内容；附件 2 个，其中 1 个为新'
	);
	await expect(card(watcher.page, second)).toContainText('已解决');
	await openEvidence(watcher.page, second, '食堂.png', secondPhoto);

	for (const context of [deviceA.context, deviceB.context, watcher.context, admin]) {
		await context.close();
	}
});

test('evidence imported from a changes file opens on a device with no network, and uploads when it returns', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const suffix = Date.now().toString(36);
	const title = `离线打开附件-${suffix}`;
	const bytes = photo(`offline ${suffix}`);

	const deviceA = await personContext(browser, 'zhangxin');
	await openBoard(deviceA.page, 'haigang');
	await deviceA.context.setOffline(true);
	await expect(deviceA.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await addProblem(deviceA.page, title);
	await resolveWithPhoto(deviceA.page, title, '离线照片.png', bytes);
	const file = await exportChanges(deviceA.page);

	// Device B has no network either when the file arrives.
	const deviceB = await personContext(browser, 'zhangxin');
	await openBoard(deviceB.page, 'haigang');
	await deviceB.context.setOffline(true);
	await expect(deviceB.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await openMenu(deviceB.page);
	await importFile(deviceB.page, file);
	await expect(deviceB.page.getByTestId('sync-file-result')).toContainText('收到 1 个新附件');
	await card(deviceB.page, title).click();
	const link = deviceB.page
		.getByTestId('problem-detail')
		.getByRole('link', { name: /离线照片\.png/ });
	await expect(link).toHaveAttribute('href', /^blob:/);
	const [tab] = await Promise.all([deviceB.context.waitForEvent('page'), link.click()]);
	await expect(tab.locator('img')).toHaveJSProperty('naturalWidth', 1);
	await tab.close();

	// Back online, B uploads the photo: the server serves it to others.
	await deviceB.context.setOffline(false);
	const watcher = await personContext(browser, 'wuwei');
	await expect
		.poll(async () => (await watcher.page.request.get(serverCopy(bytes))).status(), {
			timeout: 20_000
		})
		.toBe(200);

	for (const context of [deviceA.context, deviceB.context, watcher.context]) await context.close();
});

test('a file carries the photos its changes refer to, even uploaded ones, and not older ones', async ({
	browser
}) => {
	const suffix = Date.now().toString(36);
	const earlier = `早已同步的整改-${suffix}`;
	const late = `断网前选的照片-${suffix}`;
	const earlierPhoto = photo(`earlier ${suffix}`);
	const latePhoto = photo(`late ${suffix}`);

	// Online: a problem resolved with a photo, all on the server already.
	const device = await personContext(browser, 'zhangxin');
	await openBoard(device.page, 'haigang');
	await addProblem(device.page, earlier);
	await resolveWithPhoto(device.page, earlier, '早先.png', earlierPhoto);
	await expect(device.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

	// The photo is chosen (and uploaded) online; the network drops before the form is sent.
	await addProblem(device.page, late);
	await card(device.page, late).click();
	await device.page.getByTestId('problem-detail').getByTestId('action-resolve').click();
	const dialog = device.page.getByTestId('resolve-dialog');
	await dialog.getByLabel('解决结果').fill('已整改');
	await dialog
		.getByLabel('佐证材料')
		.setInputFiles({ name: '断网前.png', mimeType: 'image/png', buffer: latePhoto });
	await expect(dialog).toContainText('断网前.png');
	await expect
		.poll(async () => (await device.page.request.get(serverCopy(latePhoto))).status())
		.toBe(200);
	await device.context.setOffline(true);
	await expect(device.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	await dialog.getByRole('button', { name: '标记已解决' }).click();
	await device.page.keyboard.press('Escape');

	const content = JSON.parse(fs.readFileSync(await exportChanges(device.page), 'utf8'));
	expect(content.attachments.map((a: { name: string }) => a.name)).toEqual(['断网前.png']);
	expect(content.attachments[0].data).toBe(latePhoto.toString('base64'));
	await device.context.close();
});
