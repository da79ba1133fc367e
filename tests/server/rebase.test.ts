import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	addProgressNote,
	createProblem,
	editDescription,
	updateProblem
} from '../../src/lib/domain/commands.ts';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle.ts';
import { problemsOf, readProblem } from '../../src/lib/domain/problem.ts';
import { rebase } from '../../src/lib/domain/rebase.ts';
import { MemoryClientOwners } from '../../server/sync/client-owners.ts';
import { FieldRuleError } from '../../server/sync/field-rules.ts';
import { Guard } from '../../server/sync/guard.ts';
import { city, closure, county, countyWriter } from './record-actors.ts';

/**
 * A county device offline for days meets a problem the city closed meanwhile: the server refuses
 * its update as a whole; rebase (src/lib/domain/rebase.ts) re-makes everything else on top of the
 * server's state. The server's own Guard judges the result.
 */

const ORIGIN = { test: 'rebase' };

function world() {
	const server = new Y.Doc();
	const guard = new Guard(server, new MemoryClientOwners());
	const [a, b] = ['职工书屋图书陈旧', '困难职工帮扶不到位'].map((title) =>
		createProblem(server, { title, tier: 'county-self' }, city)
	) as [string, string];
	editDescription(server, a, '部分乡镇书屋多年未更新。', new Date(), city);
	resolveProblem(server, b, { note: '已解决' }, city);
	// The county's device takes a copy and goes offline.
	const device = new Y.Doc();
	Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
	const problem = (doc: Y.Doc, id: string) => readProblem(id, problemsOf(doc).get(id) as never);
	const admit = (doc: Y.Doc, writer = countyWriter) => {
		const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server));
		guard.admit(update, writer, { attributeLog: true });
		Y.applyUpdate(server, update);
	};
	return { server, device, a, b, problem, admit };
}

describe('rebase: offline changes made again on the server’s state', () => {
	it('keeps every change the record allows and leaves out those on a problem closed meanwhile', () => {
		const { server, device, a, b, problem, admit } = world();
		// Offline, on the device.
		updateProblem(device, a, { assignee: '刘越' }, county);
		editDescription(device, a, '部分乡镇书屋多年未更新，需配送图书。', new Date(), county);
		addProgressNote(device, b, '回访了三户困难职工', county);
		const c = createProblem(
			device,
			{ title: '新问题：职工之家阵地不足', tier: 'union-system' },
			county
		);
		// Meanwhile the city closes b and edits a's description too.
		closeProblem(server, b, closure, city);
		editDescription(server, a, '【市总关注】部分乡镇书屋多年未更新。', new Date(), city);

		// The device's update as it stands is refused: it adds a note to a closed problem.
		expect(() => admit(device)).toThrow(FieldRuleError);

		const { doc, leftOut } = rebase(Y.encodeStateAsUpdate(server), device, county, ORIGIN);
		// (updatedAt is among the fields only when this device's clock won the concurrent write.)
		expect(leftOut).toEqual([
			{
				id: b,
				title: '困难职工帮扶不到位',
				reason: 'closed',
				fields: expect.arrayContaining(['log'])
			}
		]);
		admit(doc);
		expect(problem(server, a).assignee).toBe('刘越');
		// Both edits of the description are there, merged.
		expect(problem(server, a).description).toBe('【市总关注】部分乡镇书屋多年未更新，需配送图书。');
		expect(problem(server, c).title).toBe('新问题：职工之家阵地不足');
		expect(problem(server, b).status).toBe('closed');
		expect(problem(server, b).log.map((e) => e.text)).not.toContain('回访了三户困难职工');
		// Nothing of the server's is lost, and the log of a only grew.
		expect(problem(server, a).log.length).toBe(problem(device, a).log.length);
	});

	it('names the person as they are called now in history entries written offline', () => {
		const { server, device, a, problem, admit } = world();
		addProgressNote(device, a, '走访了五家企业', county);
		const renamed = { ...countyWriter, displayName: '张欣然' };
		expect(() => admit(device, renamed)).toThrow(FieldRuleError);
		const { doc, leftOut } = rebase(
			Y.encodeStateAsUpdate(server),
			device,
			{ ...county, name: '张欣然' },
			ORIGIN
		);
		expect(leftOut).toEqual([]);
		admit(doc, renamed);
		const entry = problem(server, a).log.at(-1)!;
		expect([entry.by, entry.text]).toEqual(['张欣然', '走访了五家企业']);
	});

	it('does not bring back a problem the city deleted, but keeps the edits made to it', () => {
		const { server, device, a, problem, admit } = world();
		updateProblem(device, a, { owner: '县总工会' }, county);
		problemsOf(server).get(a)!.set('deletedAt', '2022-10-01T00:00:00.000Z');
		const { doc, leftOut } = rebase(Y.encodeStateAsUpdate(server), device, county, ORIGIN);
		expect(leftOut).toEqual([]);
		admit(doc);
		expect(problem(server, a).deleted).toBe(true);
		expect(problem(server, a).owner).toBe('县总工会');
	});

	it('a device with nothing new rebases to exactly the server’s content', () => {
		const { server, device } = world();
		const { doc, leftOut } = rebase(Y.encodeStateAsUpdate(server), device, county, ORIGIN);
		expect(leftOut).toEqual([]);
		expect(doc.getMap('problems').toJSON()).toEqual(server.getMap('problems').toJSON());
		expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(server));
	});
});
