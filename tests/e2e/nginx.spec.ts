import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { addProblem, card, column, expect, test } from './fixtures';
import { ADMIN_PASSWORD } from './people';
import { startServer, type RunningServer } from './server';

/**
 * The deployment of docs/deploy.md, for real: Debian's nginx with the site file of
 * deploy/nginx/qingdan.conf (only its names, ports and certificate paths filled in), a
 * self-signed certificate, and the server behind it with PUBLIC_URL and TRUST_PROXY.
 */

function nginxPath(): string | null {
	for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
		if (fs.existsSync(candidate)) return candidate;
	}
	return null;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

async function untilListening(port: number, output: () => string): Promise<void> {
	await expect
		.poll(
			() =>
				new Promise<boolean>((resolve) => {
					const socket = net.connect(port, '127.0.0.1');
					socket.once('connect', () => (socket.destroy(), resolve(true)));
					socket.once('error', () => resolve(false));
				}),
			{ timeout: 15_000, message: `nginx to listen on ${port}:\n${output()}` }
		)
		.toBe(true);
}

/** The site file as an IT person would adapt it, and an nginx.conf around it. */
function configure(dir: string, ports: { http: number; https: number; app: number }): string {
	const site = fs
		.readFileSync(path.resolve('deploy/nginx/qingdan.conf'), 'utf8')
		.replaceAll('qingdan.example.gov.cn', 'localhost')
		.replace('listen 80;', `listen 127.0.0.1:${ports.http};`)
		.replace('listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`)
		// No IPv6 in every container.
		.replace(/^\s*listen \[::\]:.*$/gm, '')
		.replace('/etc/ssl/qingdan/fullchain.pem', path.join(dir, 'cert.pem'))
		.replace('/etc/ssl/qingdan/privkey.pem', path.join(dir, 'key.pem'))
		.replace('server 127.0.0.1:3000;', `server 127.0.0.1:${ports.app};`);
	fs.writeFileSync(path.join(dir, 'qingdan.conf'), site);
	const temp = (name: string) => {
		const where = path.join(dir, name);
		fs.mkdirSync(where, { mode: 0o777 });
		fs.chmodSync(where, 0o777);
		return where;
	};
	const conf = `
worker_processes 1;
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
	access_log ${path.join(dir, 'access.log')};
	client_body_temp_path ${temp('body')};
	proxy_temp_path ${temp('proxy')};
	fastcgi_temp_path ${temp('fastcgi')};
	uwsgi_temp_path ${temp('uwsgi')};
	scgi_temp_path ${temp('scgi')};
	include ${path.join(dir, 'qingdan.conf')};
}
`;
	fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'2',
			'-subj',
			'/CN=localhost',
			'-addext',
			'subjectAltName=DNS:localhost',
			'-keyout',
			path.join(dir, 'key.pem'),
			'-out',
			path.join(dir, 'cert.pem')
		],
		{ stdio: 'ignore' }
	);
	return path.join(dir, 'nginx.conf');
}

const NGINX = nginxPath();

test.describe('behind real nginx with HTTPS', () => {
	test.skip(!NGINX, 'nginx is not installed (apt-get install nginx; .ci/run does this)');

	let dir: string;
	let nginx: ChildProcess;
	let server: RunningServer;
	let origin: string;
	let httpPort: number;
	let nginxOutput = '';

	test.beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-nginx-'));
		fs.chmodSync(dir, 0o755);
		httpPort = await freePort();
		const httpsPort = await freePort();
		origin = `https://localhost:${httpsPort}`;
		server = await startServer({
			QINGDAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
			PUBLIC_URL: origin,
			TRUST_PROXY: '1'
		});
		const app = Number(new URL(server.baseURL).port);
		const conf = configure(dir, { http: httpPort, https: httpsPort, app });
		execFileSync(NGINX!, ['-t', '-c', conf, '-p', dir], { stdio: 'pipe' });
		nginx = spawn(NGINX!, ['-c', conf, '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
		nginx.stdout!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
		nginx.stderr!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
		await untilListening(httpsPort, () => nginxOutput);
	});

	test.afterAll(async () => {
		nginx?.kill('SIGQUIT');
		await server?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	test('signs in over HTTPS with a Secure cookie, and two people edit one board live over wss', async ({
		browser
	}) => {
		// Plain HTTP is sent to HTTPS.
		const plain = await fetch(`http://127.0.0.1:${httpPort}/login`, { redirect: 'manual' });
		expect(plain.status).toBe(301);
		expect(plain.headers.get('location')).toBe('https://127.0.0.1/login');

		const people = [];
		for (let i = 0; i < 2; i++) {
			const context = await browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true });
			const page = await context.newPage();
			const sockets: string[] = [];
			page.on('websocket', (ws) => sockets.push(ws.url()));
			await page.goto('/login');
			await page.getByLabel('用户名').fill('admin');
			await page.getByLabel('密码').fill(ADMIN_PASSWORD);
			await page.getByRole('button', { name: '登录' }).click();
			await expect(page.getByTestId('current-user')).toContainText('管理员');
			const session = (await context.cookies()).find((c) => c.name === 'qd_session');
			expect(session?.secure).toBe(true);
			expect(session?.httpOnly).toBe(true);
			await page.goto('/c/2022/haigang');
			await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
			expect(sockets.length).toBeGreaterThan(0);
			for (const url of sockets) expect(url.startsWith(`wss://localhost:`)).toBe(true);
			people.push({ context, page });
		}
		const [first, second] = people as [(typeof people)[0], (typeof people)[0]];

		const title = '经 nginx：职工书屋图书更新';
		await addProblem(first.page, title);
		// The other person sees it arrive through the proxy's WebSocket, without a reload.
		await expect(card(second.page, title)).toBeVisible();
		await expect(first.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

		// And it is stored: a reload through nginx brings it back from the server.
		await second.page.reload();
		await expect(column(second.page, '待分类')).toContainText(title);

		// The sync went through nginx (its access log has the WebSocket requests).
		expect(fs.readFileSync(path.join(dir, 'access.log'), 'utf8')).toMatch(/GET \/sync\//);
		for (const person of people) await person.context.close();
	});
});
