import { api, ApiError } from '$lib/api';
import type { User } from '$lib/domain/model';
import { UNREACHABLE_AFTER_MS } from '$lib/sync/reach';

export type SessionState = 'loading' | 'signed-in' | 'signed-out' | 'expired';

const CACHE_KEY = 'qingdan.user';

function readCachedUser(): User | null {
	try {
		const raw = localStorage.getItem(CACHE_KEY);
		return raw ? (JSON.parse(raw) as User) : null;
	} catch {
		return null;
	}
}

function cacheUser(user: User | null) {
	try {
		if (user) localStorage.setItem(CACHE_KEY, JSON.stringify(user));
		else localStorage.removeItem(CACHE_KEY);
	} catch {
		// Private mode or full storage: the session simply isn't remembered offline.
	}
}

/**
 * Who is using the app. The user is cached on the device so that a signed-in person keeps
 * working offline; when the server says the session is gone, the state becomes `expired`: local
 * work continues and syncs again after signing in.
 */
class Session {
	#user = $state<User | null>(null);
	#state = $state<SessionState>('loading');
	#needsSetup = $state(false);
	/** The server has answered (or could not be reached) since the page opened. */
	#checked = $state(false);
	#checking: Promise<void> | null = null;

	constructor() {
		// Someone signed in on this device works at once as the remembered user, offline too; the
		// server's answer (init) confirms it, or turns it into `expired` or another user (reload).
		const cached = typeof localStorage === 'undefined' ? null : readCachedUser();
		if (cached) {
			this.#user = cached;
			this.#state = 'signed-in';
		}
	}

	get user() {
		return this.#user;
	}
	get state() {
		return this.#state;
	}
	get needsSetup() {
		return this.#needsSetup;
	}
	/** Sync may run: the server knows who we are (or is out of reach and the device knows). */
	get canSync() {
		return this.#checked && this.#state === 'signed-in';
	}

	/** The sign-in is still being checked with the server. */
	get checking() {
		return !this.#checked;
	}

	async init() {
		const cached = readCachedUser();
		const check = this.#check(cached).finally(() => (this.#checked = true));
		// A server that does not answer at all (a network with no route to it) must not hold the
		// app in "checking": after a few seconds the device works as it would offline, and the
		// answer, when it comes, still counts.
		let patience: ReturnType<typeof setTimeout> | undefined;
		const outOfPatience = new Promise<void>((resolve) => {
			patience = setTimeout(resolve, UNREACHABLE_AFTER_MS);
		});
		await Promise.race([check, outOfPatience]);
		clearTimeout(patience);
		if (this.#checked) return;
		if (!cached) this.#state = 'signed-out';
		this.#checked = true;
	}

	async #check(cached: User | null) {
		try {
			const { user } = await api.me();
			this.#signedIn(user);
		} catch (error) {
			if (error instanceof ApiError && error.status === 401) {
				if (cached) {
					this.#user = cached;
					this.#state = 'expired';
				} else {
					this.#state = 'signed-out';
					await this.#checkSetup();
				}
			} else if (cached) {
				// Offline (or the server is down): keep working as the cached user.
				this.#user = cached;
				this.#state = 'signed-in';
			} else {
				this.#state = 'signed-out';
			}
		}
	}

	async #checkSetup() {
		try {
			this.#needsSetup = (await api.setupNeeded()).needsSetup;
		} catch {
			this.#needsSetup = false;
		}
	}

	#signedIn(user: User) {
		const previous = this.#user;
		this.#user = user;
		this.#state = 'signed-in';
		this.#needsSetup = false;
		cacheUser(user);
		if (previous && previous.username !== user.username) location.reload();
	}

	async signIn(username: string, password: string) {
		const { user } = await api.signIn(username, password);
		this.#signedIn(user);
	}

	async setup(username: string, password: string, displayName: string) {
		const { user } = await api.setup({ username, password, displayName });
		this.#signedIn(user);
	}

	async signOut() {
		try {
			await api.signOut();
		} catch {
			// Offline: the cookie goes with the next successful sign-in.
		}
		cacheUser(null);
		this.#user = null;
		this.#state = 'signed-out';
	}

	/** A sync connection dropped: find out whether the network or the sign-in was lost. */
	verify(): Promise<void> {
		if (this.#state !== 'signed-in' || !navigator.onLine) return Promise.resolve();
		this.#checking ??= api
			.me()
			.then(({ user }) => this.#signedIn(user))
			.catch((error) => {
				if (error instanceof ApiError && error.status === 401) this.expire();
			})
			.finally(() => (this.#checking = null));
		return this.#checking;
	}

	expire() {
		if (this.#state === 'signed-in') this.#state = 'expired';
	}
}

export const session = new Session();
