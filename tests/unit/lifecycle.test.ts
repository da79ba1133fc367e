import { describe, expect, test } from 'vitest';
import { createProblem, moveProblem, updateProblem } from '../../src/lib/domain/commands';
import {
	closeProblem,
	needsEscalationReason,
	reopenProblem,
	resolveProblem,
	returnProblem,
	startProblem,
	transitionsFor,
	TransitionError
} from '../../src/lib/domain/lifecycle';
import { isBehind, warningOf } from '../../src/lib/domain/stats';
import { alice, newDoc, read, syncAll } from './support';

const city = { username: 'wuwei', name: '武威', role: 'city' as const };
const county = { username: 'zhangxin', name: '张鑫', role: 'county' as const };
const T = new Date('2022-11-01T02:00:00Z');
const evidence = {
	sha256: 'a'.repeat(64),
	name: '维修后的文化宫.jpg',
	type: 'image/jpeg',
	size: 1234
};

function listed() {
	const doc = newDoc(1);
	const id = createProblem(doc, { title: '工人文化宫场地老化' }, alice, T);
	return { doc, id };
}

describe('status flow from listed to closed (销号)', () => {
	test('open → in progress → resolved with evidence → closed with the follow-up check', () => {
		const { doc, id } = listed();
		startProblem(doc, id, county, T);
		resolveProblem(doc, id, { note: '屋面已修复', evidence: [evidence] }, county, T);
		expect(read(doc, id).status).toBe('resolved');
		expect(read(doc, id).resolution).toEqual({
			note: '屋面已修复',
			at: T.toISOString(),
			by: '张鑫',
			evidence: [evidence]
		});
		closeProblem(
			doc,
			id,
			{
				verifier: '武威',
				verifiedOn: '2022-11-05',
				satisfaction: 'satisfied',
				followUp: '职工满意'
			},
			city,
			T
		);
		const closed = read(doc, id);
		expect(closed.status).toBe('closed');
		expect(closed.closure).toMatchObject({
			verifier: '武威',
			verifiedOn: '2022-11-05',
			by: '武威'
		});
		expect(closed.log.map((e) => e.kind)).toEqual(['created', 'status', 'resolved', 'closed']);
		expect(closed.log.at(-1)).toMatchObject({ text: 'resolved→closed', detail: '职工满意' });
	});

	test('a county user cannot close, and nobody closes what is not resolved', () => {
		const { doc, id } = listed();
		resolveProblem(doc, id, { note: '已解决' }, county, T);
		const check = {
			verifier: '张鑫',
			verifiedOn: '2022-11-05',
			satisfaction: 'satisfied' as const,
			followUp: '回访职工满意'
		};
		expect(() => closeProblem(doc, id, check, county, T)).toThrow(TransitionError);
		expect(read(doc, id).status).toBe('resolved');
		const other = listed();
		expect(() =>
			closeProblem(other.doc, other.id, { ...check, verifier: '武威' }, city, T)
		).toThrow(TransitionError);
	});

	test('resolving needs a result note', () => {
		const { doc, id } = listed();
		expect(() => resolveProblem(doc, id, { note: '  ' }, county, T)).toThrow(TransitionError);
		expect(read(doc, id).status).toBe('open');
	});

	test('a returned problem goes back to work; a closed one that comes back is reopened and counted (回潮)', () => {
		const { doc, id } = listed();
		resolveProblem(doc, id, { note: '已解决' }, county, T);
		returnProblem(doc, id, '回访发现仍漏水', city, T);
		expect(read(doc, id).status).toBe('in-progress');
		expect(read(doc, id).log.at(-1)).toMatchObject({ kind: 'returned', detail: '回访发现仍漏水' });

		resolveProblem(doc, id, { note: '再次修复' }, county, T);
		closeProblem(
			doc,
			id,
			{
				verifier: '武威',
				verifiedOn: '2022-11-20',
				satisfaction: 'basically',
				followUp: '回访职工满意'
			},
			city,
			T
		);
		reopenProblem(doc, id, '雨季再次漏水', city, T);
		expect(read(doc, id)).toMatchObject({ status: 'in-progress', reopenCount: 1 });
		expect(read(doc, id).log.at(-1)).toMatchObject({ kind: 'reopened', detail: '雨季再次漏水' });
		expect(() => reopenProblem(doc, id, '', city, T)).toThrow(TransitionError);
	});

	test('what each role may do next', () => {
		expect(transitionsFor('open', 'county')).toEqual(['start', 'resolve']);
		expect(transitionsFor('resolved', 'county')).toEqual([]);
		expect(transitionsFor('resolved', 'city')).toEqual(['close', 'return']);
		expect(transitionsFor('closed', 'admin')).toEqual(['reopen']);
		expect(transitionsFor('open', 'viewer')).toEqual([]);
	});

	test('a closure and a concurrent edit elsewhere on the card both survive', () => {
		const { doc: a, id } = listed();
		const b = newDoc(2);
		syncAll(a, b);
		resolveProblem(a, id, { note: '已解决' }, county, T);
		syncAll(a, b);
		closeProblem(
			a,
			id,
			{
				verifier: '武威',
				verifiedOn: '2022-11-05',
				satisfaction: 'satisfied',
				followUp: '回访职工满意'
			},
			city,
			T
		);
		updateProblem(b, id, { assignee: '张鑫' }, county, T);
		syncAll(a, b);
		expect(read(a, id)).toMatchObject({ status: 'closed', assignee: '张鑫' });
		expect(read(b, id)).toEqual(read(a, id));
	});
});

