/** Small statistics helpers for the benchmark: percentiles, medians, ratios. */

/** The p-th percentile (0–100) of `values`, nearest-rank; NaN for no values. */
export function percentile(values: ArrayLike<number>, p: number): number {
	if (values.length === 0) return NaN;
	const sorted = Float64Array.from(values).sort();
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const median = (values: ArrayLike<number>): number => percentile(values, 50);

export function sum(values: Iterable<number>): number {
	let total = 0;
	for (const value of values) total += value;
	return total;
}

/** `a / b`, or NaN when either is not a positive finite number. */
export function ratio(a: number, b: number): number {
	return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN;
}

export function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return 'n/a';
	return ms >= 100
		? `${ms.toFixed(0)} ms`
		: ms >= 10
			? `${ms.toFixed(1)} ms`
			: `${ms.toFixed(2)} ms`;
}

export function formatRatio(value: number): string {
	return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return 'n/a';
	const abs = Math.abs(bytes);
	if (abs >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
	if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
	return `${bytes.toFixed(0)} B`;
}

export function formatCount(value: number): string {
	if (!Number.isFinite(value)) return 'n/a';
	return Math.round(value).toLocaleString('en-US');
}
