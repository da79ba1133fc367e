import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './scripts/paraglide';

export default defineConfig({
	plugins: [paraglideVitePlugin(paraglideOptions), sveltekit()],
	server: {
		// `npm run dev` talks to a server started with `npm run server` (port 3000).
		proxy: {
			'/api': 'http://127.0.0.1:3000',
			'/sync': { target: 'ws://127.0.0.1:3000', ws: true }
		}
	},
	test: {
		// Most server tests wait on a child server process or the disk, not the CPU: two files at
		// a time on a two-core machine halves the run without crowding the timing checks.
		maxWorkers: 2,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'server',
					include: ['tests/server/**/*.test.ts'],
					exclude: ['tests/server/alone/**'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				// Measurements of the server's event loop (holds ≤ 100 ms, issue 14): `npm test` runs
				// them on their own after the other unit and server tests, so the other test files'
				// servers do not take the two cores they are measured on.
				extends: true,
				test: {
					name: 'server-alone',
					include: ['tests/server/alone/**/*.test.ts'],
					environment: 'node',
					fileParallelism: false,
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				// The long fault and abuse runs (`npm run test:faults`); not part of `npm test`, which
				// runs the short versions in tests/unit and tests/server.
				extends: true,
				test: {
					name: 'faults',
					include: ['tests/faults/**/*.test.ts'],
					environment: 'node',
					// One file at a time: the responsiveness checks should measure the server, not
					// the other runs competing for the same cores.
					fileParallelism: false,
					testTimeout: 60 * 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
