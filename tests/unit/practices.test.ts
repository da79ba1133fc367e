import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	createPractice,
	editPracticeDescription,
	PRACTICES,
	readPractices,
	removePractice,
	setPracticeProblems,
	setPracticeTags,
	updatePractice
} from '../../src/lib/domain/practices';
import {
	createRecommendation,
	editRecommendationSummary,
	readRecommendations,
	removeRecommendation,
	setRecommendationCounties,
	setRecommendationProblems,
	updateRecommendation
} from '../../src/lib/domain/recommendations';
import { parseList } from '../../src/lib/domain/records';
import { alice, bob, newDoc, syncAll } from './support';

const T0 = new Date('2023-03-01T02:00:00.000Z');
const T1 = new Date('2023-03-02T02:00:00.000Z');

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

describe('good practices (好经验好做法)', () => {
	test('created from a county’s closed problem, with tags and a goal, not yet replicable', () => {
		const doc = newDoc(1);
		const id = createPractice(
			doc,
			{
				title: '“小三级”工会组织体系全覆盖',
				county: 'haigang',
				description: '依托乡镇（街道）总工会……',
				goal: 'organizational',
				tags: ['建会入会', '建会入会', ' 新就业形态 '],
				linkedProblems: ['p1']
			},
			alice,
			T0
		);
		const map = doc.getMap<Y.Map<unknown>>(PRACTICES).get(id)!;
		expect(map.get('description')).toBeInstanceOf(Y.Text);
		expect(map.get('tags')).toBeInstanceOf(Y.Array);
		expect(readPractices(doc)).toEqual([
			{
				id,
				title: '“小三级”工会组织体系全覆盖',
				county: 'haigang',
				description: '依托乡镇（街道）总工会……',
				linkedProblems: ['p1'],
				tags: ['建会入会', '新就业形态'],
				goal: 'organizational',
				replicable: false,
				createdAt: T0.toISOString(),
				createdBy: '张三'
			}
		]);
	});

	test('marking replicable, editing tags, links and goal are each one update', () => {
		const doc = newDoc(1);
		const id = createPractice(doc, { title: '职工心灵驿站', county: 'lulong' }, alice, T0);
		expect(countUpdates(doc, () => updatePractice(doc, id, { replicable: true }))).toBe(1);
		expect(countUpdates(doc, () => setPracticeTags(doc, id, parseList('心理健康、服务阵地')))).toBe(
			1
		);
		expect(countUpdates(doc, () => setPracticeProblems(doc, id, ['p1', 'p2']))).toBe(1);
		expect(countUpdates(doc, () => updatePractice(doc, id, { goal: 'service' }))).toBe(1);
		expect(countUpdates(doc, () => updatePractice(doc, id, { replicable: true }))).toBe(0);
		expect(readPractices(doc)[0]).toMatchObject({
			replicable: true,
			tags: ['心理健康', '服务阵地'],
			linkedProblems: ['p1', 'p2'],
			goal: 'service'
		});
		updatePractice(doc, id, { goal: null });
		expect(readPractices(doc)[0]?.goal).toBeNull();
	});

	test('moving a practice to another county unlinks the old county’s problems', () => {
		const doc = newDoc(1);
		const id = createPractice(
			doc,
			{ title: '户外劳动者服务站点', county: 'funing', linkedProblems: ['p1'] },
			alice,
			T0
		);
		updatePractice(doc, id, { county: 'changli' });
		expect(readPractices(doc)[0]).toMatchObject({ county: 'changli', linkedProblems: [] });
	});

	test('two people writing the description at once keep both words', () => {
		const a = newDoc(1);
		const b = newDoc(2);
		const id = createPractice(
			a,
			{ title: '爱心妈妈小屋', county: 'haigang', description: '建成小屋。' },
			alice,
			T0
		);
		syncAll(a, b);
		editPracticeDescription(a, id, '全区建成小屋。');
		editPracticeDescription(b, id, '建成小屋 12 个。');
		syncAll(a, b);
		expect(readPractices(a)).toEqual(readPractices(b));
		expect(readPractices(a)[0]?.description).toBe('全区建成小屋 12 个。');
	});

	test('a title and a county are required; newest first; removal', () => {
		const doc = newDoc(1);
		expect(() => createPractice(doc, { title: '', county: 'haigang' }, alice)).toThrow();
		expect(() => createPractice(doc, { title: 'x', county: '' }, alice)).toThrow();
		const older = createPractice(doc, { title: '甲', county: 'haigang' }, alice, T0);
		const newer = createPractice(doc, { title: '乙', county: 'haigang' }, bob, T1);
		expect(readPractices(doc).map((p) => p.id)).toEqual([newer, older]);
		removePractice(doc, older);
		expect(readPractices(doc).map((p) => p.id)).toEqual([newer]);
	});
});