describe('escalation between tiers', () => {
	test('placing an unsorted problem is triage; a move between tiers is an escalation with its reason', () => {
		const { doc, id } = listed();
		moveProblem(doc, id, 'county-self', 0, alice, T);
		expect(read(doc, id).log.at(-1)).toMatchObject({ kind: 'tier', text: 'unsorted→county-self' });
		moveProblem(doc, id, 'party-gov', 0, alice, T, '涉及编制，需区委协调');
		expect(read(doc, id).log.at(-1)).toMatchObject({
			kind: 'escalate',
			text: 'county-self→party-gov',
			detail: '涉及编制，需区委协调'
		});
	});

	test('needsEscalationReason only between the three tiers', () => {
		expect(needsEscalationReason('unsorted', 'party-gov')).toBe(false);
		expect(needsEscalationReason('county-self', 'union-system')).toBe(true);
		expect(needsEscalationReason('party-gov', 'county-self')).toBe(true);
		expect(needsEscalationReason('party-gov', 'unsorted')).toBe(false);
	});
});

describe('yellow warning: behind schedule (进度滞后)', () => {
	const base = { createdAt: '2022-10-01T00:00:00Z', due: '2022-12-01' };
	test('half the time gone and not started', () => {
		expect(isBehind({ ...base, status: 'open', measures: [] }, '2022-11-01')).toBe(true);
		expect(isBehind({ ...base, status: 'open', measures: [] }, '2022-10-20')).toBe(false);
	});
	test('half the time gone and less than half the measures done', () => {
		const measures = [
			{ id: '1', text: 'a', done: true },
			{ id: '2', text: 'b', done: false },
			{ id: '3', text: 'c', done: false }
		];
		expect(isBehind({ ...base, status: 'in-progress', measures }, '2022-11-10')).toBe(true);
		measures[1]!.done = true;
		expect(isBehind({ ...base, status: 'in-progress', measures }, '2022-11-10')).toBe(false);
	});
	test('red wins over yellow, yellow over blue; closed shows none', () => {
		expect(warningOf({ ...base, status: 'open', measures: [] }, '2022-12-02')).toBe('overdue');
		expect(warningOf({ ...base, status: 'open', measures: [] }, '2022-11-28')).toBe('behind');
		expect(warningOf({ ...base, status: 'closed', measures: [] }, '2022-12-02')).toBeNull();
	});
});
