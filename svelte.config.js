import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: board data never renders on the server, it lives in Y.Docs in the browser.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
		version: { pollInterval: 0 }
	}
};

export default config;
