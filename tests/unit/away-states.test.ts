import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { summarizeAway } from '../../src/lib/domain/away';
import { createProblem, moveProblem, updateProblem } from '../../src/lib/domain/commands';
import { awayStates } from '../../src/lib/sync/away-states';
import { alice, bob, newDoc, read } from './support';

/**
 * A device (`ours`) edits apart while another (`theirs`) edits through the server. On reconnect
 * the server may apply our offline changes before it answers our sync request (`raced`): its
 * answer then deletes values of theirs that ours replaced.
 */
function catchUp({
	ourClient,
	theirClient,
	raced
}: {
	ourClient: number;
	theirClient: number;
	raced: boolean;
}) {
	const server = newDoc(9);
	const a = createProblem(server, { title: '职工书屋缺书' }, alice);
	const b = createProblem(server, { title: '食堂排队时间长' }, alice);
	const ours = newDoc(ourClient);
	const theirs = newDoc(theirClient);
	Y.applyUpdate(ours, Y.encodeStateAsUpdate(server));
	Y.applyUpdate(theirs, Y.encodeStateAsUpdate(server));
	const base = Y.encodeStateAsUpdate(ours);

	moveProblem(ours, a, 'party-gov', 0, alice);
	updateProblem(ours, a, { assignee: '张三' }, alice);
	updateProblem(ours, b, { owner: '海港区总工会' }, alice);
	moveProblem(theirs, a, 'county-self', 0, bob);
	updateProblem(theirs, a, { assignee: '李四' }, bob);
	Y.applyUpdate(server, Y.encodeStateAsUpdate(theirs));

	const mine = Y.encodeStateAsUpdate(ours);
	if (raced) Y.applyUpdate(server, Y.encodeStateAsUpdate(ours, Y.encodeStateVector(server)));
	const answer = Y.encodeStateAsUpdate(server, Y.encodeStateVector(ours));
	Y.applyUpdate(ours, answer);
	return { summary: summarizeAway(awayStates(base, mine, [answer], ours)), ours, a, b };
}

describe('awayStates', () => {
	for (const raced of [false, true]) {
		for (const [ourClient, theirClient] of [
			[2, 3],
			[3, 2]
		] as const) {
			test(`their side is read right ${raced ? 'when our changes reached the server first' : 'in order'} (clients ${ourClient}/${theirClient})`, () => {
				const { summary, ours, a, b } = catchUp({ ourClient, theirClient, raced });
				const after = read(ours, a);
				// Only what they did is theirs: our owner on b is no change of theirs.
				expect(summary.others.map((c) => c.id)).toEqual([a]);
				expect(summary.others[0]!.by).toEqual(['李四']);
				const moved = summary.conflicts.find((c) => c.kind === 'moved');
				expect(moved).toMatchObject({
					ours: 'party-gov',
					theirs: 'county-self',
					final: after.tier,
					winner: after.tier === 'party-gov' ? 'ours' : 'theirs'
				});
				const assignee = summary.conflicts.find((c) => c.field === 'assignee');
				const oursWon = after.assignee === '张三';
				expect(assignee).toMatchObject({
					kind: 'field',
					ours: '张三',
					final: after.assignee,
					winner: oursWon ? 'ours' : 'theirs',
					// Once the server replaced their value with ours, it is gone for good.
					theirs: raced && oursWon ? '' : '李四',
					theirsUnknown: raced && oursWon
				});
				expect(summary.conflicts.every((c) => c.id === a)).toBe(true);
				expect(read(ours, b).owner).toBe('海港区总工会');
			});
		}
	}
});

describe('who set a value without a history line', () => {
	function clash(names: Map<number, string>, raced = false, [ourClient, theirClient] = [2, 3]) {
		const server = newDoc(9);
		const id = createProblem(server, { title: '职工书屋缺书' }, alice);
		const ours = newDoc(ourClient);
		const theirs = newDoc(theirClient);
		Y.applyUpdate(ours, Y.encodeStateAsUpdate(server));
		Y.applyUpdate(theirs, Y.encodeStateAsUpdate(server));
		const base = Y.encodeStateAsUpdate(ours);
		updateProblem(ours, id, { owner: '海港区总工会' }, alice);
		updateProblem(theirs, id, { owner: '市总工会' }, bob);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(theirs));
		const mine = Y.encodeStateAsUpdate(ours);
		if (raced) Y.applyUpdate(server, Y.encodeStateAsUpdate(ours, Y.encodeStateVector(server)));
		const answer = Y.encodeStateAsUpdate(server, Y.encodeStateVector(ours));
		Y.applyUpdate(ours, answer);
		return { summary: summarizeAway(awayStates(base, mine, [answer], ours, names)), ours, id };
	}

	test('is named when their device is online (presence knows its client)', () => {
		const { summary } = clash(new Map([[3, '李四']]));
		expect(summary.others[0]!.by).toEqual(['李四']);
		expect(summary.people.map((p) => p.name)).toEqual(['李四']);
		expect(summary.conflicts[0]).toMatchObject({ field: 'owner', by: ['李四'] });
	});

	test('is left unnamed otherwise', () => {
		const { summary } = clash(new Map([[7, '王五']]));
		expect(summary.others[0]!.by).toEqual([]);
		expect(summary.conflicts[0]).toMatchObject({ field: 'owner', by: [] });
	});

	test.each([
		[2, 3],
		[3, 2]
	])(
		'a value of theirs our change replaced on the server still shows as their edit and a clash (clients %i/%i)',
		(ourClient, theirClient) => {
			const { summary, ours, id } = clash(new Map([[theirClient, '李四']]), true, [
				ourClient,
				theirClient
			]);
			// Yjs orders the two owners by client id: either may be kept.
			const oursWon = read(ours, id).owner === '海港区总工会';
			expect(summary.others).toEqual([
				expect.objectContaining({ id, kinds: ['edited'], by: ['李四'] })
			]);
			expect(summary.conflicts).toEqual([
				expect.objectContaining({
					field: 'owner',
					by: ['李四'],
					winner: oursWon ? 'ours' : 'theirs',
					theirsUnknown: oursWon,
					theirs: oursWon ? '' : '市总工会'
				})
			]);
		}
	);
});
