import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	deleteProblem,
	editDescription,
	editMeasure,
	moveProblem,
	removeMeasure,
	restoreProblem,
	setCoOwners,
	setMeasureDone,
	TITLE_MAX,
	updateProblem
} from '../../src/lib/domain/commands';
import { problemsOf, readProblem, readProblems, toColumns } from '../../src/lib/domain/problem';
import { alice, bob, mapOf, newDoc, read, syncAll } from './support';

const T0 = new Date('2022-10-01T08:00:00.000Z');
const T1 = new Date('2022-10-02T09:30:00.000Z');

const columnIds = (doc: Y.Doc) => {
	const columns = toColumns(readProblems(doc));
	return Object.fromEntries(
		Object.entries(columns).map(([tier, list]) => [tier, list.map((p) => p.id)])
	);
};

function countUpdates(doc: Y.Doc, fn: () => void): number {
	let updates = 0;
	const onUpdate = () => updates++;
	doc.on('update', onUpdate);
	try {
		fn();
	} finally {
		doc.off('update', onUpdate);
	}
	return updates;
}

describe('createProblem', () => {
	test('writes the fields of the DESIGN schema with shared types where collaboration needs them', () => {
		const doc = newDoc(1);
		const id = createProblem(
			doc,
			{
				title: '职工书屋建设滞后',
				tier: 'union-system',
				description: '三个乡镇没有',
				focus: 'organization',
				visit: 'v1'
			},
			alice,
			T0
		);
		const map = mapOf(doc, id);
		expect(map.get('description')).toBeInstanceOf(Y.Text);
		expect((map.get('description') as Y.Text).toString()).toBe('三个乡镇没有');
		expect(map.get('measures')).toBeInstanceOf(Y.Array);
		expect(map.get('coOwners')).toBeInstanceOf(Y.Array);
		expect(map.get('log')).toBeInstanceOf(Y.Array);
		expect(read(doc, id)).toMatchObject({
			id,
			title: '职工书屋建设滞后',
			description: '三个乡镇没有',
			tier: 'union-system',
			status: 'open',
			focus: 'organization',
			goal: null,
			measures: [],
			coOwners: [],
			owner: '',
			assignee: '',
			leader: '',
			due: '',
			visit: 'v1',
			createdAt: T0.toISOString(),
			createdBy: '张三',
			updatedAt: T0.toISOString(),
			deleted: false
		});
		expect(read(doc, id).log).toEqual([
			{ at: T0.toISOString(), by: '张三', kind: 'created', text: '', detail: '' }
		]);
	});

	test('takes its 联系领导 from the visit or county it was listed for', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x', visit: 'v1', leader: '李光' }, alice, T0);
		expect(read(doc, id).leader).toBe('李光');
	});

	test('defaults to the unsorted column and the "other" focus', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		expect(read(doc, id)).toMatchObject({
			tier: 'unsorted',
			focus: 'other',
			description: '',
			visit: ''
		});
		expect(mapOf(doc, id).has('visit')).toBe(false);
	});

	test('returns distinct ids', () => {
		const doc = newDoc(1);
		const made = new Set(
			Array.from({ length: 50 }, () => createProblem(doc, { title: 'x' }, alice))
		);
		expect(made.size).toBe(50);
		expect(problemsOf(doc).size).toBe(50);
	});

	test('appends each new problem at the end of its own column', () => {
		const doc = newDoc(1);
		const a = createProblem(doc, { title: 'a', tier: 'party-gov' }, alice);
		const other = createProblem(doc, { title: 'other', tier: 'county-self' }, alice);
		const b = createProblem(doc, { title: 'b', tier: 'party-gov' }, alice);
		moveProblem(doc, a, 'party-gov', 1, alice); // a is now last
		const c = createProblem(doc, { title: 'c', tier: 'party-gov' }, alice);
		expect(columnIds(doc)).toMatchObject({ 'party-gov': [b, a, c], 'county-self': [other] });
	});

	test('trims the title and clips it to the maximum length', () => {
		const doc = newDoc(1);
		expect(read(doc, createProblem(doc, { title: '  标题  \n' }, alice)).title).toBe('标题');
		const long = createProblem(doc, { title: '长'.repeat(TITLE_MAX + 50) }, alice);
		expect(read(doc, long).title).toBe('长'.repeat(TITLE_MAX));
	});

	test('refuses an empty or blank title and writes nothing', () => {
		const doc = newDoc(1);
		expect(() => createProblem(doc, { title: '' }, alice)).toThrow();
		expect(() => createProblem(doc, { title: '   \t' }, alice)).toThrow();
		expect(problemsOf(doc).size).toBe(0);
	});
});

