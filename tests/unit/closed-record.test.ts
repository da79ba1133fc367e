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
import {
	closeProblem,
	mayEdit,
	reopenProblem,
	resolveProblem,
	TransitionError
} from '../../src/lib/domain/lifecycle';
import { newDoc, read } from './support';

const city = { username: 'wuwei', name: '武威', role: 'city' as const };
const admin = { username: 'admin', name: '管理员', role: 'admin' as const };
const county = { username: 'zhangxin', name: '张鑫', role: 'county' as const };
const viewer = { username: 'liuyang', name: '刘洋', role: 'viewer' as const };
const T = new Date('2022-11-01T02:00:00Z');
const check = {
	verifier: '武威',
	verifiedOn: '2022-11-05',
	satisfaction: 'satisfied' as const,
	followUp: '回访职工满意'
};

/** A problem the city has closed (已销号), with one measure. */
function closedProblem() {
	const doc = newDoc(1);
	const id = createProblem(doc, { title: '工人文化宫场地老化', tier: 'union-system' }, county, T);
	const measure = addMeasure(doc, id, '维修屋面', T, county);
	resolveProblem(doc, id, { note: '屋面已修复' }, county, T);
	closeProblem(doc, id, check, city, T);
	return { doc, id, measure };
}

describe('a closed problem is the city union’s record (已销号只读)', () => {
	test('a county user can neither edit, move, note nor delete it, and nothing changes', () => {
		const { doc, id, measure } = closedProblem();
		const before = read(doc, id);
		const attempts: [string, () => void][] = [
			['title', () => updateProblem(doc, id, { title: '改过的标题' }, county, T)],
			['due date', () => updateProblem(doc, id, { due: '2023-01-01' }, county, T)],
			['assignee', () => updateProblem(doc, id, { assignee: '李明' }, county, T)],
			['status', () => updateProblem(doc, id, { status: 'in-progress' }, county, T)],
			['tier', () => moveProblem(doc, id, 'party-gov', 0, county, T, '升级')],
			['description', () => editDescription(doc, id, '新描述', T, county)],
			['new measure', () => addMeasure(doc, id, '再修一次', T, county)],
			['measure done', () => setMeasureDone(doc, id, measure, false, T, county)],
			['measure text', () => editMeasure(doc, id, measure, '改写', T, county)],
			['measure removed', () => removeMeasure(doc, id, measure, T, county)],
			['co-owners', () => setCoOwners(doc, id, ['市住建局'], T, county)],
			['progress note', () => addProgressNote(doc, id, '补充说明', county, T)],
			['delete', () => deleteProblem(doc, id, county, T)]
		];
		for (const [what, attempt] of attempts) {
			expect(attempt, what).toThrow(TransitionError);
		}
		expect(read(doc, id)).toEqual(before);
	});

	test('without an actor (or as a viewer) a closed problem is refused too', () => {
		const { doc, id } = closedProblem();
		expect(() => editDescription(doc, id, '新描述', T)).toThrow(TransitionError);
		expect(() => deleteProblem(doc, id, viewer, T)).toThrow(TransitionError);
		expect(read(doc, id).deleted).toBe(false);
	});

	test('a county user cannot close a problem by setting its status', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: '职工书屋缺书' }, county, T);
		expect(() => updateProblem(doc, id, { status: 'closed' }, county, T)).toThrow(TransitionError);
		expect(read(doc, id).status).toBe('open');
	});

	test('the city and administrators keep what they can do: edit, reopen, delete', () => {
		const { doc, id } = closedProblem();
		updateProblem(doc, id, { assignee: '李明' }, city, T);
		addProgressNote(doc, id, '市总回访记录', admin, T);
		expect(read(doc, id)).toMatchObject({ status: 'closed', assignee: '李明' });
		reopenProblem(doc, id, '雨季再次漏水', city, T);
		// Reopened (回潮), it is work again: the county edits it as before.
		updateProblem(doc, id, { assignee: '王芳' }, county, T);
		expect(read(doc, id)).toMatchObject({ status: 'in-progress', assignee: '王芳' });
		const other = closedProblem();
		deleteProblem(other.doc, other.id, admin, T);
		expect(read(other.doc, other.id).deleted).toBe(true);
	});

	test('mayEdit: closed is read-only for county users and viewers only', () => {
		expect(mayEdit('closed', county)).toBe(false);
		expect(mayEdit('closed', {})).toBe(false);
		expect(mayEdit('closed', city)).toBe(true);
		expect(mayEdit('closed', admin)).toBe(true);
		expect(mayEdit('resolved', county)).toBe(true);
	});
});

describe('the bin (回收站): only verifiers restore', () => {
	test('a county user deletes an open problem but cannot restore it; the city can, and both are logged', () => {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: '职工书屋缺书' }, county, T);
		deleteProblem(doc, id, county, T);
		expect(() => restoreProblem(doc, id, county, T)).toThrow(TransitionError);
		expect(() => restoreProblem(doc, id, viewer, T)).toThrow(TransitionError);
		expect(read(doc, id)).toMatchObject({ deleted: true });
		restoreProblem(doc, id, city, new Date('2022-11-02T02:00:00Z'));
		const restored = read(doc, id);
		expect(restored.deleted).toBe(false);
		expect(restored.log.slice(-2)).toMatchObject([
			{ kind: 'deleted', by: '张鑫', at: T.toISOString() },
			{ kind: 'restored', by: '武威', at: '2022-11-02T02:00:00.000Z' }
		]);
	});
});

describe('销号 needs the follow-up visit', () => {
	function resolved() {
		const doc = newDoc(1);
		const id = createProblem(doc, { title: '工人文化宫场地老化' }, county, T);
		resolveProblem(doc, id, { note: '屋面已修复' }, county, T);
		return { doc, id };
	}

	test('no satisfaction chosen, an unknown one, or no follow-up text: refused, still resolved', () => {
		const { doc, id } = resolved();
		expect(() => closeProblem(doc, id, { ...check, satisfaction: null }, city, T)).toThrow(
			TransitionError
		);
		expect(() =>
			closeProblem(doc, id, { ...check, satisfaction: 'delighted' as never }, city, T)
		).toThrow(TransitionError);
		expect(() => closeProblem(doc, id, { ...check, followUp: '   ' }, city, T)).toThrow(
			TransitionError
		);
		expect(read(doc, id)).toMatchObject({ status: 'resolved', closure: null });
		closeProblem(doc, id, { ...check, satisfaction: 'basically' }, city, T);
		expect(read(doc, id).closure).toMatchObject({
			satisfaction: 'basically',
			followUp: '回访职工满意'
		});
	});
});
