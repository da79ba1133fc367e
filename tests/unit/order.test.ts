import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, test } from 'vitest';
import {
	compareOrdered,
	keyAfter,
	planPlacement,
	sanitizeOrderKey,
	type Ordered
} from '../../src/lib/domain/order';

/** Applies planned writes to a column and returns the ids in sorted order. */
function applyPlan(column: readonly Ordered[], movingId: string, index: number): string[] {
	const writes = planPlacement(column, movingId, index);
	const items = column.filter((i) => i.id !== movingId).map((i) => ({ ...i }));
	items.push({ id: movingId, order: '' });
	for (const item of items) {
		const key = writes.get(item.id);
		if (key !== undefined) item.order = key;
	}
	return items.sort(compareOrdered).map((i) => i.id);
}

/** A column of n items with increasing keys, ids a, b, c, … */
function column(n: number): Ordered[] {
	const result: Ordered[] = [];
	let key: string | null = null;
	for (let i = 0; i < n; i++) {
		key = keyAfter(key);
		result.push({ id: String.fromCharCode(97 + i), order: key });
	}
	return result;
}

const ids = (list: readonly Ordered[]) => list.map((i) => i.id);

describe('compareOrdered', () => {
	test('sorts by order key first', () => {
		expect(compareOrdered({ id: 'z', order: 'a0' }, { id: 'a', order: 'a1' })).toBeLessThan(0);
		expect(compareOrdered({ id: 'a', order: 'a1' }, { id: 'z', order: 'a0' })).toBeGreaterThan(0);
	});

	test('breaks ties by id so concurrent equal keys sort the same everywhere', () => {
		const x = { id: 'x', order: 'a0' };
		const y = { id: 'y', order: 'a0' };
		expect(compareOrdered(x, y)).toBeLessThan(0);
		expect(compareOrdered(y, x)).toBeGreaterThan(0);
		expect([y, x].sort(compareOrdered)).toEqual([x, y]);
		expect([x, y].sort(compareOrdered)).toEqual([x, y]);
	});

	test('the same item compares equal', () => {
		expect(compareOrdered({ id: 'x', order: 'a0' }, { id: 'x', order: 'a0' })).toBe(0);
	});

	test('empty (invalid) keys sort before every valid key', () => {
		expect(compareOrdered({ id: 'z', order: '' }, { id: 'a', order: 'A00000001' })).toBeLessThan(0);
	});
});

describe('keyAfter', () => {
	test('each key sorts after the previous one', () => {
		let key: string | null = null;
		const keys: string[] = [];
		for (let i = 0; i < 200; i++) {
			key = keyAfter(key);
			keys.push(key);
		}
		for (let i = 1; i < keys.length; i++) expect(keys[i]! > keys[i - 1]!).toBe(true);
	});

	test('starts a fresh key for an empty column and for an invalid last key', () => {
		expect(keyAfter(null)).toBe(generateKeyBetween(null, null));
		expect(keyAfter('')).toBe(generateKeyBetween(null, null));
	});
});

