/**
 * Long work in steps, so no message holds the event loop: the work is a generator that yields
 * at points where it may pause (update-check.ts, integrability.ts, slices.ts, guard.ts); it runs
 * for SLICE_BUDGET_MS, then lets everything else waiting (other rooms' messages, timers, HTTP)
 * run before it goes on.
 */

/** How long work runs before it lets others in. Each step after the budget adds a few ms. */
export const SLICE_BUDGET_MS = 10;

/** Runs `steps` to the end in slices of `budgetMs`; a step's throw rejects the promise. */
export async function runInSlices<T>(
	steps: Generator<unknown, T>,
	budgetMs = SLICE_BUDGET_MS
): Promise<T> {
	let deadline = performance.now() + budgetMs;
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
		if (performance.now() >= deadline) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			deadline = performance.now() + budgetMs;
		}
	}
}

/** Runs `steps` to the end at once (for work known to be small). */
export function runNow<T>(steps: Generator<unknown, T>): T {
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}
