// `npm start`: builds the web app when the build is missing or older than its sources, then runs
// the server (HTTP + sync + SQLite) in this process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'build', 'index.html');

function newestMtime(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json']
	.map((p) => join(root, p))
	.filter(existsSync);
const stale = !existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;

if (stale) {
	console.log('building the web app (vite build)…');
	const result = spawnSync(
		process.execPath,
		[join(root, 'node_modules/vite/bin/vite.js'), 'build'],
		{
			cwd: root,
			stdio: ['ignore', 'inherit', 'inherit']
		}
	);
	if (result.status !== 0) {
		console.error('build failed');
		process.exit(result.status ?? 1);
	}
}

const { register } = await import('tsx/esm/api');
register();
process.chdir(root);
await import(join(root, 'server', 'main.ts'));