describe('planPlacement', () => {
	test('placing a new card at the top of a column sorts it first', () => {
		expect(applyPlan(column(3), 'new', 0)).toEqual(['new', 'a', 'b', 'c']);
	});

	test('placing a new card in the middle sorts it exactly there', () => {
		expect(applyPlan(column(3), 'new', 1)).toEqual(['a', 'new', 'b', 'c']);
		expect(applyPlan(column(3), 'new', 2)).toEqual(['a', 'b', 'new', 'c']);
	});

	test('placing a new card at the end, or past the end, sorts it last', () => {
		expect(applyPlan(column(3), 'new', 3)).toEqual(['a', 'b', 'c', 'new']);
		expect(applyPlan(column(3), 'new', 99)).toEqual(['a', 'b', 'c', 'new']);
	});

	test('a negative index places at the top', () => {
		expect(applyPlan(column(3), 'new', -5)).toEqual(['new', 'a', 'b', 'c']);
	});

	test('placing into an empty column writes one valid key', () => {
		const writes = planPlacement([], 'new', 0);
		expect([...writes.keys()]).toEqual(['new']);
		expect(sanitizeOrderKey(writes.get('new'))).toBe(writes.get('new'));
	});

	test('a plain placement writes only the moving card', () => {
		const writes = planPlacement(column(4), 'new', 2);
		expect([...writes.keys()]).toEqual(['new']);
	});

	test('moving within the same column: the index counts the other cards', () => {
		const col = column(5); // a b c d e
		expect(applyPlan(col, 'a', 4)).toEqual(['b', 'c', 'd', 'e', 'a']);
		expect(applyPlan(col, 'e', 0)).toEqual(['e', 'a', 'b', 'c', 'd']);
		expect(applyPlan(col, 'b', 2)).toEqual(['a', 'c', 'b', 'd', 'e']);
		expect(applyPlan(col, 'd', 1)).toEqual(['a', 'd', 'b', 'c', 'e']);
		expect(applyPlan(col, 'c', 2)).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	test('with tied keys, placing between the tied cards re-keys the following tied cards', () => {
		// Two offline clients appended after 'a0' at once: p, q and r all got 'a1'.
		const col: Ordered[] = [
			{ id: 'a', order: 'a0' },
			{ id: 'p', order: 'a1' },
			{ id: 'q', order: 'a1' },
			{ id: 'r', order: 'a1' },
			{ id: 'z', order: 'a2' }
		].sort(compareOrdered);
		const writes = planPlacement(col, 'new', 2); // between p and q
		expect(new Set(writes.keys())).toEqual(new Set(['new', 'q', 'r']));
		expect(applyPlan(col, 'new', 2)).toEqual(['a', 'p', 'new', 'q', 'r', 'z']);
		expect(applyPlan(col, 'new', 3)).toEqual(['a', 'p', 'q', 'new', 'r', 'z']);
	});

	test('with tied keys, placing before the tie group leaves the group alone', () => {
		const col: Ordered[] = [
			{ id: 'a', order: 'a0' },
			{ id: 'p', order: 'a1' },
			{ id: 'q', order: 'a1' }
		];
		const writes = planPlacement(col, 'new', 1);
		expect([...writes.keys()]).toEqual(['new']);
		expect(applyPlan(col, 'new', 1)).toEqual(['a', 'new', 'p', 'q']);
	});

	test('with tied keys at the end of a column, placing between them still sorts correctly', () => {
		const col: Ordered[] = [
			{ id: 'p', order: 'a0' },
			{ id: 'q', order: 'a0' }
		];
		expect(applyPlan(col, 'new', 1)).toEqual(['p', 'new', 'q']);
	});

	test('moving a tied card within its tie group lands where it was dropped', () => {
		const col: Ordered[] = [
			{ id: 'p', order: 'a1' },
			{ id: 'q', order: 'a1' },
			{ id: 'r', order: 'a1' },
			{ id: 's', order: 'a1' }
		];
		expect(applyPlan(col, 'p', 2)).toEqual(['q', 'r', 'p', 's']);
		expect(applyPlan(col, 's', 1)).toEqual(['p', 's', 'q', 'r']);
	});

	test('invalid keys from other clients (read as empty) sort first and can be placed around', () => {
		const col: Ordered[] = [
			{ id: 'x', order: sanitizeOrderKey('garbage!') },
			{ id: 'y', order: sanitizeOrderKey(42) },
			{ id: 'b', order: 'a0' }
		].sort(compareOrdered);
		expect(ids(col)).toEqual(['x', 'y', 'b']);
		expect(applyPlan(col, 'new', 0)).toEqual(['new', 'x', 'y', 'b']);
		expect(applyPlan(col, 'new', 1)).toEqual(['x', 'new', 'y', 'b']);
		expect(applyPlan(col, 'new', 2)).toEqual(['x', 'y', 'new', 'b']);
		expect(applyPlan(col, 'new', 3)).toEqual(['x', 'y', 'b', 'new']);
		expect(applyPlan(col, 'b', 0)).toEqual(['b', 'x', 'y']);
	});

	test('every written key is a valid order key', () => {
		const col: Ordered[] = [
			{ id: 'x', order: '' },
			{ id: 'p', order: 'a0' },
			{ id: 'q', order: 'a0' }
		];
		for (let index = 0; index <= col.length; index++) {
			for (const key of planPlacement(col, 'new', index).values()) {
				expect(sanitizeOrderKey(key)).toBe(key);
			}
		}
	});
});

describe('sanitizeOrderKey', () => {
	test('keeps valid fractional-index keys', () => {
		for (const key of ['a0', 'a1', 'Zz', 'a0V', generateKeyBetween('a0', 'a1')]) {
			expect(sanitizeOrderKey(key)).toBe(key);
		}
	});

	test('reads non-strings as empty', () => {
		for (const value of [undefined, null, 0, 1.5, true, {}, ['a0'], new Uint8Array([97, 48])]) {
			expect(sanitizeOrderKey(value)).toBe('');
		}
	});

	test('reads malformed strings as empty', () => {
		for (const value of ['', '0a', 'a', 'b0', 'a00', 'a0 ', ' a0', 'a0-', 'a0\u0000', 'а0', '😀']) {
			expect(sanitizeOrderKey(value), JSON.stringify(value)).toBe('');
		}
	});
});
