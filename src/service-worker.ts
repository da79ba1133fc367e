/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
import { build, files, version } from '$service-worker';

// The app shell is cached so that the app opens with no network at all: board data comes from
// IndexedDB, and sync resumes when the network does. API and sync traffic is never cached.
//
// A new version installs beside the running one and waits: the page offers it, and only when the
// person accepts (after local changes are stored) does the page send SKIP_WAITING and reload.
// Every page is served from this worker's own cache, so a page always matches its worker's assets.
const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `qingdan-shell-${version}`;
const SHELL = '/';
const ASSETS = [...build, ...files, SHELL];
const NAVIGATION_TIMEOUT_MS = 4_000;
/** What the page posts to a waiting worker when the person accepts the new version. */
const SKIP_WAITING = 'qingdan:skip-waiting';

/** A static route (service worker static routing; Chromium only so far). */
interface StaticRoute {
	condition: { urlPattern: { pathname: string } };
	source: { cacheName: string };
}
type InstallEventWithRoutes = ExtendableEvent & {
	addRoutes?: (routes: StaticRoute | StaticRoute[]) => Promise<void>;
};

sw.addEventListener('install', (event: InstallEventWithRoutes) => {
	// The app's hashed files are answered from this version's cache by the browser itself, without
	// a fetch event of this worker for each: a cold start asks for dozens, each of which otherwise
	// waits for this worker's script to start and to handle it. Browsers without static routes
	// use the fetch handler below, which answers the same from the same cache.
	event
		.addRoutes?.({
			condition: { urlPattern: { pathname: '/_app/immutable/*' } },
			source: { cacheName: CACHE }
		})
		.catch(() => {});
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
});

sw.addEventListener('message', (event) => {
	if (event.data === SKIP_WAITING) void sw.skipWaiting();
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
		// Every page is the same single-page shell, the one of this worker's version; the network
		// only when the cache lost it.
		event.respondWith(
			caches
				.open(CACHE)
				.then((cache) => cache.match(SHELL))
				.then((cached) => cached ?? fromNetworkWithTimeout(request))
				.catch(() => Response.error())
		);
		return;
	}

	if (ASSETS.includes(url.pathname)) {
		event.respondWith(
			caches
				.open(CACHE)
				.then((cache) => cache.match(request))
				.then((cached) => cached ?? fetch(request))
		);
	}
});
