import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	createProblem,
	deleteProblem,
	LOCAL_ORIGIN,
	updateProblem
} from '../../src/lib/domain/commands.ts';
import { closeProblem, resolveProblem } from '../../src/lib/domain/lifecycle.ts';
import { problemsOf, readProblem } from '../../src/lib/domain/problem.ts';
import { RecordUndo } from '../../src/lib/domain/undo-rules.ts';
import { MemoryClientOwners } from '../../server/sync/client-owners.ts';
import { Guard } from '../../server/sync/guard.ts';
import { city, cityWriter, county, countyWriter } from './record-actors.ts';

/**
 * Undo keeps to the record (src/lib/domain/undo-rules.ts): whatever a person's undo sends, the
 * server's own guard admits it. The county's device and the server are separate docs here, and
 * every update the device makes is judged by the server's Guard before the server applies it.
 */

function setup() {
	const server = new Y.Doc();
	const guard = new Guard(server, new MemoryClientOwners());
	const device = new Y.Doc();
	const refused: string[] = [];
	device.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin === 'server') return;
		try {
			guard.admit(update, countyWriter, { attributeLog: true });
			Y.applyUpdate(server, update, 'device');
		} catch (error) {
			refused.push(error instanceof Error ? error.message : String(error));
		}
	});
	const undo = new RecordUndo(device, county, {
		trackedOrigins: new Set([LOCAL_ORIGIN]),
		captureTimeout: 0
	});
	/** The city, on its own device, changes the board; the county's device receives it. */
	const cityDoes = (change: (doc: Y.Doc) => void) => {
		const cityDoc = new Y.Doc();
		Y.applyUpdate(cityDoc, Y.encodeStateAsUpdate(server));
		cityDoc.on('update', (update: Uint8Array) => {
			guard.admit(update, cityWriter, { attributeLog: true });
			Y.applyUpdate(server, update, 'city');
			Y.applyUpdate(device, update, 'server');
		});
		change(cityDoc);
	};
	const problem = (doc: Y.Doc, id: string) => readProblem(id, problemsOf(doc).get(id) as never);
	return { server, device, undo, refused, cityDoes, problem };
}

describe('undo keeps to the record', () => {
	it('takes back a field change but not its history entry', () => {
		const { device, server, undo, refused, problem } = setup();
		const id = createProblem(device, { title: '职工书屋图书陈旧', tier: 'county-self' }, county);
		undo.manager.stopCapturing();
		updateProblem(device, id, { assignee: '刘越', status: 'in-progress' }, county);
		const logLength = problem(device, id).log.length;
		expect(problem(device, id).log.at(-1)?.kind).toBe('status');
		expect(undo.run('undo')).toBeNull();
		expect(problem(device, id).assignee).toBe('');
		expect(problem(device, id).status).toBe('open');
		expect(problem(device, id).log.length).toBe(logLength);
		expect(refused).toEqual([]);
		expect(problem(server, id).assignee).toBe('');
		expect(undo.run('redo')).toBeNull();
		expect(problem(server, id).assignee).toBe('刘越');
		expect(problem(server, id).status).toBe('in-progress');
		expect(refused).toEqual([]);
	});

	it('moves a problem it created to the bin, whole, instead of erasing it', () => {
		const { device, server, undo, refused, problem } = setup();
		const id = createProblem(
			device,
			{ title: '乡镇工会经费拨付滞后', tier: 'county-self' },
			county
		);
		expect(undo.run('undo')).toBeNull();
		expect(refused).toEqual([]);
		const kept = problem(server, id);
		expect(kept.title).toBe('乡镇工会经费拨付滞后');
		expect(kept.deleted).toBe(true);
		expect(kept.log.map((e) => e.kind)).toEqual(['created', 'deleted']);
	});

	it('refuses, without sending anything, a step on a problem the city closed meanwhile', () => {
		const { device, server, undo, refused, cityDoes, problem } = setup();
		const id = createProblem(device, { title: '困难职工帮扶', tier: 'county-self' }, county);
		undo.manager.stopCapturing();
		updateProblem(device, id, { owner: '县总工会' }, county);
		undo.manager.stopCapturing();
		cityDoes((doc) => {
			resolveProblem(doc, id, { note: '已解决' }, city);
			closeProblem(
				doc,
				id,
				{
					verifier: '市总工会 吴伟',
					verifiedOn: '2022-09-30',
					satisfaction: 'satisfied',
					followUp: '回访职工满意'
				},
				city
			);
		});
		const before = Y.encodeStateAsUpdate(server);
		expect(undo.run('undo')).toBe('closed');
		expect(refused).toEqual([]);
		expect(Y.encodeStateAsUpdate(server)).toEqual(before);
		expect(problem(device, id).owner).toBe('县总工会');
		// The refused step is dropped; the one before it is refused for the same reason.
		expect(undo.run('undo')).toBe('closed');
		expect(undo.manager.canUndo()).toBe(false);
	});

	it('refuses to take back a county user’s deletion (restoring is the city’s)', () => {
		const { device, undo, refused, problem } = setup();
		const id = createProblem(device, { title: '职工之家阵地不足', tier: 'county-self' }, county);
		undo.manager.stopCapturing();
		deleteProblem(device, id, county);
		expect(undo.run('undo')).toBe('deleted');
		expect(problem(device, id).deleted).toBe(true);
		expect(refused).toEqual([]);
	});
});
