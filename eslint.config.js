import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'build-*/',
			'.svelte-kit-*/',
			'test-results-*/',
			'.svelte-kit/',
			'data/',
			'test-results/',
			'playwright-report/',
			'.tmp/',
			'src/lib/paraglide/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			// User text must never be rendered as HTML.
			'svelte/no-at-html-tags': 'error',
			// The app is always served at the origin's root (its API, sync and service worker live
			// there too), so there is no base path for resolve() to add.
			'svelte/no-navigation-without-resolve': 'off',
			// Reactive state here holds immutable snapshots replaced whole ($state.raw), built from
			// plain Maps and Sets on purpose; Dates are only formatted, never observed.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		// Playwright fixtures must destructure their first argument, even when they use nothing.
		files: ['tests/e2e/**/*.ts'],
		rules: { 'no-empty-pattern': 'off' }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	}
);
