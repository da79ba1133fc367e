import { describe, expect, test } from 'vitest';
import { csvField, safeCell, toCsv } from '../../src/lib/domain/spreadsheet';

// Guarantee 18: exported cells never start a formula.
describe('cells for spreadsheets', () => {
	test.each([
		['=HYPERLINK("http://evil.example","点我")'],
		['+cmd|" /C calc"!A0'],
		['-2+3'],
		['@SUM(A1:A9)'],
		['\t=1+1'],
		['\r=1+1'],
		['＝1+1'],
		['＋86 335 3030385'],
		['－5'],
		['＠all']
	])('%j is written as text', (text) => {
		expect(safeCell(text)).toBe(`'${text}`);
		expect(csvField(text).replace(/^"|"$/g, '').startsWith("'")).toBe(true);
	});

	test.each([['职工服务中心专职人员不足'], ['3 人'], ['a=b'], [' =not first'], ["'quoted"], ['']])(
		'%j stays as it is',
		(text) => expect(safeCell(text)).toBe(text)
	);

	test('numbers stay numbers; quotes, commas and line breaks are quoted', () => {
		expect(csvField(-5)).toBe('-5');
		expect(csvField(null)).toBe('');
		expect(csvField('他说"好"，然后,走了')).toBe('"他说""好""，然后,走了"');
		expect(csvField('第一行\n第二行')).toBe('"第一行\n第二行"');
		expect(csvField('=1,2')).toBe(`"'=1,2"`);
	});

	test('a CSV file opens in Excel as UTF-8', () => {
		const csv = toCsv([
			['序号', '问题描述'],
			[1, '=WEBSERVICE("http://evil.example")']
		]);
		expect(csv).toBe('\uFEFF序号,问题描述\r\n1,"\'=WEBSERVICE(""http://evil.example"")"\r\n');
	});
});
