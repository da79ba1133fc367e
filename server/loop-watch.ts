import fs from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { log } from './log.ts';

/**
 * Watches the event loop: a timer every INTERVAL_MS notes how late it fires. A late timer whose
 * main thread also spent that time on the CPU means something held the loop (a slow message, a
 * large load): logged as `loop.blocked` with how long, so a stall shows in the log with its time.
 * A timer late only because the machine was busy with other processes spent no CPU here and is
 * not reported. The main thread's CPU time comes from Linux's /proc (10 ms ticks); elsewhere the
 * whole process's is used, which also counts V8's background threads (concurrent marking).
 *
 * The line also says how much of the hold was V8's garbage collector (`gc_ms`, from its own
 * timings): a board of millions of Yjs items makes a heap of hundreds of MB, whose collection
 * pauses can exceed the target when other processes take the CPU, whatever the code does in
 * each step. GC timings arrive a moment after the pause, so a hold is logged once they have.
 */
const INTERVAL_MS = 20;
/** Holds of at least this long are logged. */
export const BLOCKED_MS = 100;
/** GC entries are kept this long, enough to cover any hold still waiting to be logged. */
const GC_MEMORY_MS = 10_000;

/** CPU time of this process's main thread in ms, or null where /proc does not tell it. */
function mainThreadCpuMs(): number | null {
	try {
		const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime, in clock ticks (USER_HZ, 100 a second on Linux).
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return null;
	}
}

/** CPU time in ms: the main thread's where known, else the process's. */
function cpuClock(): () => number {
	if (mainThreadCpuMs() !== null) return () => mainThreadCpuMs() ?? 0;
	return () => {
		const cpu = process.cpuUsage();
		return (cpu.user + cpu.system) / 1000;
	};
}

interface Hold {
	from: number;
	to: number;
	ms: number;
}

export function watchEventLoop(): () => void {
	const gcs: PerformanceEntry[] = [];
	const observer = new PerformanceObserver((list) => {
		gcs.push(...list.getEntries());
	});
	observer.observe({ entryTypes: ['gc'] });
	const waiting: Hold[] = [];
	const report = (hold: Hold): void => {
		let gcMs = 0;
		for (const gc of gcs) {
			const start = Math.max(gc.startTime, hold.from);
			const end = Math.min(gc.startTime + gc.duration, hold.to);
			if (end > start) gcMs += end - start;
		}
		log('loop.blocked', { ms: Math.round(hold.ms), gc_ms: Math.round(Math.min(gcMs, hold.ms)) });
	};

	const cpuNow = cpuClock();
	let last = performance.now();
	let lastCpu = cpuNow();
	const timer = setInterval(() => {
		const now = performance.now();
		const cpu = cpuNow();
		const lateMs = now - last - INTERVAL_MS;
		// A tick's worth more: the CPU clock counts in 10 ms ticks.
		const heldMs = Math.min(lateMs, cpu - lastCpu + 10);
		// Holds from earlier ticks: their GC entries have been delivered by now.
		for (const hold of waiting.splice(0)) report(hold);
		while (gcs.length > 0 && gcs[0]!.startTime < now - GC_MEMORY_MS) gcs.shift();
		if (heldMs >= BLOCKED_MS) waiting.push({ from: last, to: now, ms: heldMs });
		last = now;
		lastCpu = cpu;
	}, INTERVAL_MS);
	timer.unref();
	return () => {
		clearInterval(timer);
		observer.disconnect();
		for (const hold of waiting.splice(0)) report(hold);
	};
}