describe('updateProblem', () => {
	test('changes plain fields and updatedAt', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		updateProblem(
			doc,
			id,
			{
				title: ' 新标题 ',
				owner: ' 市总工会 ',
				assignee: '王五',
				leader: '孙宝旗',
				due: '2022-12-31',
				focus: 'new-employment',
				goal: 'service'
			},
			bob,
			T1
		);
		expect(read(doc, id)).toMatchObject({
			title: '新标题',
			owner: '市总工会',
			assignee: '王五',
			leader: '孙宝旗',
			due: '2022-12-31',
			focus: 'new-employment',
			goal: 'service',
			updatedAt: T1.toISOString()
		});
	});

	test('logs a status change as old→new with who and when', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		updateProblem(doc, id, { status: 'in-progress' }, bob, T1);
		expect(read(doc, id).status).toBe('in-progress');
		expect(read(doc, id).log.at(-1)).toEqual({
			at: T1.toISOString(),
			by: '李四',
			kind: 'status',
			text: 'open→in-progress',
			detail: ''
		});
	});

	test('does not log other field changes as status changes', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		updateProblem(doc, id, { owner: '市总工会' }, bob, T1);
		expect(read(doc, id).log.map((e) => e.kind)).toEqual(['created']);
	});

	test('unchanged values write nothing: no log entry and no update event', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		updateProblem(doc, id, { owner: 'o', goal: 'political' }, alice, T0);
		const before = mapOf(doc, id).toJSON();
		const updates = countUpdates(doc, () =>
			updateProblem(
				doc,
				id,
				{ title: 'x', status: 'open', owner: ' o ', goal: 'political' },
				bob,
				T1
			)
		);
		expect(updates).toBe(0);
		expect(mapOf(doc, id).toJSON()).toEqual(before);
	});

	test('clearing the goal removes the key', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		updateProblem(doc, id, { goal: 'political' }, alice, T0);
		updateProblem(doc, id, { goal: null }, alice, T1);
		expect(read(doc, id).goal).toBeNull();
		expect(mapOf(doc, id).has('goal')).toBe(false);
	});

	test('an empty title is ignored, other fields of the same patch still apply', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'keep me' }, alice, T0);
		updateProblem(doc, id, { title: '   ', owner: 'o' }, alice, T1);
		expect(read(doc, id)).toMatchObject({ title: 'keep me', owner: 'o' });
		expect(countUpdates(doc, () => updateProblem(doc, id, { title: '' }, alice, T1))).toBe(0);
	});

	test('an unknown problem id throws', () => {
		expect(() => updateProblem(newDoc(1), 'nope', { owner: 'x' }, alice)).toThrow(/not found/);
	});
});

