import type { Db } from './db.ts';
import { errorText, log } from './log.ts';

/** SQLite result codes that mean storage cannot be written (busy, full, failing, damaged). */
const STORAGE_ERROR =
	/^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)(_|$)/;

/** True when `error` is SQLite failing to store, not a bug or bad input. */
export function isStorageError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && STORAGE_ERROR.test(code);
}

/** How often /healthz writes its probe row while nothing is known to be wrong … */
const PROBE_INTERVAL_MS = 10_000;
/**
 * … and while writes fail, so recovery shows within a second; not on every call, as anyone may
 * ask /healthz and a probe may wait PROBE_BUSY_MS with the event loop.
 */
const PROBE_WHILE_FAILING_MS = 1_000;
/** The probe waits at most this long for the write lock (the event loop waits with it). */
const PROBE_BUSY_MS = 100;

export interface HealthSources {
	/** Rooms that failed or could not load, one sentence each. */
	roomFailures(): string[];
	/** Stored pieces that failed their checksum, one sentence each. */
	damage(): string[];
}

/**
 * What /healthz reports: storage writes failing (seen by a request, or by a probe row written
 * at most every PROBE_INTERVAL_MS, every PROBE_WHILE_FAILING_MS while writes are known to
 * fail), rooms that failed, and checksum mismatches. Plain sentences.
 */
export class Health {
	readonly #db: Db;
	readonly #busyTimeoutMs: number;
	readonly #sources: HealthSources;
	readonly #probe;
	#writeFailure: string | null = null;
	#lastProbe = -Infinity;

	constructor(db: Db, busyTimeoutMs: number, sources: HealthSources) {
		this.#db = db;
		this.#busyTimeoutMs = busyTimeoutMs;
		this.#sources = sources;
		this.#probe = db.prepare<[string]>(
			'INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at'
		);
	}

	/** A write failed; reported until a probe write succeeds. */
	writeFailed(error: unknown): void {
		this.#writeFailure ??= `${errorText(error)} (since ${new Date().toISOString()})`;
	}

	/** Why the server is not healthy; empty when it is. */
	reasons(): string[] {
		const rooms = this.#sources.roomFailures();
		const damage = this.#sources.damage();
		const interval = this.#writeFailure === null ? PROBE_INTERVAL_MS : PROBE_WHILE_FAILING_MS;
		if (performance.now() - this.#lastProbe >= interval) this.#probeWrite();
		const reasons: string[] = [];
		if (this.#writeFailure) reasons.push(`storage cannot be written: ${this.#writeFailure}`);
		reasons.push(...rooms, ...damage.map((line) => `checksum mismatch: ${line}`));
		return reasons;
	}

	#probeWrite(): void {
		this.#lastProbe = performance.now();
		this.#db.pragma(`busy_timeout = ${Math.min(PROBE_BUSY_MS, this.#busyTimeoutMs)}`);
		try {
			this.#probe.run(new Date().toISOString());
			if (this.#writeFailure) log('storage.recovered', { was: this.#writeFailure });
			this.#writeFailure = null;
		} catch (error) {
			if (!this.#writeFailure) log('storage.probe_failed', { error: errorText(error) });
			this.writeFailed(error);
		} finally {
			this.#db.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
		}
	}
}
