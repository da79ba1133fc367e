/**
 * How long an attempt to reach the server may go without a sync message from it before this
 * device counts as offline. The server answers a new connection's sync step 1 at once, so a few
 * seconds of silence mean the server is down, the network has no route to it, or something in
 * between accepts the connection and passes nothing (issue 15: 同步中… forever on such starts).
 */
export const UNREACHABLE_AFTER_MS = 4_000;

/**
 * Whether the server is being reached, judged from the wire rather than `navigator.onLine`
 * (which stays true on an office LAN with no route out): an attempt that closes before it ever
 * opened, or that hears nothing from the server within UNREACHABLE_AFTER_MS, counts as
 * unreachable until a sync message arrives. Plain TypeScript; the doc handle reports what its
 * provider does and shows the outcome.
 */
export class ReachWatch {
	readonly #onChange: (unreachable: boolean) => void;
	readonly #patienceMs: number;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** When the latest sync message arrived (performance.now()). */
	#heardAt = -Infinity;
	#unreachable = false;

	constructor(onChange: (unreachable: boolean) => void, patienceMs = UNREACHABLE_AFTER_MS) {
		this.#onChange = onChange;
		this.#patienceMs = patienceMs;
	}

	get unreachable(): boolean {
		return this.#unreachable;
	}

	/** An attempt to connect has started; judged after the patience unless one is being judged. */
	attempting(): void {
		if (this.#timer !== null) return;
		const since = performance.now();
		this.#timer = setTimeout(() => {
			this.#timer = null;
			if (this.#heardAt < since) this.#set(true);
		}, this.#patienceMs);
	}

	/** A sync message came from the server. */
	heard(): void {
		this.#heardAt = performance.now();
		this.#clearTimer();
		this.#set(false);
	}

	/** A connection closed without ever having opened (refused, or no route). */
	failed(): void {
		this.#set(true);
	}

	/** Syncing was stopped on purpose (offline, signed out, closed): nothing to judge. */
	stopped(): void {
		this.#clearTimer();
		this.#set(false);
	}

	#clearTimer(): void {
		if (this.#timer === null) return;
		clearTimeout(this.#timer);
		this.#timer = null;
	}

	#set(unreachable: boolean): void {
		if (unreachable === this.#unreachable) return;
		this.#unreachable = unreachable;
		this.#onChange(unreachable);
	}
}