describe('moveProblem', () => {
	test('moving to another column changes the tier and logs it', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		moveProblem(doc, id, 'party-gov', 0, bob, T1);
		expect(read(doc, id).tier).toBe('party-gov');
		expect(read(doc, id).updatedAt).toBe(T1.toISOString());
		expect(read(doc, id).log.at(-1)).toEqual({
			at: T1.toISOString(),
			by: '李四',
			kind: 'tier',
			text: 'unsorted→party-gov',
			detail: ''
		});
		expect(columnIds(doc)).toMatchObject({ unsorted: [], 'party-gov': [id] });
	});

	test('reordering inside a column is not logged as a tier change', () => {
		const doc = newDoc(1);
		const a = createProblem(doc, { title: 'a' }, alice);
		const b = createProblem(doc, { title: 'b' }, alice);
		moveProblem(doc, b, 'unsorted', 0, bob, T1);
		expect(columnIds(doc).unsorted).toEqual([b, a]);
		expect(read(doc, b).log.map((e) => e.kind)).toEqual(['created']);
	});

	test('respects the drop index in the target column', () => {
		const doc = newDoc(1);
		const [p, q, r] = ['p', 'q', 'r'].map((t) =>
			createProblem(doc, { title: t, tier: 'county-self' }, alice)
		);
		const x = createProblem(doc, { title: 'x' }, alice);
		moveProblem(doc, x, 'county-self', 1, alice);
		expect(columnIds(doc)['county-self']).toEqual([p, x, q, r]);
		moveProblem(doc, x, 'county-self', 3, alice);
		expect(columnIds(doc)['county-self']).toEqual([p, q, r, x]);
		moveProblem(doc, x, 'county-self', 0, alice);
		expect(columnIds(doc)['county-self']).toEqual([x, p, q, r]);
	});

	test('placing between cards with tied keys lands exactly where dropped', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const first = createProblem(a, { title: 'first' }, alice);
		syncAll(a, b);
		const fromA = createProblem(a, { title: 'a' }, alice);
		const fromB = createProblem(b, { title: 'b' }, bob);
		syncAll(a, b);
		expect(read(a, fromA).order).toBe(read(a, fromB).order); // the tie this test is about
		const tied = columnIds(a).unsorted!.slice(1);
		const x = createProblem(a, { title: 'x', tier: 'party-gov' }, alice);
		moveProblem(a, x, 'unsorted', 2, alice);
		expect(columnIds(a).unsorted).toEqual([first, tied[0], x, tied[1]]);
	});
});

describe('deleteProblem / restoreProblem', () => {
	test('deleting hides the problem from the board but keeps it', () => {
		const doc = newDoc(1);
		const keep = createProblem(doc, { title: 'keep' }, alice);
		const gone = createProblem(doc, { title: 'gone' }, alice);
		deleteProblem(doc, gone, bob, T1);
		expect(problemsOf(doc).has(gone)).toBe(true);
		expect(read(doc, gone).deleted).toBe(true);
		expect(read(doc, gone).log.at(-1)).toMatchObject({ kind: 'deleted', by: '李四' });
		expect(readProblems(doc).find((p) => p.id === gone)?.deleted).toBe(true);
		expect(columnIds(doc).unsorted).toEqual([keep]);
	});

	test('restoring brings it back to its column with its content', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'back', tier: 'party-gov', description: 'text' }, alice);
		deleteProblem(doc, id, alice, T0);
		restoreProblem(doc, id, bob, T1);
		expect(read(doc, id)).toMatchObject({
			deleted: false,
			title: 'back',
			description: 'text',
			tier: 'party-gov'
		});
		expect(mapOf(doc, id).has('deletedAt')).toBe(false);
		expect(mapOf(doc, id).has('deletedBy')).toBe(false);
		expect(read(doc, id).log.at(-1)).toMatchObject({ kind: 'restored', by: '李四' });
		expect(columnIds(doc)['party-gov']).toEqual([id]);
	});
});

describe('editDescription', () => {
	test('replaces the text', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x', description: '原来的描述' }, alice);
		editDescription(doc, id, '新的描述', T1);
		expect(read(doc, id).description).toBe('新的描述');
		expect(read(doc, id).updatedAt).toBe(T1.toISOString());
	});

	test('an unchanged text writes nothing', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x', description: 'same' }, alice);
		expect(countUpdates(doc, () => editDescription(doc, id, 'same'))).toBe(0);
	});

	test('splices only the changed range, so concurrent typing elsewhere survives', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const id = createProblem(a, { title: 'x', description: 'middle' }, alice);
		syncAll(a, b);
		editDescription(a, id, 'start middle');
		editDescription(b, id, 'middle end');
		syncAll(a, b);
		expect(read(a, id).description).toBe('start middle end');
		expect(read(b, id).description).toBe('start middle end');
	});

	test('a replacement in the middle keeps concurrent edits at both ends', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const c = newDoc(3);
		const id = createProblem(a, { title: 'x', description: '甲乙丙丁戊' }, alice);
		syncAll(a, b, c);
		editDescription(a, id, '甲乙X丁戊');
		editDescription(b, id, '<甲乙丙丁戊');
		editDescription(c, id, '甲乙丙丁戊>');
		syncAll(a, b, c);
		for (const doc of [a, b, c]) expect(read(doc, id).description).toBe('<甲乙X丁戊>');
	});

	test('editing emoji never splits a surrogate pair', () => {
		const doc = newDoc(1);
		const cases: [string, string][] = [
			['x😀y', 'x😃y'],
			['😀', '😃'],
			['😀', '🈀'], // same low surrogate, different high one
			['a😀', 'a😀😀'],
			['👍🏻', '👍🏽'],
			['😀😀', '😀']
		];
		for (const [from, to] of cases) {
			const id = createProblem(doc, { title: 'x', description: from }, alice);
			editDescription(doc, id, to);
			expect(read(doc, id).description, `${from} → ${to}`).toBe(to);
		}
	});

	test('a description that another client wrote as a plain string becomes shared text', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice);
		mapOf(doc, id).set('description', 'plain');
		expect(read(doc, id).description).toBe('plain');
		editDescription(doc, id, 'plain text');
		expect(mapOf(doc, id).get('description')).toBeInstanceOf(Y.Text);
		expect(read(doc, id).description).toBe('plain text');
	});
});

