import * as Y from 'yjs';
import { readCounties, seedCampaign, type CampaignMeta, type County } from './campaign';
import { DATE_PATTERN, problemsOf } from './problem';
import { isId } from './docs';
import { newId } from './mutate';

/**
 * A new campaign (专项工作) made from an older one: its structure copied (counties with their
 * pairings and contacts, leadership group, indicator definitions) and, if asked, its unclosed
 * problems carried into the new boards with a link back. Pure functions over Y.Docs; the server
 * builds the docs with them and stores them.
 */

export interface NewCampaign {
	id: string;
	name: string;
	startDate: string;
	endDate: string;
	/** 报送 date; empty when not set. */
	reportDueDate: string;
	/** The campaign whose structure is copied. */
	copyFrom: string | null;
	/** Bring the source's unclosed problems along (needs `copyFrom`). */
	carryOver: boolean;
}

export const CAMPAIGN_NAME_MAX = 100;

/** Why a campaign cannot be created as asked; `code` is the API error code. */
export type NewCampaignProblem =
	| 'campaign_id_invalid'
	| 'campaign_name_invalid'
	| 'campaign_date_invalid'
	| 'campaign_period_order'
	| 'campaign_carry_needs_source';

export interface NewCampaignIssue {
	code: NewCampaignProblem;
	/** The field at fault. */
	field: 'id' | 'name' | 'startDate' | 'endDate' | 'reportDueDate' | 'carryOver';
	message: string;
}

/** A real day written YYYY-MM-DD (2023-02-30 is not one). */
function isDate(v: string): boolean {
	if (!DATE_PATTERN.test(v)) return false;
	const day = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === v;
}
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Reads a request for a new campaign; the first rule it breaks comes back as an issue in plain
 * English (the app words the code in the person's language).
 */
export function readNewCampaign(
	body: Record<string, unknown>
): { ok: true; value: NewCampaign } | { ok: false; issue: NewCampaignIssue } {
	const id = text(body.id);
	const name = text(body.name);
	const startDate = text(body.startDate);
	const endDate = text(body.endDate);
	const reportDueDate = text(body.reportDueDate);
	const copyFrom = text(body.copyFrom) || null;
	const carryOver = body.carryOver === true;
	const fail = (code: NewCampaignProblem, field: NewCampaignIssue['field'], message: string) => ({
		ok: false as const,
		issue: { code, field, message }
	});
	if (!isId(id)) {
		return fail(
			'campaign_id_invalid',
			'id',
			'The campaign id must be 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit (e.g. 2023).'
		);
	}
	if (!name || name.length > CAMPAIGN_NAME_MAX) {
		return fail(
			'campaign_name_invalid',
			'name',
			`The campaign needs a name of at most ${CAMPAIGN_NAME_MAX} characters.`
		);
	}
	if (!isDate(startDate)) {
		return fail(
			'campaign_date_invalid',
			'startDate',
			'The start date must be a date (YYYY-MM-DD).'
		);
	}
	if (!isDate(endDate)) {
		return fail('campaign_date_invalid', 'endDate', 'The end date must be a date (YYYY-MM-DD).');
	}
	if (endDate <= startDate) {
		return fail('campaign_period_order', 'endDate', 'The end date must be after the start date.');
	}
	if (reportDueDate && !isDate(reportDueDate)) {
		return fail(
			'campaign_date_invalid',
			'reportDueDate',
			'The report due date must be a date (YYYY-MM-DD).'
		);
	}
	if (carryOver && !copyFrom) {
		return fail(
			'campaign_carry_needs_source',
			'carryOver',
			'Problems can only be carried over from a campaign the new one is copied from.'
		);
	}
	return {
		ok: true,
		value: { id, name, startDate, endDate, reportDueDate, copyFrom, carryOver }
	};
}

const COPIED_MEMBER_FIELDS = ['name', 'post', 'role', 'order'];
const COPIED_INDICATOR_FIELDS = ['name', 'unit', 'comparison', 'target', 'deadline', 'order'];

/** Copies the listed plain fields of every record of one root map into another. */
function copyRecords(
	source: Y.Doc,
	target: Y.Doc,
	root: string,
	fields: string[],
	extra?: () => [string, unknown][]
) {
	const into = target.getMap<Y.Map<unknown>>(root);
	source.getMap<unknown>(root).forEach((record, id) => {
		if (!(record instanceof Y.Map)) return;
		const copy = new Y.Map<unknown>();
		into.set(id, copy);
		for (const field of fields) {
			const value = record.get(field);
			if (value !== undefined && !(value instanceof Y.AbstractType)) copy.set(field, value);
		}
		for (const [key, value] of extra?.() ?? []) copy.set(key, value);
	});
}

/**
 * Writes a new campaign doc: its meta, and from `source` (when given) the counties with their
 * pairings and contacts, the leadership group and the indicator definitions — not their
 * progress. Returns the counties the campaign has.
 */
export function buildCampaignDoc(
	target: Y.Doc,
	meta: CampaignMeta,
	source: Y.Doc | null
): County[] {
	const counties = source ? readCounties(source) : [];
	seedCampaign(target, meta, counties);
	if (source) {
		target.transact(() => {
			copyRecords(source, target, 'members', COPIED_MEMBER_FIELDS);
			copyRecords(source, target, 'indicators', COPIED_INDICATOR_FIELDS, () => [
				['perCounty', new Y.Map()]
			]);
			// The plan's records are never seeded into a copy: what was copied is its record.
			const seeded = target.getMap<string>('seeded');
			const now = new Date().toISOString();
			for (const name of ['members', 'indicators', 'milestones']) seeded.set(name, now);
		}, 'seed');
	}
	return counties;
}

/** Ids of the problems of a board that are neither closed (已销号) nor deleted. */
export function unclosedProblemIds(doc: Y.Doc): string[] {
	const ids: string[] = [];
	problemsOf(doc).forEach((map, id) => {
		if (!(map instanceof Y.Map)) return;
		if (map.get('status') === 'closed' || map.get('deletedAt') !== undefined) return;
		ids.push(id);
	});
	return ids;
}

/**
 * Copies every unclosed problem of `source` (one county's board of the older campaign) into
 * `target` (the same county's board of the new one) as it is — fields, measures, progress
 * notes — under a new id, with `carriedFrom` naming the original. `source` is only read.
 * Returns the new ids by the old ones.
 */
export function carryProblems(
	source: Y.Doc,
	target: Y.Doc,
	from: { campaign: string; county: string }
): Map<string, string> {
	const carried = new Map<string, string>();
	const into = problemsOf(target);
	const problems = problemsOf(source);
	target.transact(() => {
		for (const id of unclosedProblemIds(source)) {
			const copy = problems.get(id)!.clone();
			const link = new Y.Map<unknown>();
			link.set('campaign', from.campaign);
			link.set('county', from.county);
			link.set('problem', id);
			const newProblemId = newId();
			into.set(newProblemId, copy);
			copy.set('carriedFrom', link);
			carried.set(id, newProblemId);
		}
	}, 'seed');
	return carried;
}
