import { describe, expect, test } from 'vitest';
import { isValidUsername, usernameFault } from '../../src/lib/domain/username';

describe('the username rule as a person meets it', () => {
	test('says what is wrong, most telling first', () => {
		expect(usernameFault('张鑫')).toBe('chinese');
		expect(usernameFault('zhang鑫')).toBe('chinese');
		expect(usernameFault('ZhangXin')).toBe('uppercase');
		expect(usernameFault('zhang xin')).toBe('characters');
		expect(usernameFault('-zhangxin')).toBe('start');
		expect(usernameFault('z')).toBe('short');
		expect(usernameFault('z'.repeat(33))).toBe('long');
	});

	test('finds no fault exactly where the server accepts the name', () => {
		for (const name of ['zhangxin', 'zx', 'wang.qiang_2', '9lives', 'a'.repeat(32), 'x-'])
			expect([name, usernameFault(name)]).toEqual([name, null]);
		for (const name of ['张鑫', 'ZhangXin', 'zhang xin', '.a', 'z', 'a'.repeat(33), ''])
			expect([name, isValidUsername(name), usernameFault(name) !== null]).toEqual([
				name,
				false,
				true
			]);
	});
});
