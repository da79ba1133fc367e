import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addProgressNote, createProblem } from '../../src/lib/domain/commands';
import {
	latestProgressNote,
	meetingGrid,
	meetingLayout,
	meetingPages,
	type MeetingGroup
} from '../../src/lib/domain/meeting';
import type { LogEntry } from '../../src/lib/domain/problem';
import { alice, bob, read, syncAll } from './support';

const group = (key: string, count: number): MeetingGroup<string> => ({
	key,
	title: key,
	rows: Array.from({ length: count }, (_, i) => `${key}${i + 1}`)
});

describe('meeting screens', () => {
	test('a 1920 × 1080 projector holds three columns of three cards', () => {
		// The overlay's padding and header leave 1880 × 956 pixels for cards.
		expect(meetingGrid(1880, 956)).toEqual({ columns: 3, rows: 3 });
		// A 1366 × 768 laptop.
		expect(meetingGrid(1326, 644)).toEqual({ columns: 2, rows: 2 });
		expect(meetingGrid(300, 100)).toEqual({ columns: 1, rows: 1 });
	});

	test('one screen per group, a big group split evenly, an empty group kept', () => {
		const pages = meetingPages([group('海港区', 2), group('山海关区', 0), group('昌黎县', 10)], 9);
		expect(pages.map((p) => [p.key, p.part, p.parts, p.rows.length, p.count])).toEqual([
			['海港区', 1, 1, 2, 2],
			['山海关区', 1, 1, 0, 0],
			['昌黎县', 1, 2, 5, 10],
			['昌黎县', 2, 2, 5, 10]
		]);
		// Every card is on exactly one screen, in the group's order.
		expect(pages.flatMap((p) => p.rows)).toEqual([
			...group('海港区', 2).rows,
			...group('昌黎县', 10).rows
		]);
		const big = meetingPages([group('卢龙县', 19)], 9);
		expect(big.map((p) => p.rows.length)).toEqual([7, 6, 6]);
	});

	test('cards span the whole width in as few rows as fit', () => {
		const grid = { columns: 3, rows: 3 };
		const layouts = [0, 1, 2, 3, 4, 5, 6, 7, 9].map((n) => {
			const { columns, rows } = meetingLayout(n, grid);
			return `${n}: ${columns}×${rows}`;
		});
		expect(layouts).toEqual([
			'0: 1×1',
			'1: 1×1',
			'2: 2×1',
			'3: 3×1',
			'4: 2×2',
			'5: 3×2',
			'6: 3×2',
			'7: 3×3',
			'9: 3×3'
		]);
		// A narrow screen: one column, as many rows as the screen holds.
		expect(meetingLayout(2, { columns: 1, rows: 2 })).toEqual({ columns: 1, rows: 2 });
	});
});

describe('latest progress note', () => {
	test('is the newest note by time, with its day in Shanghai', () => {
		const doc = new Y.Doc();
		const id = createProblem(doc, { title: '职工书屋缺少图书' }, alice);
		expect(latestProgressNote(read(doc, id))).toBeNull();
		addProgressNote(doc, id, '已联系新华书店', alice, new Date('2022-10-20T09:00:00Z'));
		// 23:30 UTC is already the next morning in Shanghai.
		addProgressNote(doc, id, '  首批图书已到位  ', bob, new Date('2022-11-01T23:30:00Z'));
		addProgressNote(doc, id, '督促加快进度', alice, new Date('2022-11-05T00:00:00Z'), 'guidance');
		expect(latestProgressNote(read(doc, id))).toEqual({
			day: '2022-11-02',
			by: '李四',
			text: '首批图书已到位'
		});
	});

	test('notes written apart on two devices: the later one wins whatever the merge order', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const id = createProblem(a, { title: '爱心妈妈小屋建设慢' }, alice);
		syncAll(a, b);
		addProgressNote(b, id, '已选址五处', bob, new Date('2022-11-03T02:00:00Z'));
		addProgressNote(a, id, '完成两处建设', alice, new Date('2022-11-10T02:00:00Z'));
		syncAll(a, b);
		expect(latestProgressNote(read(a, id))?.text).toBe('完成两处建设');
		expect(latestProgressNote(read(b, id))).toEqual(latestProgressNote(read(a, id)));
	});

	test('a note with an unreadable time from another client counts as oldest', () => {
		const log: LogEntry[] = [
			{ at: '2022-11-01T00:00:00Z', by: '张三', kind: 'note', text: '有日期', detail: '' },
			{ at: 'not a time', by: '李四', kind: 'note', text: '没有日期', detail: '' },
			{ at: '2022-11-09T00:00:00Z', by: '李四', kind: 'note', text: '   ', detail: '' }
		];
		expect(latestProgressNote({ log })).toEqual({ day: '2022-11-01', by: '张三', text: '有日期' });
		expect(latestProgressNote({ log: [log[1]!] })).toEqual({
			day: '',
			by: '李四',
			text: '没有日期'
		});
	});
});
