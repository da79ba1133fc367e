/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
import { build, files, version } from '$service-worker';

// The app shell is cached so that the app opens with no network at all: board data comes from
// IndexedDB, and sync resumes when the network does. API and sync traffic is never cached.
const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `qingdan-shell-${version}`;
const SHELL = '/';
const ASSETS = [...build, ...files, SHELL];
const NAVIGATION_TIMEOUT_MS = 4_000;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(ASSETS))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

async function fromNetworkWithTimeout(request: Request): Promise<Response> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), NAVIGATION_TIMEOUT_MS);
	try {
		return await fetch(request, { signal: controller.signal });
	} finally {
		clearTimeout(timer);
	}
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/')) return;

	if (request.mode === 'navigate') {
		// Every page is the same single-page shell: fresh from the network when it answers, else cached.
		event.respondWith(
			fromNetworkWithTimeout(request)
				.then(async (response) => {
					if (response.ok) {
						const cache = await caches.open(CACHE);
						await cache.put(SHELL, response.clone());
					}
					return response;
				})
				.catch(async () => (await caches.match(SHELL)) ?? Response.error())
		);
		return;
	}

	if (ASSETS.includes(url.pathname)) {
		event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
	}
});
