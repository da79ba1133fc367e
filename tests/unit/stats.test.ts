import { describe, expect, test } from 'vitest';
import type { Status, Tier } from '../../src/lib/domain/model';
import type { Problem } from '../../src/lib/domain/problem';
import { addDays, summarize, warningOf } from '../../src/lib/domain/stats';

const TODAY = '2022-10-14';

describe('warningOf', () => {
	test('a problem past its due date is overdue', () => {
		expect(warningOf({ due: '2022-10-13', status: 'open' }, TODAY)).toBe('overdue');
		expect(warningOf({ due: '2021-01-01', status: 'in-progress' }, TODAY)).toBe('overdue');
	});

	test('a resolved problem awaiting verification is still overdue; only closing (销号) clears it', () => {
		expect(warningOf({ due: '2022-10-01', status: 'resolved' }, TODAY)).toBe('overdue');
		expect(warningOf({ due: '2022-10-01', status: 'closed' }, TODAY)).toBeNull();
	});

	test('due today or within 7 days is due soon', () => {
		expect(warningOf({ due: TODAY, status: 'open' }, TODAY)).toBe('due-soon');
		expect(warningOf({ due: '2022-10-21', status: 'open' }, TODAY)).toBe('due-soon');
		expect(warningOf({ due: '2022-10-21', status: 'resolved' }, TODAY)).toBe('due-soon');
	});

	test('due later than 7 days, without a due date, or closed: no warning', () => {
		expect(warningOf({ due: '2022-10-22', status: 'open' }, TODAY)).toBeNull();
		expect(warningOf({ due: '', status: 'open' }, TODAY)).toBeNull();
		expect(warningOf({ due: '2022-10-15', status: 'closed' }, TODAY)).toBeNull();
	});

	test('behind schedule counts from the day the problem was listed in Shanghai, not in UTC', () => {
		// Listed at 01:00 on 14 October in Shanghai (still the 13th in UTC), due on the 15th.
		const listed = {
			due: '2022-10-15',
			status: 'open' as const,
			createdAt: '2022-10-13T17:00:00Z'
		};
		expect(warningOf(listed, TODAY)).toBe('due-soon');
		expect(warningOf(listed, '2022-10-15')).toBe('behind');
	});

	test('the 7-day window crosses month and year ends', () => {
		expect(warningOf({ due: '2023-01-03', status: 'open' }, '2022-12-28')).toBe('due-soon');
		expect(warningOf({ due: '2023-01-05', status: 'open' }, '2022-12-28')).toBeNull();
		expect(warningOf({ due: '2022-12-31', status: 'open' }, '2023-01-01')).toBe('overdue');
	});
});

describe('addDays', () => {
	test('adds within a month', () => {
		expect(addDays('2022-10-14', 7)).toBe('2022-10-21');
		expect(addDays('2022-10-14', 0)).toBe('2022-10-14');
	});

	test('crosses month ends, including February in leap and common years', () => {
		expect(addDays('2022-10-28', 7)).toBe('2022-11-04');
		expect(addDays('2022-02-25', 7)).toBe('2022-03-04');
		expect(addDays('2024-02-25', 7)).toBe('2024-03-03');
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
	});

	test('crosses year ends, both ways', () => {
		expect(addDays('2022-12-28', 7)).toBe('2023-01-04');
		expect(addDays('2023-01-03', -7)).toBe('2022-12-27');
	});

	test('is not shifted by the local time zone (China Standard Time, or a daylight-saving change)', () => {
		const saved = process.env.TZ;
		try {
			for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/Los_Angeles']) {
				process.env.TZ = zone;
				expect(addDays('2022-10-14', 7), zone).toBe('2022-10-21');
				expect(addDays('2022-03-26', 1), zone).toBe('2022-03-27');
				expect(addDays('2022-03-27', 1), zone).toBe('2022-03-28');
				expect(addDays('2022-10-29', 2), zone).toBe('2022-10-31');
				expect(addDays('2022-11-05', 2), zone).toBe('2022-11-07');
			}
		} finally {
			if (saved === undefined) delete process.env.TZ;
			else process.env.TZ = saved;
		}
	});
});

describe('summarize', () => {
	let n = 0;
	const problem = (tier: Tier, status: Status, due = '', deleted = false) =>
		({ id: `p${n++}`, tier, status, due, deleted }) as Problem;

	test('counts problems by tier, status and warning, leaving deleted ones out', () => {
		const summary = summarize(
			[
				problem('unsorted', 'open'),
				problem('unsorted', 'in-progress', '2022-10-01'), // overdue
				problem('party-gov', 'resolved', '2022-10-01'), // overdue: resolved is not closed
				problem('party-gov', 'closed', '2022-10-01'), // closed: no warning
				problem('county-self', 'open', '2022-10-20'), // due soon
				problem('county-self', 'open', '2022-12-01'),
				problem('union-system', 'open', '2022-10-01', true), // deleted
				problem('county-self', 'closed', '', true) // deleted
			],
			TODAY
		);
		expect(summary).toEqual({
			total: 6,
			byTier: { unsorted: 2, 'party-gov': 2, 'union-system': 0, 'county-self': 2 },
			byStatus: { open: 3, 'in-progress': 1, resolved: 1, closed: 1 },
			overdue: 2,
			behind: 0,
			dueSoon: 1
		});
	});

	test('an empty list gives zero for every tier and status', () => {
		expect(summarize([], TODAY)).toEqual({
			total: 0,
			byTier: { unsorted: 0, 'party-gov': 0, 'union-system': 0, 'county-self': 0 },
			byStatus: { open: 0, 'in-progress': 0, resolved: 0, closed: 0 },
			overdue: 0,
			behind: 0,
			dueSoon: 0
		});
	});
});
