import { describe, expect, test } from 'vitest';
import {
	formatDate,
	formatLongDateTime,
	formatNumber,
	formatRelativeTime,
	todayInShanghai
} from '../../src/lib/i18n/format';

describe('dates, times and numbers are written for the chosen language', () => {
	const now = Date.parse('2022-10-14T08:00:00Z');

	test('relative times', () => {
		expect(formatRelativeTime('zh-CN', '2022-10-14T07:57:00Z', now)).toBe('3分钟前');
		expect(formatRelativeTime('en', '2022-10-14T07:57:00Z', now)).toBe('3 minutes ago');
		expect(formatRelativeTime('en', '2022-10-14T07:59:50Z', now)).toBe('now');
		expect(formatRelativeTime('en', '2022-10-13T08:00:00Z', now)).toBe('yesterday');
		expect(formatRelativeTime('zh-CN', '2022-10-16T08:00:00Z', now)).toBe('后天');
	});

	test('numbers and dates', () => {
		expect(formatNumber('zh-CN', 300000)).toBe('300,000');
		expect(formatNumber('en', 0.5, { style: 'percent' })).toBe('50%');
		expect(formatDate('zh-CN', '2022-10-14')).toBe('2022年10月14日');
		expect(formatDate('en', '2022-10-14')).toBe('Oct 14, 2022');
	});

	test('a moment written out for a document, in Shanghai time', () => {
		expect(formatLongDateTime('zh-CN', '2026-12-07T08:31:45.361Z')).toBe('2026年12月7日 16:31');
		expect(formatLongDateTime('zh-CN', '2026-12-07T16:05:00Z')).toBe('2026年12月8日 00:05');
		expect(formatLongDateTime('en', '2026-12-07T08:31:45.361Z')).toMatch(
			/^December 7, 2026.*16:31$/
		);
		expect(formatLongDateTime('en', 'not a date')).toBe('');
	});

	test('today is the date in Shanghai, not on the device', () => {
		expect(todayInShanghai(new Date('2022-10-13T17:00:00Z'))).toBe('2022-10-14');
	});
});
