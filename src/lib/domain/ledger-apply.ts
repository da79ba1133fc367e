/**
 * Writing a checked import plan (导入台账) into the county docs: one transaction per county doc,
 * made of the same commands the board uses, so undo, history and sync see one change each.
 */
import * as Y from 'yjs';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	editDescription,
	moveProblem,
	removeMeasure,
	setCoOwners,
	setMeasureDone,
	updateProblem,
	type ProblemFields
} from './commands';
import type { ImportPlan, PlannedRow } from './ledger-import';
import type { SheetFields } from './ledger-sheet';
import { mayEdit, startProblem } from './lifecycle';
import { change, problemMap, type Actor } from './mutate';
import { columnOrder, problemsOf, readProblem } from './problem';

/** The detail logged with a tier change that came from a file. */
export const IMPORT_REASON = '台账导入';

export class ImportConflictError extends Error {}

/** Makes the measures checklist read like `wanted`, keeping measures whose text is unchanged. */
function applyMeasures(
	doc: Y.Doc,
	id: string,
	wanted: SheetFields['measures'],
	actor: Actor,
	now: Date
) {
	const current = readProblem(id, problemMap(doc, id)).measures;
	const unused = new Map(current.map((m) => [m.id, m]));
	for (const measure of wanted) {
		const match = [...unused.values()].find((m) => m.text === measure.text);
		if (match) {
			unused.delete(match.id);
			if (match.done !== measure.done) setMeasureDone(doc, id, match.id, measure.done, now, actor);
		} else {
			const measureId = addMeasure(doc, id, measure.text, now, actor);
			if (measure.done) setMeasureDone(doc, id, measureId, true, now, actor);
		}
	}
	for (const measureId of unused.keys()) removeMeasure(doc, id, measureId, now, actor);
}

function applyFields(doc: Y.Doc, id: string, row: PlannedRow, actor: Actor, now: Date) {
	const { fields } = row;
	const patch: Partial<ProblemFields> = {};
	for (const key of ['title', 'owner', 'assignee', 'leader', 'due'] as const) {
		if (fields[key] !== undefined) patch[key] = fields[key];
	}
	if (Object.keys(patch).length) updateProblem(doc, id, patch, actor, now);
	if (fields.description !== undefined) editDescription(doc, id, fields.description, now, actor);
	if (fields.tier !== undefined && readProblem(id, problemMap(doc, id)).tier !== fields.tier) {
		const end = columnOrder(doc, fields.tier).length;
		moveProblem(doc, id, fields.tier, end, actor, now, IMPORT_REASON);
	}
	if (fields.measures) applyMeasures(doc, id, fields.measures, actor, now);
	if (fields.coOwners) setCoOwners(doc, id, fields.coOwners, now, actor);
	if (fields.status === 'in-progress') startProblem(doc, id, actor, now);
	if (row.note) addProgressNote(doc, id, row.note, actor, now);
}

/**
 * Refuses a plan the docs no longer fit (a problem deleted or started since the preview) or that
 * would change a closed problem its importer may not change.
 */
function check(doc: Y.Doc, row: PlannedRow, actor: Actor) {
	if (!row.id) return;
	const map = problemsOf(doc).get(row.id);
	if (!(map instanceof Y.Map)) throw new ImportConflictError(`problem ${row.id} is gone`);
	const problem = readProblem(row.id, map);
	if (problem.deleted) throw new ImportConflictError(`problem ${row.id} was deleted`);
	if (!mayEdit(problem.status, actor)) {
		throw new ImportConflictError(`problem ${row.id} is closed`);
	}
	if (row.fields.status === 'in-progress' && problem.status !== 'open') {
		throw new ImportConflictError(`problem ${row.id} is no longer open`);
	}
}

/**
 * Applies a plan without errors; `docOf` gives each county's doc. Everything is checked before
 * the first write, so an import is never half done. Returns the ids of the new problems by row.
 */
export function applyImport(
	plan: ImportPlan,
	docOf: (county: string) => Y.Doc,
	actor: Actor,
	now = new Date()
): Map<number, string> {
	if (plan.errors.length) throw new Error('an import with errors cannot be applied');
	const byCounty = new Map<string, PlannedRow[]>();
	for (const row of plan.rows) {
		if (row.kind === 'unchanged') continue;
		byCounty.set(row.county, [...(byCounty.get(row.county) ?? []), row]);
	}
	for (const [county, rows] of byCounty) for (const row of rows) check(docOf(county), row, actor);
	const created = new Map<number, string>();
	for (const [county, rows] of byCounty) {
		const doc = docOf(county);
		change(doc, () => {
			for (const row of rows) {
				const { title = '', tier, description } = row.fields;
				const id = row.id ?? createProblem(doc, { title, tier, description }, actor, now);
				if (!row.id) created.set(row.row, id);
				// For a new problem, the fields it was created with are already equal: no-ops.
				applyFields(doc, id, row, actor, now);
			}
		});
	}
	return created;
}
