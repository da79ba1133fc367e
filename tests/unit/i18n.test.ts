import { describe, expect, test } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { zhCN } from '../../src/lib/i18n/zh-CN';

const placeholders = (message: string) =>
	[...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('interface text', () => {
	test('zh-CN and en have the same keys', () => {
		const zhKeys = Object.keys(zhCN);
		const enKeys = Object.keys(en);
		const missingInEn = zhKeys.filter((k) => !(k in en));
		const missingInZh = enKeys.filter((k) => !(k in zhCN));
		expect({ missingInEn, missingInZh }).toEqual({ missingInEn: [], missingInZh: [] });
	});

	test('no message is empty or blank', () => {
		const blank = [
			...Object.entries(zhCN).map(([k, v]) => [`zh-CN ${k}`, v] as const),
			...Object.entries(en).map(([k, v]) => [`en ${k}`, v] as const)
		]
			.filter(([, v]) => typeof v !== 'string' || !v.trim())
			.map(([k]) => k);
		expect(blank).toEqual([]);
	});

	test('each message uses the same {placeholders} in both languages', () => {
		const mismatched = Object.entries(zhCN)
			.filter(([key]) => key in en)
			.map(([key, zh]) => ({
				key,
				zh: placeholders(zh),
				en: placeholders(en[key as keyof typeof en])
			}))
			.filter((m) => JSON.stringify(m.zh) !== JSON.stringify(m.en));
		expect(mismatched).toEqual([]);
	});

	test('placeholders are well formed: no stray or unbalanced braces', () => {
		const broken = [...Object.entries(zhCN), ...Object.entries(en)]
			.filter(([, v]) => /[{}]/.test(v.replace(/\{\w+\}/g, '')))
			.map(([k]) => k);
		expect(broken).toEqual([]);
	});
});
