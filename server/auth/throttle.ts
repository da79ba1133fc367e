export interface ThrottleLimits {
	/** Failures of one username within the window before it is refused. */
	perUsername: number;
	/** Failures from one address within the window; higher, since an office shares one address. */
	perAddress: number;
	windowMs: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
	perUsername: 10,
	perAddress: 100,
	windowMs: 15 * 60 * 1000
};

/** Keys tracked at most; beyond this the oldest are forgotten (memory stays bounded). */
const MAX_KEYS = 50_000;

/** Counts failed sign-ins per username and per address in a sliding window. */
export class LoginThrottle {
	readonly #failures = new Map<string, number[]>();
	readonly #limits: ThrottleLimits;

	constructor(limits: ThrottleLimits = DEFAULT_LIMITS) {
		this.#limits = limits;
	}

	/**
	 * Called before checking a password: 0 when the attempt may go ahead (it is counted as a
	 * failure until `succeeded`, so parallel guesses are counted too), else seconds to wait.
	 */
	attempt(username: string, address: string, now = Date.now()): number {
		const wait = Math.max(
			this.#wait(`u:${username}`, this.#limits.perUsername, now),
			this.#wait(`a:${address}`, this.#limits.perAddress, now)
		);
		if (wait > 0) return Math.ceil(wait / 1000);
		this.#push(`u:${username}`, now);
		this.#push(`a:${address}`, now);
		return 0;
	}

	/** Forgets the username's failures and takes back the address's count of this attempt. */
	succeeded(username: string, address: string): void {
		this.#failures.delete(`u:${username}`);
		this.#failures.get(`a:${address}`)?.pop();
	}

	#recent(key: string, now: number): number[] {
		const times = this.#failures.get(key);
		if (!times) return [];
		const recent = times.filter((t) => t > now - this.#limits.windowMs);
		if (recent.length === 0) this.#failures.delete(key);
		else if (recent.length !== times.length) this.#failures.set(key, recent);
		return recent;
	}

	#wait(key: string, limit: number, now: number): number {
		const recent = this.#recent(key, now);
		if (recent.length < limit) return 0;
		// Allowed again when enough of the failures have left the window.
		return recent[recent.length - limit]! + this.#limits.windowMs - now;
	}

	#push(key: string, now: number): void {
		const recent = this.#recent(key, now);
		recent.push(now);
		this.#failures.delete(key);
		this.#failures.set(
			key,
			recent.slice(-Math.max(this.#limits.perAddress, this.#limits.perUsername))
		);
		if (this.#failures.size > MAX_KEYS) {
			const oldest = this.#failures.keys().next().value;
			if (oldest !== undefined) this.#failures.delete(oldest);
		}
	}
}
