import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { summarizeAway, isEmptySummary } from '../../src/lib/domain/away';
import {
	createProblem,
	deleteProblem,
	editDescription,
	moveProblem,
	updateProblem
} from '../../src/lib/domain/commands';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle';
import { readProblems } from '../../src/lib/domain/problem';
import { alice, bob, newDoc, read } from './support';

const wuwei = { username: 'wuwei', name: '武威', role: 'city' as const };

/**
 * A board both sides start from; `ours` and `theirs` change their copies apart, then `ours`
 * receives theirs (as the catch-up after reconnecting does).
 */
function apart<Ids>(
	setup: (doc: Y.Doc) => Ids,
	ourChanges: (doc: Y.Doc, ids: Ids) => void,
	theirChanges: (doc: Y.Doc, ids: Ids) => void,
	{ ourClient = 2, theirClient = 3 } = {}
) {
	const start = newDoc(1);
	const ids = setup(start);
	const ours = newDoc(ourClient);
	const theirs = newDoc(theirClient);
	Y.applyUpdate(ours, Y.encodeStateAsUpdate(start));
	Y.applyUpdate(theirs, Y.encodeStateAsUpdate(start));
	const base = readProblems(ours);
	ourChanges(ours, ids);
	theirChanges(theirs, ids);
	const mine = readProblems(ours);
	Y.applyUpdate(ours, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(ours)));
	const summary = summarizeAway({
		base,
		ours: mine,
		theirs: readProblems(theirs),
		after: readProblems(ours)
	});
	return { summary, merged: ours, ids };
}

const twoProblems = (doc: Y.Doc) => ({
	a: createProblem(doc, { title: '职工书屋缺书' }, alice),
	b: createProblem(doc, { title: '食堂排队时间长', tier: 'union-system' }, alice)
});