describe('measures', () => {
	test('add, toggle, edit and remove a measure', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		const m1 = addMeasure(doc, id, ' 建立职工书屋 ', T1);
		const m2 = addMeasure(doc, id, '开展技能培训');
		expect(read(doc, id).measures).toEqual([
			{ id: m1, text: '建立职工书屋', done: false },
			{ id: m2, text: '开展技能培训', done: false }
		]);
		setMeasureDone(doc, id, m1, true);
		expect(read(doc, id).measures[0]!.done).toBe(true);
		setMeasureDone(doc, id, m1, false);
		expect(read(doc, id).measures[0]!.done).toBe(false);
		editMeasure(doc, id, m2, '开展线上技能培训');
		expect(read(doc, id).measures[1]!.text).toBe('开展线上技能培训');
		removeMeasure(doc, id, m1);
		expect(read(doc, id).measures).toEqual([{ id: m2, text: '开展线上技能培训', done: false }]);
	});

	test('an empty measure is refused, an empty edit is ignored', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice);
		expect(() => addMeasure(doc, id, '  ')).toThrow();
		const m = addMeasure(doc, id, 'text');
		editMeasure(doc, id, m, '   ');
		expect(read(doc, id).measures).toEqual([{ id: m, text: 'text', done: false }]);
	});

	test('toggling an unknown measure throws, removing one is a no-op', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice);
		addMeasure(doc, id, 'text');
		expect(() => setMeasureDone(doc, id, 'nope', true)).toThrow(/not found/);
		removeMeasure(doc, id, 'nope');
		expect(read(doc, id).measures).toHaveLength(1);
	});

	test('a broken measures value from another client is replaced on the next add', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice);
		mapOf(doc, id).set('measures', 'not a list');
		expect(read(doc, id).measures).toEqual([]);
		const m = addMeasure(doc, id, 'text');
		expect(read(doc, id).measures).toEqual([{ id: m, text: 'text', done: false }]);
	});
});

describe('setCoOwners', () => {
	test('replaces the list, trimmed, without duplicates or blanks', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice);
		setCoOwners(doc, id, ['人社局', ' 人社局 ', '', '财政局', '人社局']);
		expect(read(doc, id).coOwners).toEqual(['人社局', '财政局']);
		setCoOwners(doc, id, ['财政局']);
		expect(read(doc, id).coOwners).toEqual(['财政局']);
	});

	test('an unchanged list writes nothing', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice);
		setCoOwners(doc, id, ['a', 'b']);
		expect(countUpdates(doc, () => setCoOwners(doc, id, ['a', ' b', 'a']))).toBe(0);
	});
});

describe('addProgressNote', () => {
	test('appends a note to the log', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		addProgressNote(doc, id, ' 已召开协调会 ', bob, T1);
		expect(read(doc, id).log.at(-1)).toEqual({
			at: T1.toISOString(),
			by: '李四',
			kind: 'note',
			text: '已召开协调会',
			detail: ''
		});
		expect(read(doc, id).updatedAt).toBe(T1.toISOString());
	});

	test('an empty note writes nothing', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: 'x' }, alice, T0);
		expect(countUpdates(doc, () => addProgressNote(doc, id, '  ', bob))).toBe(0);
	});
});

