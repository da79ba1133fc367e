import { describe, expect, test } from 'vitest';
import { mergeHistory, type ServerChange } from '../../src/lib/domain/history';
import type { LogEntry } from '../../src/lib/domain/problem';

const change = (at: string, over: Partial<ServerChange> = {}): ServerChange => ({
	at,
	account: 'zhangsan',
	name: '张三',
	field: 'due',
	kind: 'changed',
	old: '2023-03-01',
	new: '2023-04-01',
	...over
});
const entry = (at: string, kind: string, text = ''): LogEntry => ({
	at,
	by: '某人',
	kind,
	text,
	detail: ''
});

describe('mergeHistory', () => {
	test('without a server record the whole log is shown, newest first', () => {
		const items = mergeHistory(
			[],
			[entry('2023-01-01', 'created'), entry('2023-01-02', 'note', 'a')]
		);
		expect(items.map((i) => [i.source, i.at])).toEqual([
			['local', '2023-01-02'],
			['local', '2023-01-01']
		]);
	});

	test("the server's record replaces the log from its first entry on; older log stays", () => {
		const items = mergeHistory(
			[change('2023-02-02'), change('2023-02-01')],
			[
				entry('2023-01-01', 'created'),
				entry('2023-02-01', 'status', 'open→in-progress'),
				entry('2023-02-03', 'deleted')
			]
		);
		expect(items.map((i) => [i.source, i.at])).toEqual([
			['server', '2023-02-02'],
			['server', '2023-02-01'],
			['local', '2023-01-01']
		]);
	});

	test('a record that holds the creation is the whole history: the log adds only pending notes', () => {
		const items = mergeHistory(
			[change('2023-02-01T00:00:01Z', { field: '', kind: 'created', old: null, new: '标题' })],
			[entry('2023-02-01T00:00:00Z', 'created'), entry('2023-02-01T00:00:00Z', 'note', '新')]
		);
		expect(items.map((i) => [i.source, i.source === 'local' && i.pending])).toEqual([
			['server', false],
			['local', true]
		]);
	});

	test('a note the server recorded is shown once; one it has not seen yet is pending', () => {
		const long = '长'.repeat(600);
		const items = mergeHistory(
			[
				change('2023-02-01', { field: 'log', kind: 'added', old: null, new: '已联系' }),
				change('2023-02-02', {
					field: 'log',
					kind: 'added',
					old: null,
					new: '长'.repeat(499) + '…'
				})
			],
			[
				entry('2023-02-01', 'note', '已联系'),
				entry('2023-02-02', 'note', long),
				entry('2023-02-03', 'note', '已联系'),
				entry('2023-02-04', 'guidance', '本月完成')
			]
		);
		expect(items.map((i) => [i.source, i.at, i.source === 'local' && i.pending])).toEqual([
			['local', '2023-02-04', true],
			['local', '2023-02-03', true],
			['server', '2023-02-02', false],
			['server', '2023-02-01', false]
		]);
	});

	test('log kinds named like object keys are not taken for notes', () => {
		const items = mergeHistory([change('2023-02-01')], [entry('2023-02-02', 'constructor', 'x')]);
		expect(items).toHaveLength(1);
	});
});
