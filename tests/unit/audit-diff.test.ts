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
	updateProblem
} from '../../src/lib/domain/commands';
import { closeProblem, reopenProblem, resolveProblem } from '../../src/lib/domain/lifecycle';
import type { Problem } from '../../src/lib/domain/problem';
import { clipValue, problemChanges, VALUE_MAX } from '../../server/audit/diff';
import { alice, mapOf, newDoc, read } from './support';

const city = { ...alice, role: 'city' as const };
const EVIDENCE = { sha256: 'ab'.repeat(32), name: '照片.jpg', type: 'image/jpeg', size: 10 };

/** A problem in a doc, and what the server's diff says each edit of it changed. */
function setup() {
	const doc = newDoc(1);
	const id = createProblem(doc, { title: '职工书屋缺少图书' }, alice);
	const changesOf = (edit: () => void) => {
		const before = read(doc, id);
		edit();
		return problemChanges(id, before, read(doc, id));
	};
	return { doc, id, changesOf };
}

describe('problemChanges', () => {
	test('a new problem is one created record with its title, and a removed one is removed', () => {
		const { doc, id } = setup();
		const problem = read(doc, id);
		expect(problemChanges(id, null, problem)).toEqual([
			{ problem: id, field: '', kind: 'created', old: null, new: '职工书屋缺少图书' }
		]);
		expect(problemChanges(id, problem, null)).toEqual([
			{ problem: id, field: '', kind: 'removed', old: '职工书屋缺少图书', new: null }
		]);
		expect(problemChanges(id, problem, problem)).toEqual([]);
	});

	test('plain fields are changed from the old value to the new one', () => {
		const { id, doc, changesOf } = setup();
		updateProblem(doc, id, { due: '2023-03-01', owner: '区总工会' }, alice);
		const changes = changesOf(() =>
			updateProblem(
				doc,
				id,
				{
					due: '2023-04-01',
					owner: '区人社局',
					assignee: '王五',
					assigneePhone: '13800000000',
					leader: '赵六',
					focus: 'new-employment',
					goal: 'service',
					reportedTo: '区委',
					reportedOn: '2023-01-05',
					onAgenda: true,
					coordinators: '区财政局',
					staff: 3,
					funds: 5000,
					materials: '活动场地'
				},
				alice
			)
		);
		const byField = Object.fromEntries(changes.map((c) => [c.field, c]));
		expect(byField.due).toEqual({
			problem: id,
			field: 'due',
			kind: 'changed',
			old: '2023-03-01',
			new: '2023-04-01'
		});
		expect(byField.owner).toMatchObject({ kind: 'changed', old: '区总工会', new: '区人社局' });
		expect(byField.assignee).toMatchObject({ old: null, new: '王五' });
		expect(byField.assigneePhone).toMatchObject({ new: '13800000000' });
		expect(byField.leader).toMatchObject({ new: '赵六' });
		expect(byField.focus).toMatchObject({ old: 'other', new: 'new-employment' });
		expect(byField.goal).toMatchObject({ old: null, new: 'service' });
		expect(byField.reportedTo).toMatchObject({ new: '区委' });
		expect(byField.reportedOn).toMatchObject({ new: '2023-01-05' });
		expect(byField.onAgenda).toMatchObject({ old: 'false', new: 'true' });
		expect(byField.coordinators).toMatchObject({ new: '区财政局' });
		expect(byField.staff).toMatchObject({ old: null, new: '3' });
		expect(byField.funds).toMatchObject({ new: '5000' });
		expect(byField.materials).toMatchObject({ new: '活动场地' });
		expect(changes).toHaveLength(14);
	});

	test('a tier change is recorded, a move inside a column is not', () => {
		const { doc, id, changesOf } = setup();
		createProblem(doc, { title: '第二个问题' }, alice);
		expect(changesOf(() => moveProblem(doc, id, 'unsorted', 1, alice))).toEqual([]);
		expect(changesOf(() => moveProblem(doc, id, 'party-gov', 0, alice))).toEqual([
			{ problem: id, field: 'tier', kind: 'changed', old: 'unsorted', new: 'party-gov' }
		]);
	});

	test('title and description are edited, from the old text to the new', () => {
		const { doc, id, changesOf } = setup();
		expect(changesOf(() => updateProblem(doc, id, { title: '职工书屋缺书' }, alice))).toEqual([
			{ problem: id, field: 'title', kind: 'edited', old: '职工书屋缺少图书', new: '职工书屋缺书' }
		]);
		expect(changesOf(() => editDescription(doc, id, '三个乡镇'))).toEqual([
			{ problem: id, field: 'description', kind: 'edited', old: null, new: '三个乡镇' }
		]);
	});

	test('long text is clipped to the limit', () => {
		const { doc, id, changesOf } = setup();
		const long = '长'.repeat(3000);
		const [change] = changesOf(() => editDescription(doc, id, long));
		expect(Array.from(change!.new!)).toHaveLength(VALUE_MAX);
		expect(change!.new!.endsWith('…')).toBe(true);
		expect(clipValue('')).toBeNull();
		expect(clipValue('😀'.repeat(VALUE_MAX))).toBe('😀'.repeat(VALUE_MAX));
		expect(clipValue('😀'.repeat(VALUE_MAX + 1))).toBe('😀'.repeat(VALUE_MAX - 1) + '…');
	});

	test('measures are added, edited, ticked, unticked and removed, by id', () => {
		const { doc, id, changesOf } = setup();
		let measure = '';
		expect(changesOf(() => (measure = addMeasure(doc, id, '募集图书')))).toEqual([
			{ problem: id, field: 'measures', kind: 'added', old: null, new: '募集图书' }
		]);
		expect(changesOf(() => editMeasure(doc, id, measure, '募集图书五百册'))).toEqual([
			{ problem: id, field: 'measures', kind: 'edited', old: '募集图书', new: '募集图书五百册' }
		]);
		expect(changesOf(() => setMeasureDone(doc, id, measure, true))).toEqual([
			{ problem: id, field: 'measures', kind: 'ticked', old: null, new: '募集图书五百册' }
		]);
		expect(changesOf(() => setMeasureDone(doc, id, measure, false))).toEqual([
			{ problem: id, field: 'measures', kind: 'unticked', old: null, new: '募集图书五百册' }
		]);
		expect(changesOf(() => removeMeasure(doc, id, measure))).toEqual([
			{ problem: id, field: 'measures', kind: 'removed', old: '募集图书五百册', new: null }
		]);
	});

	test('two measures with the same text are told apart by id', () => {
		const { doc, id, changesOf } = setup();
		addMeasure(doc, id, '走访');
		const second = addMeasure(doc, id, '走访');
		expect(changesOf(() => setMeasureDone(doc, id, second, true))).toEqual([
			{ problem: id, field: 'measures', kind: 'ticked', old: null, new: '走访' }
		]);
	});

	test('co-owners are added and removed one by one', () => {
		const { doc, id, changesOf } = setup();
		setCoOwners(doc, id, ['区财政局', '区教育局']);
		expect(changesOf(() => setCoOwners(doc, id, ['区教育局', '区文旅局']))).toEqual([
			{ problem: id, field: 'coOwners', kind: 'removed', old: '区财政局', new: null },
			{ problem: id, field: 'coOwners', kind: 'added', old: null, new: '区文旅局' }
		]);
	});

	test('deletion and restore are whole-problem changes', () => {
		const { doc, id, changesOf } = setup();
		expect(changesOf(() => deleteProblem(doc, id, alice))).toEqual([
			{ problem: id, field: '', kind: 'deleted', old: null, new: null }
		]);
		expect(changesOf(() => restoreProblem(doc, id, alice))).toEqual([
			{ problem: id, field: '', kind: 'restored', old: null, new: null }
		]);
	});

	test('the lifecycle: status, resolution with evidence, closure and reopening', () => {
		const { doc, id, changesOf } = setup();
		expect(
			changesOf(() => resolveProblem(doc, id, { note: '已补充图书', evidence: [EVIDENCE] }, alice))
		).toEqual([
			{ problem: id, field: 'status', kind: 'changed', old: 'open', new: 'resolved' },
			{ problem: id, field: 'resolution', kind: 'added', old: null, new: '已补充图书' },
			{
				problem: id,
				field: 'evidence',
				kind: 'added',
				old: null,
				new: `照片.jpg (${'ab'.repeat(6)})`
			}
		]);
		const input = {
			verifier: '市总工会 李四',
			verifiedOn: '2023-02-01',
			satisfaction: 'basically' as const,
			followUp: '职工反映良好'
		};
		expect(changesOf(() => closeProblem(doc, id, input, city))).toEqual([
			{ problem: id, field: 'status', kind: 'changed', old: 'resolved', new: 'closed' },
			{
				problem: id,
				field: 'closure',
				kind: 'added',
				old: null,
				new: '2023-02-01 · 市总工会 李四 · 基本满意 · 职工反映良好'
			}
		]);
		const reopened = changesOf(() => reopenProblem(doc, id, '图书又被挪用', city));
		expect(reopened).toContainEqual({
			problem: id,
			field: 'status',
			kind: 'changed',
			old: 'closed',
			new: 'in-progress'
		});
		expect(reopened).toContainEqual({
			problem: id,
			field: 'reopenCount',
			kind: 'changed',
			old: '0',
			new: '1'
		});
		expect(reopened).toContainEqual({
			problem: id,
			field: 'reason',
			kind: 'added',
			old: null,
			new: '图书又被挪用'
		});
	});

	test('a progress note and a guidance note are recorded with their text', () => {
		const { doc, id, changesOf } = setup();
		expect(changesOf(() => addProgressNote(doc, id, '已联系区图书馆', alice))).toEqual([
			{ problem: id, field: 'log', kind: 'added', old: null, new: '已联系区图书馆' }
		]);
		expect(
			changesOf(() => addProgressNote(doc, id, '请本月底前完成', alice, new Date(), 'guidance'))
		).toEqual([
			{ problem: id, field: 'guidance', kind: 'added', old: null, new: '请本月底前完成' }
		]);
	});

	test('an escalation reason is recorded with the tier change', () => {
		const { doc, id, changesOf } = setup();
		moveProblem(doc, id, 'county-self', 0, alice);
		const changes = changesOf(() =>
			moveProblem(doc, id, 'party-gov', 0, alice, new Date(), '需区政府协调经费')
		);
		expect(changes).toEqual([
			{ problem: id, field: 'tier', kind: 'changed', old: 'county-self', new: 'party-gov' },
			{ problem: id, field: 'reason', kind: 'added', old: null, new: '需区政府协调经费' }
		]);
	});

	test('log entries of any other kind, even named like object keys, are not recorded', () => {
		const { doc, id, changesOf } = setup();
		const changes = changesOf(() =>
			doc.transact(() => {
				const log = mapOf(doc, id).get('log') as Y.Array<Y.Map<unknown>>;
				for (const kind of ['constructor', '__proto__', 'status']) {
					const entry = new Y.Map<unknown>();
					entry.set('kind', kind);
					entry.set('text', 'x');
					log.push([entry]);
				}
			})
		);
		expect(changes).toEqual([]);
	});

	test('the same note written twice counts twice; an existing note is not new', () => {
		const { doc, id, changesOf } = setup();
		const at = new Date('2023-01-01T00:00:00Z');
		addProgressNote(doc, id, '同一条', alice, at);
		expect(changesOf(() => addProgressNote(doc, id, '同一条', alice, at))).toHaveLength(1);
	});

	test('fields the diff does not follow are left out: updatedAt, order, createdAt', () => {
		const { doc, id } = setup();
		const before: Problem = read(doc, id);
		const after: Problem = {
			...before,
			updatedAt: 'later',
			order: 'zz',
			createdAt: 'x',
			createdBy: 'y'
		};
		expect(problemChanges(id, before, after)).toEqual([]);
	});
});
