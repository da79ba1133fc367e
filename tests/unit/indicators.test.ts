import { describe, expect, test } from 'vitest';
import {
	addIndicator,
	countyProgress,
	expectedShare,
	readIndicators,
	removeIndicator,
	setCountyActual,
	summarizeIndicator,
	updateIndicator,
	type Indicator
} from '../../src/lib/domain/indicators';
import { alice, bob, newDoc, syncAll } from './support';

const T0 = new Date('2023-01-05T02:00:00.000Z');

function indicator(overrides: Partial<Indicator> = {}): Indicator {
	return {
		id: 'i',
		name: '试点典型',
		unit: '家',
		comparison: 'at-least',
		target: 2,
		deadline: '2023-09-30',
		order: 1,
		perCounty: {},
		...overrides
	};
}

const actual = (value: number) => ({ actual: value, evidence: '', updatedAt: '', updatedBy: '' });

describe('indicator commands', () => {
	test('add, edit target and deadline, record actuals with evidence, who and when', () => {
		const doc = newDoc(1);
		const id = addIndicator(doc, {
			name: '职工书屋覆盖率',
			unit: '%',
			comparison: 'at-least',
			target: 80,
			deadline: '2023-06-30'
		});
		updateIndicator(doc, id, { target: 85, deadline: '2023-09-30' });
		setCountyActual(doc, id, 'haigang', { actual: 60, evidence: '统计表' }, alice, T0);
		const [read] = readIndicators(doc);
		expect(read).toMatchObject({
			name: '职工书屋覆盖率',
			unit: '%',
			target: 85,
			deadline: '2023-09-30',
			perCounty: {
				haigang: { actual: 60, evidence: '统计表', updatedAt: T0.toISOString(), updatedBy: '张三' }
			}
		});
	});

	test('rejects a missing name, a negative target and a malformed deadline', () => {
		const doc = newDoc(1);
		const base = { name: 'x', unit: '', comparison: 'at-least' as const, target: 1, deadline: '' };
		expect(() => addIndicator(doc, { ...base, name: ' ' })).toThrow();
		expect(() => addIndicator(doc, { ...base, target: -1 })).toThrow();
		expect(() => addIndicator(doc, { ...base, deadline: '30/09/2023' })).toThrow();
		const id = addIndicator(doc, base);
		expect(() => updateIndicator(doc, id, { target: Number.NaN })).toThrow();
		expect(readIndicators(doc)[0]?.target).toBe(1);
	});

	test('clearing the value and evidence removes the county entry; indicators can be removed', () => {
		const doc = newDoc(1);
		const id = addIndicator(doc, {
			name: '劳动公园',
			unit: '处',
			comparison: 'all',
			target: 1,
			deadline: ''
		});
		setCountyActual(doc, id, 'lulong', { actual: 1, evidence: '' }, alice, T0);
		setCountyActual(doc, id, 'lulong', { actual: null, evidence: '' }, alice, T0);
		expect(readIndicators(doc)[0]?.perCounty).toEqual({});
		removeIndicator(doc, id);
		expect(readIndicators(doc)).toEqual([]);
	});

	test('two counties recorded apart by two city users both survive the merge', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const id = addIndicator(a, {
			name: '参与率',
			unit: '%',
			comparison: 'at-least',
			target: 90,
			deadline: '2023-09-30'
		});
		syncAll(a, b);
		setCountyActual(a, id, 'haigang', { actual: 92, evidence: '' }, alice, T0);
		setCountyActual(b, id, 'qinglong', { actual: 75, evidence: '山区企业分散' }, bob, T0);
		syncAll(a, b);
		expect(readIndicators(a)).toEqual(readIndicators(b));
		expect(Object.keys(readIndicators(a)[0]!.perCounty).sort()).toEqual(['haigang', 'qinglong']);
	});
});

describe('on-track computation', () => {
	const start = '2022-09-30';

	test('the expected share grows evenly from the campaign start to the deadline', () => {
		expect(expectedShare(start, '2023-09-30', '2022-09-01')).toBe(0);
		expect(expectedShare(start, '2023-09-30', '2023-03-31')).toBeCloseTo(182 / 365, 5);
		expect(expectedShare(start, '2023-09-30', '2023-09-30')).toBe(1);
		expect(expectedShare(start, '', '2023-03-31')).toBe(0);
	});

	test('met when the target is reached, before or after the deadline', () => {
		const i = indicator({ perCounty: { haigang: actual(2) } });
		expect(countyProgress(i, 'haigang', '2023-01-01', start)).toBe('met');
		expect(countyProgress(i, 'haigang', '2024-01-01', start)).toBe('met');
	});

	test('on track when the value keeps pace with time, behind when it does not', () => {
		const i = indicator({ perCounty: { haigang: actual(1), funing: actual(0) } });
		// Half-way through the year one of two is on pace; none is behind.
		expect(countyProgress(i, 'haigang', '2023-03-31', start)).toBe('on-track');
		expect(countyProgress(i, 'funing', '2023-03-31', start)).toBe('behind');
		expect(countyProgress(i, 'funing', '2022-09-30', start)).toBe('on-track');
	});

	test('missed once the deadline passed without reaching the target; no data before that', () => {
		const i = indicator({ perCounty: { haigang: actual(1) } });
		expect(countyProgress(i, 'haigang', '2023-10-01', start)).toBe('missed');
		expect(countyProgress(i, 'lulong', '2023-05-01', start)).toBe('no-data');
		expect(countyProgress(i, 'lulong', '2023-10-01', start)).toBe('missed');
	});

	test('percentages compare against the target value (≥ 90 %)', () => {
		const i = indicator({ unit: '%', target: 90, perCounty: { a: actual(90), b: actual(89.5) } });
		expect(countyProgress(i, 'a', '2023-09-30', start)).toBe('met');
		expect(countyProgress(i, 'b', '2023-09-30', start)).not.toBe('met');
	});

	test('coverage (全覆盖) is only ok when every county has it; at-least when all are on track', () => {
		const counties = ['a', 'b', 'c'];
		const coverage = indicator({
			comparison: 'all',
			target: 1,
			perCounty: { a: actual(1), b: actual(1), c: actual(0) }
		});
		// A quarter into the year, the county without a park is already behind.
		expect(summarizeIndicator(coverage, counties, '2023-01-01', start)).toEqual({
			met: 2,
			onTrack: 2,
			total: 3,
			ok: false
		});
		const full = indicator({
			comparison: 'all',
			target: 1,
			perCounty: { a: actual(1), b: actual(1), c: actual(1) }
		});
		expect(summarizeIndicator(full, counties, '2023-01-01', start).ok).toBe(true);
		const atLeast = indicator({ perCounty: { a: actual(2), b: actual(1), c: actual(1) } });
		expect(summarizeIndicator(atLeast, counties, '2023-03-31', start)).toMatchObject({
			met: 1,
			onTrack: 3,
			ok: true
		});
	});
});
