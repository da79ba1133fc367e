// `npm run screenshots`: fills a temporary data directory with the demo, starts the real server
// and takes the screenshots in docs/screenshots with Debian's Chromium.
import { chromium, type Page } from '@playwright/test';
import { execFileSync, execSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-shots-'));
const outDir = 'docs/screenshots';
mkdirSync(outDir, { recursive: true });
const env = {
	...process.env,
	DATA_DIR: dataDir,
	PORT: '0',
	STATIC_DIR: process.env.QD_BUILD_DIR || 'build'
};

execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts'], {
	env,
	stdio: 'inherit'
});
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
	env,
	stdio: ['ignore', 'pipe', 'inherit']
});
const baseURL = await new Promise<string>((resolve, reject) => {
	let out = '';
	server.stdout.on('data', (chunk: Buffer) => {
		out += chunk.toString();
		const match = /listening (http:\/\/[^\s"]+)/.exec(out);
		if (match) resolve(match[1]!.replace(/\/$/, ''));
	});
	server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
server.stdout.resume();

const executablePath =
	process.env.CHROMIUM_PATH ||
	execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim();
const browser = await chromium.launch({
	executablePath,
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
});

async function signedIn(width: number, height: number, username: string): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		viewport: { width, height },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		deviceScaleFactor: 1
	});
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill('qingdan-demo');
	await page.getByRole('button', { name: '登录' }).click();
	await page.getByTestId('current-user').waitFor();
	return page;
}

async function board(page: Page, county: string) {
	await page.goto(`/c/2022/${county}`);
	await page.getByTestId('problem-card').first().waitFor();
	await page.waitForFunction(
		() =>
			document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === 'saved'
	);
}

try {
	const desk = await signedIn(1440, 900, 'wuwei');
	await desk.goto('/c/2022');
	await desk.getByTestId('tile-total').first().waitFor();
	await desk.waitForTimeout(500);
	await desk.screenshot({ path: join(outDir, 'overview.png') });
	await board(desk, 'haigang');
	await desk.screenshot({ path: join(outDir, 'board.png') });
	await desk.getByTestId('problem-card').filter({ hasText: '工人文化宫' }).click();
	await desk.getByTestId('problem-detail').waitFor();
	await desk.screenshot({ path: join(outDir, 'detail.png') });
	// The bin: a problem deleted from the board, with who and when, restorable by the city.
	await desk.getByTestId('detail-delete').click();
	await desk.getByRole('dialog').getByRole('button', { name: '删除' }).click();
	await desk.keyboard.press('b');
	await desk.getByTestId('bin-entry').first().waitFor();
	await desk.screenshot({ path: join(outDir, 'bin.png') });
	await desk.getByTestId('bin-entry').first().getByRole('button').click();
	await desk.keyboard.press('Escape');

	await desk.goto('/c/2022/ledger');
	await desk.getByTestId('ledger-row').first().waitFor();
	await desk.screenshot({ path: join(outDir, 'ledger.png') });
	// The ledger as the office files it: a sample .xlsx, exported exactly as a person would.
	const download = desk.waitForEvent('download');
	await desk.getByRole('button', { name: '导出 Excel' }).click();
	await (await download).saveAs('docs/ledger-sample.xlsx');
	await desk.goto('/c/2022/visits');
	await desk.getByTestId('visit').first().waitFor();
	await desk.screenshot({ path: join(outDir, 'visits.png') });

	// The dashboard, and a review printed to PDF as the campaign office would for a meeting.
	await desk.goto('/c/2022');
	const dashboard = desk.getByTestId('dashboard');
	await dashboard.locator('[data-testid="dash-total"] strong', { hasText: /[1-9]/ }).waitFor();
	const box = (await dashboard.boundingBox())!;
	await desk.screenshot({
		path: join(outDir, 'dashboard.png'),
		fullPage: true,
		clip: { x: 0, y: 0, width: 1440, height: box.y + box.height + 16 }
	});
	await desk.goto('/c/2022/reviews');
	const create = desk.getByTestId('create-review').getByRole('button', { name: '生成快照' });
	await desk.waitForFunction(
		() =>
			!document.querySelector<HTMLButtonElement>('[data-testid="create-review"] button')?.disabled
	);
	await create.click();
	await desk.getByTestId('review-title').waitFor();
	await desk.emulateMedia({ media: 'print' });
	await desk.pdf({
		path: 'docs/review-sample.pdf',
		preferCSSPageSize: true,
		printBackground: true
	});
	await desk.emulateMedia({ media: 'screen' });
	await desk.screenshot({ path: join(outDir, 'review.png') });

	const wide = await signedIn(1920, 1080, 'chenjing');
	await board(wide, 'qinglong');
	await wide.screenshot({ path: join(outDir, 'board-1920.png') });
	// Meeting mode at a 双月调度: the open problems, one county per page, on the projector.
	await wide.goto('/c/2022/ledger?open=1');
	await wide.getByTestId('ledger-row').first().waitFor();
	await wide.getByRole('button', { name: '会议模式' }).click();
	await wide.getByTestId('meeting-card').first().waitFor();
	await wide.screenshot({ path: join(outDir, 'meeting-1920.png') });

	const phone = await signedIn(375, 812, 'zhangxin');
	await board(phone, 'haigang');
	await phone.screenshot({ path: join(outDir, 'board-375.png') });
	console.log(`screenshots written to ${outDir}`);
} finally {
	await browser.close();
	server.kill('SIGTERM');
	await new Promise((resolve) => server.once('exit', resolve));
	rmSync(dataDir, { recursive: true, force: true });
}
