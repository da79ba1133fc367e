import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	rebaseCaret,
	rebaseEdit,
	spliceBetween,
	transformIndex,
	type DeltaOp
} from '../../src/lib/domain/text-rebase';

/** The deltas a remote edit makes on `text`, as the observer would see them. */
function remote(text: Y.Text, edit: (text: Y.Text) => void): DeltaOp[] {
	let delta: DeltaOp[] = [];
	const observer = (event: Y.YTextEvent) => (delta = event.delta as DeltaOp[]);
	text.observe(observer);
	edit(text);
	text.unobserve(observer);
	return delta;
}

describe('carrying an edit made during a composition onto the current text', () => {
	it('finds the one splice between two texts', () => {
		expect(spliceBetween('工会组织', '工会基层组织')).toEqual({
			index: 2,
			remove: 0,
			insert: '基层'
		});
		expect(spliceBetween('abcabc', 'abc')).toEqual({ index: 3, remove: 3, insert: '' });
		expect(spliceBetween('', '夜班')).toEqual({ index: 0, remove: 0, insert: '夜班' });
		expect(spliceBetween('same', 'same')).toEqual({ index: 4, remove: 0, insert: '' });
	});

	it('moves positions past remote inserts and deletes before them', () => {
		const delta: DeltaOp[] = [{ retain: 2 }, { insert: 'XY' }, { retain: 3 }, { delete: 2 }];
		expect(transformIndex(delta, 1)).toBe(1);
		expect(transformIndex(delta, 3)).toBe(5);
		expect(transformIndex(delta, 7)).toBe(7);
	});

	it('keeps what others typed meanwhile, before, after and at the same place', () => {
		const doc = new Y.Doc();
		const text = doc.getText('description');
		text.insert(0, '职工反映：宿舍');
		const base = text.toString();
		// This person composes 夜班 after "职工反映："; meanwhile others type at both ends.
		const edited = '职工反映：夜班宿舍';
		const deltas = [
			remote(text, (t) => t.insert(0, '【急】')),
			remote(text, (t) => t.insert(t.length, '条件差')),
			remote(text, (t) => t.insert(8, '食堂、'))
		];
		expect(text.toString()).toBe('【急】职工反映：食堂、宿舍条件差');
		expect(rebaseEdit(base, edited, text.toString(), deltas)).toBe(
			'【急】职工反映：夜班食堂、宿舍条件差'
		);
		// The caret, after 夜班, stays right after it: others' text before it moves it along,
		// text after it does not.
		expect(rebaseCaret(base, edited, '职工反映：夜班'.length, deltas)).toBe(
			'【急】职工反映：夜班'.length
		);
		// A caret at the end of this person's text stays there; text others added right at that
		// place comes after it (as in the field when no one composes: transformIndex).
		expect(rebaseCaret(base, edited, edited.length, deltas)).toBe(
			'【急】职工反映：夜班食堂、宿舍'.length
		);
		expect(rebaseCaret(base, edited, 2, deltas)).toBe('【急】职工'.length);
	});

	it('replaces only what is still there when a remote change deleted part of it', () => {
		const doc = new Y.Doc();
		const text = doc.getText('description');
		text.insert(0, 'abcdef');
		const deltas = [remote(text, (t) => t.delete(2, 3))];
		// Locally "bcd" was replaced by "X"; remotely "cde" was deleted.
		expect(rebaseEdit('abcdef', 'aXef', text.toString(), deltas)).toBe('aXf');
	});
});
