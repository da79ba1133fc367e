import { TIERS, type Tier } from './model';
import type { Columns } from './problem';

export interface Placement {
	tier: Tier;
	/** Position among the other cards of the target column. */
	index: number;
}

export function locate(columns: Columns, id: string): { tier: Tier; index: number } | null {
	for (const tier of TIERS) {
		const index = columns[tier].findIndex((p) => p.id === id);
		if (index >= 0) return { tier, index };
	}
	return null;
}

/**
 * Where Alt+arrow moves a card: left/right to the neighbouring column at the same height,
 * up/down one place inside its column. Null when it can't go further.
 */
export function keyboardMove(
	columns: Columns,
	id: string,
	direction: 'left' | 'right' | 'up' | 'down'
): Placement | null {
	const at = locate(columns, id);
	if (!at) return null;
	const column = TIERS.indexOf(at.tier);
	if (direction === 'left' || direction === 'right') {
		const target = TIERS[column + (direction === 'left' ? -1 : 1)];
		if (!target) return null;
		return { tier: target, index: Math.min(at.index, columns[target].length) };
	}
	const index = at.index + (direction === 'up' ? -1 : 1);
	if (index < 0 || index >= columns[at.tier].length) return null;
	return { tier: at.tier, index };
}

/**
 * Where a picked-up card would go after one more arrow key (pick-up-and-move mode): `from`
 * moved left/right to the neighbouring column at the same height, or up/down one place, counted
 * among the other cards. Null at the board's edge.
 */
export function stepPlacement(
	columns: Columns,
	id: string,
	from: Placement,
	direction: 'left' | 'right' | 'up' | 'down'
): Placement | null {
	const others = (tier: Tier) => columns[tier].filter((p) => p.id !== id).length;
	if (direction === 'left' || direction === 'right') {
		const target = TIERS[TIERS.indexOf(from.tier) + (direction === 'left' ? -1 : 1)];
		if (!target) return null;
		return { tier: target, index: Math.min(from.index, others(target)) };
	}
	const index = from.index + (direction === 'up' ? -1 : 1);
	if (index < 0 || index > others(from.tier)) return null;
	return { tier: from.tier, index };
}

/** Which card plain arrow keys move the focus to (Trello-like grid navigation). */
export function focusMove(
	columns: Columns,
	id: string,
	direction: 'left' | 'right' | 'up' | 'down'
): string | null {
	const at = locate(columns, id);
	if (!at) return null;
	if (direction === 'up' || direction === 'down') {
		const next = columns[at.tier][at.index + (direction === 'up' ? -1 : 1)];
		return next?.id ?? null;
	}
	const step = direction === 'left' ? -1 : 1;
	for (let c = TIERS.indexOf(at.tier) + step; c >= 0 && c < TIERS.length; c += step) {
		const list = columns[TIERS[c]!];
		if (list.length) return list[Math.min(at.index, list.length - 1)]!.id;
	}
	return null;
}