describe('policy recommendations (对策建议)', () => {
	test('created as a draft; linking problems adds their counties', () => {
		const doc = newDoc(1);
		const id = createRecommendation(
			doc,
			{ title: '将新就业形态劳动者建会入会纳入党建考核', summary: '多个县区反映……' },
			alice,
			T0
		);
		setRecommendationProblems(doc, id, 'haigang', ['p1', 'p1'], T1);
		setRecommendationProblems(doc, id, 'qinglong', ['p9'], T1);
		expect(readRecommendations(doc)).toEqual([
			{
				id,
				title: '将新就业形态劳动者建会入会纳入党建考核',
				summary: '多个县区反映……',
				counties: ['haigang', 'qinglong'],
				linkedProblems: [
					{ county: 'haigang', problem: 'p1' },
					{ county: 'qinglong', problem: 'p9' }
				],
				status: 'drafting',
				submittedTo: '',
				createdAt: T0.toISOString(),
				createdBy: '张三',
				updatedAt: T1.toISOString()
			}
		]);
	});

	test('status moves drafting → submitted → adopted, with whom it went to', () => {
		const doc = newDoc(1);
		const id = createRecommendation(doc, { title: '县级工会经费保障' }, alice, T0);
		updateRecommendation(doc, id, { status: 'submitted', submittedTo: '市委' }, T1);
		expect(readRecommendations(doc)[0]).toMatchObject({
			status: 'submitted',
			submittedTo: '市委',
			updatedAt: T1.toISOString()
		});
		updateRecommendation(doc, id, { status: 'bogus' as 'adopted' }, T1);
		expect(readRecommendations(doc)[0]?.status).toBe('submitted');
		updateRecommendation(doc, id, { status: 'adopted' }, T1);
		expect(readRecommendations(doc)[0]?.status).toBe('adopted');
	});

	test('taking a county off the list unlinks its problems; unticking one problem', () => {
		const doc = newDoc(1);
		const id = createRecommendation(doc, { title: '乡镇工会专职工作者配备' }, alice, T0);
		setRecommendationProblems(doc, id, 'haigang', ['p1']);
		setRecommendationProblems(doc, id, 'lulong', ['p2', 'p3']);
		setRecommendationCounties(doc, id, ['lulong']);
		expect(readRecommendations(doc)[0]).toMatchObject({
			counties: ['lulong'],
			linkedProblems: [
				{ county: 'lulong', problem: 'p2' },
				{ county: 'lulong', problem: 'p3' }
			]
		});
		setRecommendationProblems(doc, id, 'lulong', ['p3']);
		expect(readRecommendations(doc)[0]?.linkedProblems).toEqual([
			{ county: 'lulong', problem: 'p3' }
		]);
	});

	test('ticking a county’s problems replaces only that county’s links, in one update', () => {
		const doc = newDoc(1);
		const id = createRecommendation(doc, { title: '职工文化阵地维修经费' }, alice, T0);
		setRecommendationProblems(doc, id, 'haigang', ['p1']);
		let updates = 0;
		doc.on('update', () => updates++);
		setRecommendationProblems(doc, id, 'lulong', ['p7', 'p8']);
		expect(updates).toBe(1);
		setRecommendationProblems(doc, id, 'lulong', ['p8']);
		expect(readRecommendations(doc)[0]).toMatchObject({
			counties: ['haigang', 'lulong'],
			linkedProblems: [
				{ county: 'haigang', problem: 'p1' },
				{ county: 'lulong', problem: 'p8' }
			]
		});
	});

	test('summary edits splice; malformed links from other clients are skipped; removal', () => {
		const doc = newDoc(1);
		const id = createRecommendation(doc, { title: '职工服务阵地社会化运作' }, alice, T0);
		editRecommendationSummary(doc, id, '建议：推动纳入规划。');
		const map = doc.getMap<Y.Map<unknown>>('recommendations').get(id)!;
		(map.get('linkedProblems') as Y.Array<string>).push(['no-slash', '/p', 'haigang/']);
		expect(readRecommendations(doc)[0]).toMatchObject({
			summary: '建议：推动纳入规划。',
			linkedProblems: []
		});
		removeRecommendation(doc, id);
		expect(readRecommendations(doc)).toEqual([]);
	});
});

test('parseList splits on Chinese and Latin separators', () => {
	expect(parseList('心理健康、服务阵地，职工之家, 其他;\n 末项 ')).toEqual([
		'心理健康',
		'服务阵地',
		'职工之家',
		'其他',
		'末项'
	]);
});
