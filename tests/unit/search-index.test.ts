import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	deleteProblem,
	editDescription,
	updateProblem
} from '../../src/lib/domain/commands';
import { cardEntries, cardEntry, touchedProblems } from '../../src/lib/domain/cards';
import { searchableText } from '../../src/lib/domain/ledger';
import { problemsOf } from '../../src/lib/domain/problem';
import { indexTokens, queryTokens } from '../../src/lib/domain/search-tokens';
import { alice, read } from './support';

/** The index may narrow, never lose: a query's tokens are all among the text's tokens. */
function covered(text: string, query: string): boolean {
	const tokens = new Set(indexTokens(text.toLowerCase()));
	return queryTokens(query).every((t) => tokens.has(t));
}

describe('search tokens', () => {
	test('Chinese text gives every character and every neighbouring pair', () => {
		expect(indexTokens('职工驿站').sort()).toEqual(
			['职', '工', '驿', '站', '职工', '工驿', '驿站'].sort()
		);
		expect(queryTokens('驿站').sort()).toEqual(['驿', '站', '驿站'].sort());
		expect(queryTokens('站')).toEqual(['站']);
	});

	test('Latin words give trigrams, so a word found inside another word still matches', () => {
		expect(indexTokens('union dues').sort()).toEqual(['uni', 'nio', 'ion', 'due', 'ues'].sort());
		expect(queryTokens('Dues')).toEqual(['due', 'ues']);
		expect(covered('Union dues backlog', 'nion')).toBe(true);
		expect(covered('Union dues backlog', 'dues back')).toBe(true);
		expect(covered('Union dues backlog', 'payroll')).toBe(false);
	});

	test('mixed scripts split at the boundary; short Latin parts and punctuation give no token', () => {
		expect(queryTokens('5G基站')).toEqual(['基', '基站', '站']);
		expect(queryTokens('ab ，')).toEqual([]);
		expect(queryTokens('   ')).toEqual([]);
		expect(covered('推动5g基站建设', '5g基站')).toBe(true);
	});

	test('every substring of a text is covered by the text’s tokens (random texts)', () => {
		const alphabet = [...'工会职驿站服务骑手外卖abcdeunion123 ，。-'];
		let seed = 7;
		const random = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed % n;
		};
		for (let round = 0; round < 300; round++) {
			const text = Array.from(
				{ length: 5 + random(40) },
				() => alphabet[random(alphabet.length)]
			).join('');
			const start = random(text.length);
			const query = text.slice(start, start + 1 + random(10));
			expect(covered(text, query), `${JSON.stringify(query)} in ${JSON.stringify(text)}`).toBe(
				true
			);
		}
	});
});

describe('card index entries', () => {
	test('an entry carries the problem and the tokens of titles, descriptions, measures and notes', () => {
		const doc = new Y.Doc();
		const id = createProblem(
			doc,
			{ title: '外卖骑手入会率低', description: 'Riders lack rest stations' },
			alice
		);
		addMeasure(doc, id, '建设职工驿站');
		addProgressNote(doc, id, '已与平台企业座谈', alice);
		const entry = cardEntry('2022', 'haigang', read(doc, id))!;
		expect(entry).toMatchObject({ campaign: '2022', county: 'haigang', id });
		expect(entry.problem.title).toBe('外卖骑手入会率低');
		const tokens = new Set(entry.tokens);
		for (const query of ['骑手', 'rest', '驿站', '座谈']) {
			expect(
				queryTokens(query).every((t) => tokens.has(t)),
				query
			).toBe(true);
		}
		expect(new Set(indexTokens(searchableText(entry.problem)))).toEqual(tokens);
	});

	test('deleted problems and missing ids have no entry', () => {
		const doc = new Y.Doc();
		const kept = createProblem(doc, { title: '保留' }, alice);
		const gone = createProblem(doc, { title: '删除' }, alice);
		deleteProblem(doc, gone, alice);
		const entries = cardEntries('2022', 'lulong', doc, [kept, gone, 'nope']);
		expect(entries.get(kept)?.problem.title).toBe('保留');
		expect(entries.get(gone)).toBeNull();
		expect(entries.get('nope')).toBeNull();
	});

	test('deep events name exactly the problems a change touched, local or remote', () => {
		const doc = new Y.Doc();
		const a = createProblem(doc, { title: 'A' }, alice);
		const b = createProblem(doc, { title: 'B' }, alice);
		const problems = problemsOf(doc);
		const batches: Set<string>[] = [];
		problems.observeDeep((events) => batches.push(touchedProblems(problems, events)));

		editDescription(doc, a, '新的描述');
		addMeasure(doc, b, '措施');
		updateProblem(doc, b, { assignee: '张鑫' }, alice);
		const c = createProblem(doc, { title: 'C' }, alice);
		expect(batches).toEqual([new Set([a]), new Set([b]), new Set([b]), new Set([c])]);

		// A remote update touching two problems arrives as one batch.
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		addProgressNote(other, a, '远端进展', alice);
		updateProblem(other, c, { leader: '孙宝旗' }, alice);
		batches.length = 0;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
		expect(batches).toEqual([new Set([a, c])]);
	});
});
