import { log } from './log.ts';

/**
 * Watches the event loop: a timer every INTERVAL_MS notes how late it fires. A late timer whose
 * process also spent that time on the CPU means something held the loop (a slow message, a large
 * load): logged as `loop.blocked` with how long, so a stall shows in the log with its time. A
 * timer late only because the machine was busy with other processes spent no CPU here and is not
 * reported.
 */
const INTERVAL_MS = 20;
/** Holds of at least this long are logged. */
export const BLOCKED_MS = 100;

export function watchEventLoop(): () => void {
	let last = performance.now();
	let lastCpu = process.cpuUsage();
	const timer = setInterval(() => {
		const now = performance.now();
		const cpu = process.cpuUsage(lastCpu);
		const lateMs = now - last - INTERVAL_MS;
		const cpuMs = (cpu.user + cpu.system) / 1000;
		const heldMs = Math.min(lateMs, cpuMs);
		if (heldMs >= BLOCKED_MS) log('loop.blocked', { ms: Math.round(heldMs) });
		last = now;
		lastCpu = process.cpuUsage();
	}, INTERVAL_MS);
	timer.unref();
	return () => clearInterval(timer);
}