describe('readProblem with foreign or broken values', () => {
	function foreign(values: Record<string, unknown>) {
		const doc = newDoc(1);
		const map = new Y.Map<unknown>();
		problemsOf(doc).set('p1', map);
		for (const [key, value] of Object.entries(values)) map.set(key, value);
		return { doc, map };
	}

	test('unknown enum values and malformed fields read as safe defaults', () => {
		const { map } = foreign({
			title: 42,
			description: { rich: true },
			tier: 'bogus',
			status: 3,
			order: 'not a key!',
			focus: 'space',
			goal: 'strong',
			due: 'tomorrow',
			measures: 'many',
			coOwners: 'x',
			log: 7,
			deletedAt: 1
		});
		expect(readProblem('p1', map)).toMatchObject({
			title: '',
			description: '',
			tier: 'unsorted',
			status: 'open',
			order: '',
			focus: 'other',
			goal: null,
			due: '',
			measures: [],
			coOwners: [],
			log: [],
			deleted: false
		});
	});

	test('broken entries inside lists are skipped', () => {
		const measures = new Y.Array<unknown>();
		const good = new Y.Map<unknown>();
		const noId = new Y.Map<unknown>();
		measures.push(['plain string', good, noId, 5]);
		good.set('id', 'm1');
		good.set('text', 'ok');
		good.set('done', 'yes'); // only `true` counts as done
		noId.set('text', 'no id');
		const coOwners = new Y.Array<unknown>();
		coOwners.push(['人社局', 5, null, '财政局']);
		const { map } = foreign({ title: 't', measures, coOwners });
		expect(readProblem('p1', map).measures).toEqual([{ id: 'm1', text: 'ok', done: false }]);
		expect(readProblem('p1', map).coOwners).toEqual(['人社局', '财政局']);
	});

	test('oversized strings are clipped', () => {
		const { map } = foreign({ title: 'x'.repeat(10_000), owner: 'y'.repeat(1000) });
		expect(readProblem('p1', map).title).toHaveLength(500);
		expect(readProblem('p1', map).owner).toHaveLength(200);
	});

	test('a foreign problem shows up in the unsorted column and can be edited', () => {
		const { doc } = foreign({
			title: 'from a newer client',
			tier: 'future-tier',
			status: 'archived'
		});
		expect(toColumns(readProblems(doc)).unsorted.map((p) => p.id)).toEqual(['p1']);
		updateProblem(doc, 'p1', { status: 'in-progress' }, alice, T1);
		expect(read(doc, 'p1').log.at(-1)).toMatchObject({ kind: 'status', text: 'open→in-progress' });
	});

	test('non-map entries in the problems map are ignored by the board', () => {
		const doc = newDoc(1);
		problemsOf(doc).set('junk', 'a string' as unknown as Y.Map<unknown>);
		const id = createProblem(doc, { title: 'real' }, alice);
		expect(readProblems(doc).map((p) => p.id)).toEqual([id]);
		expect(() => updateProblem(doc, 'junk', { owner: 'x' }, alice)).toThrow(/not found/);
	});

	test('unknown keys written by newer clients survive every edit and sync', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const id = createProblem(a, { title: 'x' }, alice);
		const nested = new Y.Map<unknown>();
		mapOf(a, id).set('futureField', 'kept');
		mapOf(a, id).set('futureNested', nested);
		nested.set('k', 1);
		syncAll(a, b);
		updateProblem(b, id, { title: 'y', status: 'resolved', due: '2023-01-01' }, bob);
		moveProblem(b, id, 'county-self', 0, bob);
		editDescription(b, id, 'desc');
		const m = addMeasure(b, id, 'm');
		setMeasureDone(b, id, m, true);
		setCoOwners(b, id, ['u']);
		addProgressNote(b, id, 'note', bob);
		deleteProblem(b, id, bob);
		restoreProblem(b, id, bob);
		syncAll(a, b);
		for (const doc of [a, b]) {
			expect(mapOf(doc, id).get('futureField')).toBe('kept');
			expect((mapOf(doc, id).get('futureNested') as Y.Map<unknown>).toJSON()).toEqual({ k: 1 });
		}
	});
});
