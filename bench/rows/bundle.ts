import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface BundleResult {
	/** Route → the JS files its first load fetches, with their gzipped bytes. */
	routes: {
		route: string;
		files: number;
		gzipBytes: number;
		rawBytes: number;
		/** The five largest files, gzipped: where to look first. */
		largest: { file: string; gzipBytes: number }[];
	}[];
	/** Initial files that look like spreadsheet or chart libraries (should be none). */
	heavyLibraries: string[];
}

/** Static `import … from "x"`, `import "x"` and `export … from "x"`; not `import("x")`. */
const STATIC_IMPORT =
	/(?:^|[;\s}])(?:import|export)\s*(?:[^"'();]*?\s*from\s*)?["']([^"']+\.js)["']/g;
// Signatures of the libraries' code, not words: a message key such as "reviews.xlsx" is not one.
const HEAVY = /SheetJS|ExcelJS|xl\/workbook\.xml|echarts|Chart\.js|chartjs|d3-scale|apexcharts/;

/**
 * Row 8: what a first visit downloads. From `build/index.html`: its modulepreload links and the
 * entry scripts it imports, closed over static imports; plus, per route, the layout and page
 * nodes SvelteKit's router imports for it (read from the app entry's route dictionary) and
 * their static imports. Sizes are each file gzipped at the default level, summed.
 */
export function measureBundle(
	buildDir: string,
	routes = ['/', '/c/[campaign]/[county]']
): BundleResult {
	const html = fs.readFileSync(path.join(buildDir, 'index.html'), 'utf8');
	const entries = new Set<string>();
	for (const [, href] of html.matchAll(/<link href="([^"]+\.js)" rel="modulepreload"/g))
		entries.add(href!);
	for (const [, href] of html.matchAll(/import\("([^"]+\.js)"\)/g)) entries.add(href!);
	const base = [...entries].map((href) => path.resolve(buildDir, `.${href}`));
	const app = base.find((file) => /entry\/app\.[^/]+\.js$/.test(file));
	if (!app) throw new Error('no app entry in build/index.html');
	const appSource = fs.readFileSync(app, 'utf8');
	const nodesDir = path.join(path.dirname(app), '..', 'nodes');
	const nodeFile = (index: number) => {
		const name = fs
			.readdirSync(nodesDir)
			.find((f) => f.startsWith(`${index}.`) && f.endsWith('.js'));
		if (!name) throw new Error(`no node ${index} in ${nodesDir}`);
		return path.resolve(nodesDir, name);
	};
	const result: BundleResult = { routes: [], heavyLibraries: [] };
	for (const route of routes) {
		const nodes = new Set([0, ...routeNodes(appSource, route)]);
		const files = closure([...base, ...[...nodes].map(nodeFile)]);
		let gzipBytes = 0;
		let rawBytes = 0;
		const sizes: { file: string; gzipBytes: number }[] = [];
		for (const file of files) {
			const source = fs.readFileSync(file);
			const gzipped = zlib.gzipSync(source).byteLength;
			rawBytes += source.byteLength;
			gzipBytes += gzipped;
			sizes.push({ file: path.relative(buildDir, file), gzipBytes: gzipped });
			const relative = path.relative(buildDir, file);
			if (HEAVY.test(source.toString()) && !result.heavyLibraries.includes(relative)) {
				result.heavyLibraries.push(relative);
			}
		}
		sizes.sort((a, b) => b.gzipBytes - a.gzipBytes);
		result.routes.push({
			route,
			files: files.size,
			gzipBytes,
			rawBytes,
			largest: sizes.slice(0, 5)
		});
	}
	return result;
}

/**
 * The nodes SvelteKit loads for a route: its entry in the app's route dictionary is
 * `[leaf, layouts?, errors?]` (`~n` marks a node with a server load, none in an SPA); layouts
 * come on top of the root layout, node 0; error pages load only on error.
 */
function routeNodes(appSource: string, route: string): number[] {
	const key = `${JSON.stringify(route)}:[`;
	const start = appSource.indexOf(key);
	if (start < 0) throw new Error(`route ${route} not in the app's route dictionary`);
	let depth = 0;
	let end = start + key.length - 1;
	for (; end < appSource.length; end++) {
		if (appSource[end] === '[') depth++;
		else if (appSource[end] === ']' && --depth === 0) break;
	}
	const text = appSource
		.slice(start + key.length - 1, end + 1)
		.replace(/~/g, '')
		.replace(/\[,/g, '[null,')
		.replace(/,(?=[,\]])/g, ',null');
	const [leaf, layouts] = JSON.parse(text) as [number, (number | null)[]?];
	return [leaf, ...(layouts ?? []).filter((n): n is number => n !== null)];
}

function closure(start: string[]): Set<string> {
	const seen = new Set<string>();
	const queue = [...start];
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		const source = fs.readFileSync(file, 'utf8');
		for (const [, spec] of source.matchAll(STATIC_IMPORT)) {
			if (spec!.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec!));
		}
	}
	return seen;
}
