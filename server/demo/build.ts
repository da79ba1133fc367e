import * as Y from 'yjs';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	editDescription,
	setCoOwners,
	setMeasureDone,
	updateProblem,
	type Actor
} from '../../src/lib/domain/commands.ts';
import { countyDocName } from '../../src/lib/domain/docs.ts';
import { addDays } from '../../src/lib/domain/stats.ts';
import { SAMPLE_PROBLEMS } from './sample.ts';

const OFFICE: Actor = { username: 'chenjing', name: '陈静' };

/**
 * The demo campaign's county docs, built with the same domain operations people use, so the
 * sample has real histories. Returns one update per doc name.
 */
export function buildDemoDocs(campaign: string, today: string): Map<string, Uint8Array> {
	const docs = new Map<string, Y.Doc>();
	for (const sample of SAMPLE_PROBLEMS) {
		const name = countyDocName(campaign, sample.county);
		let doc = docs.get(name);
		if (!doc) {
			doc = new Y.Doc();
			docs.set(name, doc);
		}
		const actor = sample.assignee ? { username: sample.assignee, name: sample.assignee } : OFFICE;
		const id = createProblem(
			doc,
			{ title: sample.title, tier: sample.tier, focus: sample.focus },
			OFFICE
		);
		if (sample.description) editDescription(doc, id, sample.description);
		updateProblem(
			doc,
			id,
			{
				owner: sample.owner,
				assignee: sample.assignee,
				leader: sample.leader,
				goal: sample.goal ?? null,
				due: sample.dueInDays === null ? '' : addDays(today, sample.dueInDays)
			},
			OFFICE
		);
		if (sample.coOwners.length) setCoOwners(doc, id, sample.coOwners);
		for (const [text, done] of sample.measures) {
			const measure = addMeasure(doc, id, text);
			if (done) setMeasureDone(doc, id, measure, true);
		}
		if (sample.status !== 'open') {
			updateProblem(doc, id, { status: 'in-progress' }, actor);
			if (sample.status !== 'in-progress') updateProblem(doc, id, { status: 'resolved' }, actor);
			if (sample.status === 'closed') updateProblem(doc, id, { status: 'closed' }, OFFICE);
		}
		for (const note of sample.notes) addProgressNote(doc, id, note, actor);
	}
	const updates = new Map<string, Uint8Array>();
	for (const [name, doc] of docs) {
		updates.set(name, Y.encodeStateAsUpdate(doc));
		doc.destroy();
	}
	return updates;
}
