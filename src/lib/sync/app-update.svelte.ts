import { docs } from './docs.svelte';

/** What the page posts to a waiting service worker to let it take over (see service-worker.ts). */
const SKIP_WAITING = 'qingdan:skip-waiting';
/** How often an open app asks the server for a newer version (browsers also check on start). */
const CHECK_EVERY_MS = 30 * 60_000;

/**
 * A newer version of the app itself, installed in the background and waiting. It is offered,
 * never forced: the page keeps running the old version until the person accepts, and the reload
 * happens only after every local change is stored on this device.
 */
class AppUpdate {
	#available = $state(false);
	#applying = $state(false);
	#waiting: ServiceWorker | null = null;
	#registration: ServiceWorkerRegistration | null = null;

	/** A new version is ready to load. */
	get available() {
		return this.#available;
	}

	get applying() {
		return this.#applying;
	}

	/** Starts watching for new versions; call once when the app starts. */
	async watch() {
		if (!('serviceWorker' in navigator)) return;
		let controlled = navigator.serviceWorker.controller !== null;
		navigator.serviceWorker.addEventListener('controllerchange', () => {
			if (this.#applying) location.reload();
			// The first install taking control is no update; a later change means another tab
			// accepted a new version, so this page runs an old one: offer to reload it too.
			else if (controlled) this.#available = true;
			controlled = true;
		});
		const registration = await navigator.serviceWorker.ready;
		this.#registration = registration;
		// A worker waiting from an earlier visit; with no controller this is the first install.
		if (registration.waiting && navigator.serviceWorker.controller) {
			this.#offer(registration.waiting);
		}
		registration.addEventListener('updatefound', () => {
			const installing = registration.installing;
			installing?.addEventListener('statechange', () => {
				if (installing.state === 'installed' && navigator.serviceWorker.controller) {
					this.#offer(installing);
				}
			});
		});
		setInterval(() => void this.check(), CHECK_EVERY_MS);
	}

	#offer(worker: ServiceWorker) {
		this.#waiting = worker;
		this.#available = true;
	}

	/** Asks the server whether there is a newer version (nothing happens offline). */
	async check() {
		if (!navigator.onLine) return;
		await this.#registration?.update().catch(() => undefined);
	}

	/** Stores local changes, lets the new version take over, and reloads into it. */
	async accept() {
		if (!this.#available || this.#applying) return;
		this.#applying = true;
		await docs.whenStoredLocally();
		// The reload follows when the new worker takes control (see watch).
		if (this.#waiting?.state === 'installed') this.#waiting.postMessage(SKIP_WAITING);
		else location.reload();
	}
}

export const appUpdate = new AppUpdate();
