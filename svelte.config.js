import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// QD_BUILD_DIR lets parallel work build into a directory of its own (default `build`).
const out = process.env.QD_BUILD_DIR || 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: board data never renders on the server, it lives in Y.Docs in the browser.
		adapter: adapter({ pages: out, assets: out, fallback: 'index.html', strict: true }),
		version: { pollInterval: 0 },
		outDir: out === 'build' ? '.svelte-kit' : `.svelte-kit-${out}`
	}
};

export default config;
