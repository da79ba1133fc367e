import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/** A message as stored in messages/*.json: plain text, or variants (plurals) over declarations. */
type StoredMessage =
	string | { declarations?: string[]; selectors?: string[]; match: Record<string, string> }[];

function load(locale: string): Record<string, StoredMessage> {
	const url = new URL(`../../messages/${locale}.json`, import.meta.url);
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(url, 'utf8'));
	return messages;
}

const zhCN = load('zh-CN');
const en = load('en');

/** Every text a person may see for a message: the message itself or each of its variants. */
const texts = (message: StoredMessage): string[] =>
	typeof message === 'string' ? [message] : message.flatMap((m) => Object.values(m.match));

/** The inputs a message takes: its `{placeholders}` and declared inputs, without local names. */
function inputs(message: StoredMessage): string[] {
	const names = new Set(
		texts(message).flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))
	);
	if (typeof message !== 'string') {
		for (const declaration of message.flatMap((m) => m.declarations ?? [])) {
			const [kind, name] = declaration.split(/\s+/);
			if (kind === 'input') names.add(name!);
			if (kind === 'local') names.delete(name!);
		}
	}
	return [...names].sort();
}

describe('interface text', () => {
	test('zh-CN and en have the same keys', () => {
		const missingInEn = Object.keys(zhCN).filter((k) => !(k in en));
		const missingInZh = Object.keys(en).filter((k) => !(k in zhCN));
		expect({ missingInEn, missingInZh }).toEqual({ missingInEn: [], missingInZh: [] });
	});

	test('no message is empty or blank', () => {
		const blank = [
			...Object.entries(zhCN).map(([k, v]) => [`zh-CN ${k}`, v] as const),
			...Object.entries(en).map(([k, v]) => [`en ${k}`, v] as const)
		]
			.filter(([, v]) => texts(v).length === 0 || texts(v).some((text) => !text.trim()))
			.map(([k]) => k);
		expect(blank).toEqual([]);
	});

	test('each message takes the same inputs in both languages', () => {
		const mismatched = Object.entries(zhCN)
			.filter(([key]) => key in en)
			.map(([key, zh]) => ({ key, zh: inputs(zh), en: inputs(en[key]!) }))
			.filter((m) => JSON.stringify(m.zh) !== JSON.stringify(m.en));
		expect(mismatched).toEqual([]);
	});

	test('placeholders are well formed: no stray or unbalanced braces', () => {
		const broken = [...Object.entries(zhCN), ...Object.entries(en)]
			.filter(([, v]) => texts(v).some((text) => /[{}]/.test(text.replace(/\{\w+\}/g, ''))))
			.map(([k]) => k);
		expect(broken).toEqual([]);
	});

	test('every message with variants has a fallback for any other count', () => {
		const noFallback = [...Object.entries(zhCN), ...Object.entries(en)]
			.filter(([, v]) => typeof v !== 'string')
			.filter(([, v]) =>
				(v as Exclude<StoredMessage, string>).some(
					(m) => !Object.keys(m.match).some((k) => /=(other|\*)$/.test(k))
				)
			)
			.map(([k]) => k);
		expect(noFallback).toEqual([]);
	});
});
