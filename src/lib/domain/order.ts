import { generateKeyBetween } from 'fractional-indexing';

/** Something sortable inside a column: an order key (fractional index) and a stable id. */
export interface Ordered {
	id: string;
	order: string;
}

/** Column order: by key, then by id, so that equal keys made concurrently still sort the same everywhere. */
export function compareOrdered(a: Ordered, b: Ordered): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A key that sorts after every given key. */
export function keyAfter(last: string | null): string {
	return generateKeyBetween(last || null, null);
}

/**
 * New order keys for placing `movingId` at `index` of `column` (sorted, may contain the moving item).
 * Returns the keys to write: always one for the moving item, and also for neighbours that shared a key
 * with the one before them (two clients placed cards at the same spot while apart), so the result
 * sorts exactly where the person dropped it.
 */
export function planPlacement(
	column: readonly Ordered[],
	movingId: string,
	index: number
): Map<string, string> {
	const others = column.filter((item) => item.id !== movingId);
	const at = Math.max(0, Math.min(index, others.length));
	const lower = at > 0 ? others[at - 1]!.order || null : null;
	// Neighbours after the drop point whose keys are not above `lower` move up with it.
	const tied: Ordered[] = [];
	let upper: string | null = null;
	for (const candidate of others.slice(at)) {
		if (candidate.order === '' || (lower !== null && candidate.order <= lower)) {
			tied.push(candidate);
		} else {
			upper = candidate.order;
			break;
		}
	}
	const writes = new Map<string, string>();
	let key = generateKeyBetween(lower, upper);
	writes.set(movingId, key);
	for (const item of tied) {
		key = generateKeyBetween(key, upper);
		writes.set(item.id, key);
	}
	return writes;
}

const KEY_PATTERN = /^[a-zA-Z][0-9a-zA-Z]*$/;

/** Keys already found valid: every card's key is checked each time the card is read. */
const validKeys = new Set<string>();
const VALID_KEYS_KEPT = 100_000;

/** Keys come from other clients too: anything that is not a valid key reads as '' (sorts first). */
export function sanitizeOrderKey(key: unknown): string {
	if (typeof key !== 'string') return '';
	if (validKeys.has(key)) return key;
	if (!KEY_PATTERN.test(key)) return '';
	try {
		generateKeyBetween(key, null);
	} catch {
		return '';
	}
	if (validKeys.size >= VALID_KEYS_KEPT) validKeys.clear();
	validKeys.add(key);
	return key;
}
