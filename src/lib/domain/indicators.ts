import * as Y from 'yjs';
import { newId, type Actor } from './mutate';
import { DATE_PATTERN } from './problem';
import {
	change,
	clip,
	eachRecord,
	num,
	recordMap,
	recordsOf,
	str,
	type RecordMap
} from './records';

export const COMPARISONS = ['at-least', 'all'] as const;
/**
 * `at-least`: each county should reach the target (e.g. ≥ 2 pilot typicals, ≥ 90 %);
 * `all`: coverage (全覆盖) — the indicator is only met when every county has reached it.
 */
export type Comparison = (typeof COMPARISONS)[number];
export const isComparison = (v: unknown): v is Comparison => COMPARISONS.includes(v as Comparison);

/** A county's reported value of an indicator. */
export interface CountyActual {
	actual: number | null;
	evidence: string;
	updatedAt: string;
	updatedBy: string;
}

/** An indicator (指标) of the campaign's goals, with a target per county. */
export interface Indicator {
	id: string;
	name: string;
	unit: string;
	comparison: Comparison;
	target: number;
	deadline: string;
	order: number;
	perCounty: Record<string, CountyActual>;
}

export const INDICATORS = 'indicators';
export const INDICATOR_NAME_MAX = 200;
export const UNIT_MAX = 20;
export const EVIDENCE_MAX = 2_000;

function readActuals(v: unknown): Record<string, CountyActual> {
	const result: Record<string, CountyActual> = {};
	if (!(v instanceof Y.Map)) return result;
	v.forEach((entry: unknown, county: string) => {
		if (!(entry instanceof Y.Map)) return;
		result[county] = {
			actual: num(entry.get('actual')),
			evidence: str(entry.get('evidence'), EVIDENCE_MAX),
			updatedAt: str(entry.get('updatedAt'), 40),
			updatedBy: str(entry.get('updatedBy'), 100)
		};
	});
	return result;
}

