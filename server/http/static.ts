import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from './security.ts';

const MIME_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.txt': 'text/plain; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.wasm': 'application/wasm'
};

const IMMUTABLE_PREFIX = '/_app/immutable/';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Qingdan</title></head>
<body><h1>The app is not built</h1>
<p>The server is running, but there is no web app to serve. Run <code>npm run build</code> and restart the server.</p>
</body></html>
`;

/** Hashes of the inline `<script>` blocks of an HTML page, for the CSP. */
export function inlineScriptHashes(html: string): string[] {
	const hashes: string[] = [];
	for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
		if (/\bsrc\s*=/i.test(match[1]!)) continue;
		hashes.push(createHash('sha256').update(match[2]!).digest('base64'));
	}
	return hashes;
}

/**
 * The built SvelteKit app: files from the build directory, `index.html` for every other path
 * (the SPA fallback), hashed assets cached forever, everything else revalidated.
 */
export class StaticSite {
	readonly #root: string;
	#csp = contentSecurityPolicy([]);
	#indexMtime = -1;
	#checkedAt = 0;
	readonly #pageCsps = new Map<string, { key: string; csp: string }>();

	constructor(root: string) {
		this.#root = path.resolve(root);
	}

	/** The CSP for the current build; index.html is re-read when it changes. */
	csp(): string {
		const now = Date.now();
		if (now - this.#checkedAt < 1000) return this.#csp;
		this.#checkedAt = now;
		const index = path.join(this.#root, 'index.html');
		let mtime = 0;
		try {
			mtime = fs.statSync(index).mtimeMs;
		} catch {
			mtime = 0;
		}
		if (mtime !== this.#indexMtime) {
			this.#indexMtime = mtime;
			this.#csp = contentSecurityPolicy(
				mtime ? inlineScriptHashes(fs.readFileSync(index, 'utf8')) : []
			);
		}
		return this.#csp;
	}

	#pageCsp(file: string, stat: fs.Stats): string {
		const key = `${stat.size}:${stat.mtimeMs}`;
		const cached = this.#pageCsps.get(file);
		if (cached?.key === key) return cached.csp;
		const csp = contentSecurityPolicy(inlineScriptHashes(fs.readFileSync(file, 'utf8')));
		this.#pageCsps.set(file, { key, csp });
		return csp;
	}

	async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
			res.end('Method not allowed\n');
			return;
		}
		const file = this.#resolve(url.pathname);
		const found = file && (await this.#findFile(file));
		if (found) return this.#send(req, res, found, url.pathname.startsWith(IMMUTABLE_PREFIX));
		if (url.pathname.startsWith('/_app/')) return notFound(res);
		const index = await this.#findFile(path.join(this.#root, 'index.html'));
		if (index) return this.#send(req, res, index, false);
		res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
		res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
	}

	/** The file a URL path names inside the root, or null for anything that could escape it. */
	#resolve(pathname: string): string | null {
		let decoded: string;
		try {
			decoded = decodeURIComponent(pathname);
		} catch {
			return null;
		}
		if (decoded.includes('\0') || decoded.includes('\\')) return null;
		const segments = decoded.split('/').filter(Boolean);
		if (segments.some((s) => s.startsWith('.') && s !== '.well-known')) return null;
		const file = path.resolve(this.#root, ...segments);
		return file === this.#root || file.startsWith(this.#root + path.sep) ? file : null;
	}

	async #findFile(file: string): Promise<{ file: string; stat: fs.Stats } | null> {
		for (const candidate of [file, path.join(file, 'index.html'), `${file}.html`]) {
			if (candidate !== file && !candidate.startsWith(this.#root + path.sep)) continue;
			const stat = await fs.promises.stat(candidate).catch(() => null);
			if (stat?.isFile()) return { file: candidate, stat };
		}
		return null;
	}

	async #send(
		req: IncomingMessage,
		res: ServerResponse,
		{ file, stat }: { file: string; stat: fs.Stats },
		immutable: boolean
	): Promise<void> {
		const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
		const headers = {
			'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
			'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
			ETag: etag,
			'Last-Modified': stat.mtime.toUTCString()
		};
		// An HTML page gets a CSP built from its own inline scripts (prerendered pages differ).
		if (path.extname(file) === '.html')
			res.setHeader('Content-Security-Policy', this.#pageCsp(file, stat));
		if (req.headers['if-none-match'] === etag) {
			res.writeHead(304, headers);
			res.end();
			return;
		}
		res.writeHead(200, { ...headers, 'Content-Length': stat.size });
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		await new Promise<void>((resolve) => {
			const stream = fs.createReadStream(file);
			stream.on('error', () => {
				res.destroy();
				resolve();
			});
			stream.on('end', resolve);
			stream.pipe(res);
		});
	}
}

function notFound(res: ServerResponse): void {
	res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
	res.end('Not found\n');
}
