import { PEERS, type ServerKind } from './servers.ts';
import { median, ratio } from './stats.ts';

/**
 * The servers in the order round `round` runs them: ours first, then last, then first … (ours,
 * peer, peer, ours, …), and the two peers swap every two rounds, so that drift on a noisy
 * machine (thermal, page cache, other work) does not favour anyone.
 */
export function roundOrder(round: number): ServerKind[] {
	const peers = round % 4 < 2 ? [...PEERS] : [...PEERS].reverse();
	return round % 2 === 0 ? ['ours', ...peers] : [...peers, 'ours'];
}

/** Per-server values of one round. */
export type RoundValues = Partial<Record<ServerKind, number>>;

/**
 * ours ÷ the better peer, per round; `lowerIsBetter` picks which peer is better (the lower
 * latency, or the higher throughput). Returns the per-round ratios.
 */
export function perRoundRatios(rounds: RoundValues[], lowerIsBetter: boolean): number[] {
	return rounds.map((round) => {
		const peers = PEERS.map((kind) => round[kind]).filter(
			(v): v is number => v !== undefined && Number.isFinite(v)
		);
		if (peers.length === 0) return NaN;
		const better = lowerIsBetter ? Math.min(...peers) : Math.max(...peers);
		return ratio(round.ours ?? NaN, better);
	});
}

/** The median over rounds of one server's value. */
export function medianOf(rounds: RoundValues[], kind: ServerKind): number {
	const values = rounds.map((r) => r[kind]).filter((v): v is number => v !== undefined);
	return values.length ? median(values) : NaN;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