/** Every indicator, in display order; foreign values are made safe. */
export function readIndicators(doc: Y.Doc): Indicator[] {
	const result: Indicator[] = [];
	eachRecord(doc, INDICATORS, (map, id) => {
		const comparison = map.get('comparison');
		const target = num(map.get('target'));
		const deadline = str(map.get('deadline'), 10);
		result.push({
			id,
			name: str(map.get('name'), INDICATOR_NAME_MAX) || id,
			unit: str(map.get('unit'), UNIT_MAX),
			comparison: isComparison(comparison) ? comparison : 'at-least',
			target: target !== null && target >= 0 ? target : 0,
			deadline: DATE_PATTERN.test(deadline) ? deadline : '',
			order: num(map.get('order')) ?? Number.MAX_SAFE_INTEGER,
			perCounty: readActuals(map.get('perCounty'))
		});
	});
	return result.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** The fields of an indicator a city user sets. */
export interface IndicatorInput {
	name: string;
	unit: string;
	comparison: Comparison;
	target: number;
	deadline: string;
}

function checkTarget(target: number) {
	if (!Number.isFinite(target) || target < 0) throw new Error('a target is a number ≥ 0');
}

function checkDeadline(deadline: string) {
	if (deadline && !DATE_PATTERN.test(deadline)) throw new Error('a deadline is YYYY-MM-DD');
}

/** Adds an indicator after the others; returns its id. */
export function addIndicator(doc: Y.Doc, input: IndicatorInput): string {
	const name = clip(input.name, INDICATOR_NAME_MAX);
	if (!name) throw new Error('an indicator needs a name');
	checkTarget(input.target);
	checkDeadline(input.deadline);
	const id = newId();
	change(doc, () => {
		const last = Math.max(0, ...readIndicators(doc).map((i) => i.order));
		const map = new Y.Map<unknown>();
		recordsOf(doc, INDICATORS).set(id, map);
		map.set('name', name);
		map.set('unit', clip(input.unit, UNIT_MAX));
		map.set('comparison', isComparison(input.comparison) ? input.comparison : 'at-least');
		map.set('target', input.target);
		map.set('deadline', input.deadline);
		map.set('order', last + 1);
		map.set('perCounty', new Y.Map());
	});
	return id;
}

/** Changes an indicator's definition (name, unit, comparison, target, deadline). */
export function updateIndicator(doc: Y.Doc, id: string, patch: Partial<IndicatorInput>): void {
	if (patch.target !== undefined) checkTarget(patch.target);
	if (patch.deadline !== undefined) checkDeadline(patch.deadline);
	change(doc, () => {
		const map = recordMap(doc, INDICATORS, id);
		const set = (key: string, value: unknown) => {
			if (map.get(key) !== value) map.set(key, value);
		};
		if (patch.name !== undefined) {
			const name = clip(patch.name, INDICATOR_NAME_MAX);
			if (name) set('name', name);
		}
		if (patch.unit !== undefined) set('unit', clip(patch.unit, UNIT_MAX));
		if (patch.comparison !== undefined && isComparison(patch.comparison)) {
			set('comparison', patch.comparison);
		}
		if (patch.target !== undefined) set('target', patch.target);
		if (patch.deadline !== undefined) set('deadline', patch.deadline);
	});
}

export function removeIndicator(doc: Y.Doc, id: string): void {
	change(doc, () => recordsOf(doc, INDICATORS).delete(id));
}

function actualsOf(map: RecordMap): Y.Map<Y.Map<unknown>> {
	const existing = map.get('perCounty');
	if (existing instanceof Y.Map) return existing as Y.Map<Y.Map<unknown>>;
	const created = new Y.Map<Y.Map<unknown>>();
	map.set('perCounty', created);
	return created;
}

/**
 * Records a county's actual value and its evidence (who and when go with it). An empty value
 * with no evidence clears the county's entry.
 */
export function setCountyActual(
	doc: Y.Doc,
	id: string,
	county: string,
	value: { actual: number | null; evidence: string },
	actor: Actor,
	now = new Date()
): void {
	if (value.actual !== null && !Number.isFinite(value.actual)) {
		throw new Error('an actual value is a number');
	}
	const evidence = clip(value.evidence, EVIDENCE_MAX);
	change(doc, () => {
		const actuals = actualsOf(recordMap(doc, INDICATORS, id));
		if (value.actual === null && !evidence) {
			actuals.delete(county);
			return;
		}
		let entry = actuals.get(county);
		if (!(entry instanceof Y.Map)) {
			entry = new Y.Map<unknown>();
			actuals.set(county, entry);
		}
		if (value.actual === null) entry.delete('actual');
		else entry.set('actual', value.actual);
		entry.set('evidence', evidence);
		entry.set('updatedAt', now.toISOString());
		entry.set('updatedBy', actor.name);
	});
}

/**
 * Where a county stands on an indicator: `met` (reached the target), `on-track` (at least the
 * share of the target that the time elapsed since the campaign's start asks for), `behind`,
 * `missed` (deadline passed, target not reached) or `no-data` (nothing recorded).
 */
export type Progress = 'met' | 'on-track' | 'behind' | 'missed' | 'no-data';

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The share of the target expected by `today`, 0…1, growing evenly from `start` to the deadline. */
export function expectedShare(start: string, deadline: string, today: string): number {
	if (!deadline) return 0;
	if (today >= deadline) return 1;
	if (!DATE_PATTERN.test(start) || start >= deadline || today <= start) return 0;
	return (dayNumber(today) - dayNumber(start)) / (dayNumber(deadline) - dayNumber(start));
}

export function countyProgress(
	indicator: Indicator,
	county: string,
	today: string,
	start: string
): Progress {
	const actual = indicator.perCounty[county]?.actual ?? null;
	if (actual === null) {
		return indicator.deadline && today > indicator.deadline ? 'missed' : 'no-data';
	}
	if (actual >= indicator.target) return 'met';
	if (indicator.deadline && today > indicator.deadline) return 'missed';
	const expected = indicator.target * expectedShare(start, indicator.deadline, today);
	return actual >= expected ? 'on-track' : 'behind';
}

export interface IndicatorSummary {
	/** Counties that reached the target. */
	met: number;
	/** Counties on track or better. */
	onTrack: number;
	total: number;
	/** `all`: every county met; `at-least`: every county on track or better. */
	ok: boolean;
}

export function summarizeIndicator(
	indicator: Indicator,
	counties: string[],
	today: string,
	start: string
): IndicatorSummary {
	const progress = counties.map((c) => countyProgress(indicator, c, today, start));
	const met = progress.filter((p) => p === 'met').length;
	const onTrack = progress.filter((p) => p === 'met' || p === 'on-track').length;
	const total = counties.length;
	return {
		met,
		onTrack,
		total,
		ok: total > 0 && (indicator.comparison === 'all' ? met === total : onTrack === total)
	};
}