describe('summarizeAway', () => {
	test('nothing happened on either side: an empty summary', () => {
		const { summary } = apart(
			twoProblems,
			() => {},
			() => {}
		);
		expect(isEmptySummary(summary)).toBe(true);
	});

	test("lists others' creations, moves, closures and edits, by the names in their history", () => {
		const { summary, ids } = apart(
			twoProblems,
			(doc, { a }) => updateProblem(doc, a, { owner: '海港区总工会' }, alice),
			(doc, { a, b }) => {
				createProblem(doc, { title: '夜班通勤' }, bob);
				moveProblem(doc, a, 'county-self', 0, bob);
				resolveProblem(doc, b, { note: '已增加窗口' }, bob);
				closeProblem(
					doc,
					b,
					{
						verifier: '武威',
						verifiedOn: '2022-11-05',
						satisfaction: 'satisfied',
						followUp: '回访职工满意'
					},
					wuwei
				);
			}
		);
		const created = summary.others.find((c) => c.title === '夜班通勤');
		expect(created).toMatchObject({ kinds: ['created'], by: ['李四'], gone: false });
		expect(summary.others.find((c) => c.id === ids.a)).toMatchObject({
			kinds: ['moved'],
			by: ['李四']
		});
		expect(summary.others.find((c) => c.id === ids.b)).toMatchObject({
			kinds: ['closed'],
			by: ['李四', '武威']
		});
		expect(summary.people.find((p) => p.name === '李四')?.counts).toEqual({
			created: 1,
			moved: 1,
			closed: 1,
			edited: 0,
			deleted: 0
		});
		expect(summary.ours).toBe(1);
		// We only set the owner; they only moved it: no conflict.
		expect(summary.conflicts).toEqual([]);
	});

	test('edits without a history line count as edits by someone unnamed', () => {
		const { summary, ids } = apart(
			twoProblems,
			() => {},
			(doc, { a }) => updateProblem(doc, a, { title: '职工书屋图书老旧' }, bob)
		);
		expect(summary.others).toEqual([
			{ id: ids.a, title: '职工书屋图书老旧', kinds: ['edited'], by: [], gone: false }
		]);
		expect(summary.people).toEqual([
			{ name: '', counts: { created: 0, moved: 0, closed: 0, edited: 1, deleted: 0 } }
		]);
		expect(summary.ours).toBe(0);
	});

	test('both moved the same card: one conflict with the tier it ended in and whose move won', () => {
		for (const [ourClient, theirClient] of [
			[2, 3],
			[3, 2]
		]) {
			const { summary, merged, ids } = apart(
				twoProblems,
				(doc, { a }) => moveProblem(doc, a, 'party-gov', 0, alice),
				(doc, { a }) => moveProblem(doc, a, 'county-self', 0, bob),
				{ ourClient, theirClient }
			);
			const final = read(merged, ids.a).tier;
			expect(summary.conflicts).toEqual([
				{
					id: ids.a,
					title: '职工书屋缺书',
					kind: 'moved',
					field: 'tier',
					ours: 'party-gov',
					theirs: 'county-self',
					final,
					winner: final === 'party-gov' ? 'ours' : 'theirs',
					theirsUnknown: false,
					by: ['李四'],
					gone: false
				}
			]);
		}
	});

	test('both set the same field: the value kept and whose it was', () => {
		const { summary, merged, ids } = apart(
			twoProblems,
			(doc, { b }) => updateProblem(doc, b, { due: '2022-12-01', assignee: '张鑫' }, alice),
			(doc, { b }) => updateProblem(doc, b, { due: '2022-12-15', owner: '县总工会' }, bob)
		);
		const final = read(merged, ids.b).due;
		expect(summary.conflicts).toEqual([
			expect.objectContaining({
				id: ids.b,
				kind: 'field',
				field: 'due',
				ours: '2022-12-01',
				theirs: '2022-12-15',
				final,
				winner: final === '2022-12-01' ? 'ours' : 'theirs'
			})
		]);
	});

	test('the same value set on both sides is no conflict', () => {
		const { summary } = apart(
			twoProblems,
			(doc, { b }) => updateProblem(doc, b, { due: '2022-12-01' }, alice),
			(doc, { b }) => updateProblem(doc, b, { due: '2022-12-01' }, bob)
		);
		expect(summary.conflicts).toEqual([]);
	});

	test('both typed in the description: merged, both kept', () => {
		const { summary, merged, ids } = apart(
			(doc) => {
				const a = createProblem(doc, { title: '职工书屋缺书', description: '书少。' }, alice);
				return { a };
			},
			(doc, { a }) => editDescription(doc, a, '书少。需要新书。'),
			(doc, { a }) => editDescription(doc, a, '图书室书少。')
		);
		const final = read(merged, ids.a).description;
		expect(final).toContain('需要新书');
		expect(final).toContain('图书室');
		expect(summary.conflicts).toEqual([
			expect.objectContaining({ kind: 'merged', field: 'description', final, winner: 'both' })
		]);
	});

	test('they deleted a card we edited: the card stays deleted, with our edit kept', () => {
		const { summary, merged, ids } = apart(
			twoProblems,
			(doc, { a }) => updateProblem(doc, a, { assignee: '张鑫' }, alice),
			(doc, { a }) => deleteProblem(doc, a, bob)
		);
		expect(read(merged, ids.a)).toMatchObject({ deleted: true, assignee: '张鑫' });
		expect(summary.others).toEqual([
			expect.objectContaining({ id: ids.a, kinds: ['deleted'], by: ['李四'], gone: true })
		]);
		expect(summary.conflicts).toEqual([
			expect.objectContaining({
				kind: 'deleted',
				field: null,
				ours: 'edited',
				theirs: 'deleted',
				final: 'deleted',
				gone: true
			})
		]);
	});

	test('we deleted a card they moved', () => {
		const { summary } = apart(
			twoProblems,
			(doc, { a }) => deleteProblem(doc, a, alice),
			(doc, { a }) => moveProblem(doc, a, 'party-gov', 0, bob)
		);
		expect(summary.conflicts).toEqual([
			expect.objectContaining({
				kind: 'deleted',
				ours: 'deleted',
				theirs: 'edited',
				final: 'deleted'
			})
		]);
	});

	test('moving a neighbour that re-keys this card is not a move of this card', () => {
		const { summary } = apart(
			(doc) => ({
				one: createProblem(doc, { title: '一' }, alice),
				two: createProblem(doc, { title: '二' }, alice),
				three: createProblem(doc, { title: '三' }, alice)
			}),
			(doc, { three }) => moveProblem(doc, three, 'unsorted', 0, alice),
			(doc, { two }) => moveProblem(doc, two, 'unsorted', 0, bob)
		);
		expect(summary.others.map((c) => c.title)).toEqual(['二']);
		expect(summary.conflicts).toEqual([]);
	});
});
