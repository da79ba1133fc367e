/** mulberry32: a small seeded PRNG, so that a failing run can be replayed from its seed. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Helpers over one generator. */
export function dice(rand: () => number) {
	const int = (n: number) => Math.floor(rand() * n);
	return {
		rand,
		int,
		pick: <T>(list: readonly T[]): T => list[int(list.length)]!,
		bytes(length: number): Uint8Array {
			const out = new Uint8Array(length);
			for (let i = 0; i < length; i++) out[i] = int(256);
			return out;
		}
	};
}

/** Seeds for a run: `SEED=n` replays one, else `count` seeds from 1. */
export function seedsFromEnv(count: number): number[] {
	const one = process.env.SEED;
	if (one !== undefined && one !== '') return [Number(one)];
	return Array.from({ length: count }, (_, i) => i + 1);
}

/** True for the long runs of `npm run test:faults` (FULL=1). */
export const FULL = process.env.FULL === '1';
