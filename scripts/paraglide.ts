import type { CompilerOptions } from '@inlang/paraglide-js';

/**
 * How messages/*.json compile into typed message functions in src/lib/paraglide (generated, not
 * committed). Used by the Vite plugin (dev, build, Vitest) and by `npm run check`, which has no
 * Vite to do it (scripts/compile-messages.ts).
 */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	// A single-page app: the locale is each person's choice, remembered in this browser.
	// No URL or cookie locales, and Chinese until someone switches.
	strategy: ['localStorage', 'baseLocale'],
	localStorageKey: 'qingdan.locale'
} satisfies CompilerOptions;
