import { describe, expect, test } from 'vitest';
import { focusMove, keyboardMove, locate, stepPlacement } from '../../src/lib/domain/navigation';
import type { Columns, Problem } from '../../src/lib/domain/problem';

const card = (id: string) => ({ id }) as Problem;

/** unsorted: a b c | party-gov: d | union-system: (empty) | county-self: e f g h */
function board(): Columns {
	return {
		unsorted: ['a', 'b', 'c'].map(card),
		'party-gov': ['d'].map(card),
		'union-system': [],
		'county-self': ['e', 'f', 'g', 'h'].map(card)
	};
}

describe('locate', () => {
	test('finds the column and index of a card, null for an unknown card', () => {
		expect(locate(board(), 'c')).toEqual({ tier: 'unsorted', index: 2 });
		expect(locate(board(), 'f')).toEqual({ tier: 'county-self', index: 1 });
		expect(locate(board(), 'zz')).toBeNull();
	});
});

describe('keyboardMove (Alt+arrow moves the card)', () => {
	test('right moves to the next column at the same height', () => {
		expect(keyboardMove(board(), 'a', 'right')).toEqual({ tier: 'party-gov', index: 0 });
	});

	test('right into a shorter column lands at its end', () => {
		expect(keyboardMove(board(), 'c', 'right')).toEqual({ tier: 'party-gov', index: 1 });
	});

	test('right into an empty column lands at index 0, it does not skip it', () => {
		expect(keyboardMove(board(), 'd', 'right')).toEqual({ tier: 'union-system', index: 0 });
	});

	test('left moves to the previous column at the same height', () => {
		expect(keyboardMove(board(), 'f', 'left')).toEqual({ tier: 'union-system', index: 0 });
		expect(keyboardMove(board(), 'd', 'left')).toEqual({ tier: 'unsorted', index: 0 });
	});

	test('left in the first column and right in the last column go nowhere', () => {
		expect(keyboardMove(board(), 'b', 'left')).toBeNull();
		expect(keyboardMove(board(), 'g', 'right')).toBeNull();
	});

	test('up and down move one place inside the column', () => {
		expect(keyboardMove(board(), 'f', 'up')).toEqual({ tier: 'county-self', index: 0 });
		expect(keyboardMove(board(), 'f', 'down')).toEqual({ tier: 'county-self', index: 2 });
	});

	test('up from the top and down from the bottom go nowhere', () => {
		expect(keyboardMove(board(), 'e', 'up')).toBeNull();
		expect(keyboardMove(board(), 'h', 'down')).toBeNull();
		expect(keyboardMove(board(), 'd', 'up')).toBeNull();
		expect(keyboardMove(board(), 'd', 'down')).toBeNull();
	});

	test('an unknown card goes nowhere', () => {
		expect(keyboardMove(board(), 'zz', 'down')).toBeNull();
	});
});

describe('focusMove (plain arrows move the focus)', () => {
	test('up and down go to the neighbouring card, null at the ends', () => {
		expect(focusMove(board(), 'b', 'up')).toBe('a');
		expect(focusMove(board(), 'b', 'down')).toBe('c');
		expect(focusMove(board(), 'a', 'up')).toBeNull();
		expect(focusMove(board(), 'c', 'down')).toBeNull();
	});

	test('left and right go to the card at the same height, or the last one of a shorter column', () => {
		expect(focusMove(board(), 'a', 'right')).toBe('d');
		expect(focusMove(board(), 'c', 'right')).toBe('d');
		expect(focusMove(board(), 'd', 'left')).toBe('a');
	});

	test('left and right skip empty columns', () => {
		expect(focusMove(board(), 'd', 'right')).toBe('e');
		expect(focusMove(board(), 'h', 'left')).toBe('d');
		expect(focusMove(board(), 'g', 'left')).toBe('d');
	});

	test('left and right stop at the edges of the board', () => {
		expect(focusMove(board(), 'a', 'left')).toBeNull();
		expect(focusMove(board(), 'e', 'right')).toBeNull();
	});

	test('when every other column is empty there is nowhere to go', () => {
		const lonely: Columns = {
			unsorted: [],
			'party-gov': [card('x')],
			'union-system': [],
			'county-self': []
		};
		expect(focusMove(lonely, 'x', 'left')).toBeNull();
		expect(focusMove(lonely, 'x', 'right')).toBeNull();
	});
});

describe('stepPlacement (a picked-up card travels before it is dropped)', () => {
	test('travels across columns at the same height, counting only the other cards', () => {
		const from = { tier: 'unsorted' as const, index: 2 };
		expect(stepPlacement(board(), 'c', from, 'right')).toEqual({ tier: 'party-gov', index: 1 });
		const next = stepPlacement(board(), 'c', { tier: 'party-gov', index: 1 }, 'right');
		expect(next).toEqual({ tier: 'union-system', index: 0 });
	});

	test('goes up and down within a column, down to the place after the last other card', () => {
		const inOwn = { tier: 'county-self' as const, index: 3 };
		expect(stepPlacement(board(), 'h', inOwn, 'down')).toBeNull();
		expect(stepPlacement(board(), 'h', inOwn, 'up')).toEqual({ tier: 'county-self', index: 2 });
		const elsewhere = { tier: 'county-self' as const, index: 3 };
		expect(stepPlacement(board(), 'a', elsewhere, 'down')).toEqual({
			tier: 'county-self',
			index: 4
		});
	});

	test('stops at the edges of the board', () => {
		expect(stepPlacement(board(), 'a', { tier: 'unsorted', index: 0 }, 'left')).toBeNull();
		expect(stepPlacement(board(), 'a', { tier: 'unsorted', index: 0 }, 'up')).toBeNull();
		const last = { tier: 'county-self' as const, index: 0 };
		expect(stepPlacement(board(), 'a', last, 'right')).toBeNull();
	});
});
