import * as Y from 'yjs';
import { clip } from './mutate';

export { change, clip, spliceText } from './mutate';

/**
 * Shared helpers of the campaign-level records (members, indicators, milestones, practices,
 * recommendations): each is a Y.Map<id, Y.Map> at the root of the campaign doc.
 */

export type RecordMap = Y.Map<unknown>;

export const str = (v: unknown, max = 10_000): string =>
	typeof v === 'string' ? v.slice(0, max) : '';

/** A finite number, or null for anything else (strings, NaN, missing). */
export const num = (v: unknown): number | null =>
	typeof v === 'number' && Number.isFinite(v) ? v : null;

export function readText(v: unknown): string {
	if (v instanceof Y.Text) return v.toString();
	return str(v);
}

export function readStrings(v: unknown): string[] {
	if (!(v instanceof Y.Array)) return [];
	return v.toArray().filter((s): s is string => typeof s === 'string');
}

/** One of the records' root maps, e.g. `recordsOf(doc, 'practices')`. */
export function recordsOf(doc: Y.Doc, name: string): Y.Map<RecordMap> {
	return doc.getMap<RecordMap>(name);
}

/** Each record of a root map that is a Y.Map (values of other shapes are skipped). */
export function eachRecord(doc: Y.Doc, name: string, fn: (map: RecordMap, id: string) => void) {
	recordsOf(doc, name).forEach((map, id) => {
		if (map instanceof Y.Map) fn(map, id);
	});
}

export function recordMap(doc: Y.Doc, name: string, id: string): RecordMap {
	const map = recordsOf(doc, name).get(id);
	if (!(map instanceof Y.Map)) throw new Error(`${name} ${id} not found`);
	return map;
}

/** The Y.Array under `key`, created (from a plain array if one is there) when missing. */
export function arrayOf<T>(map: RecordMap, key: string): Y.Array<T> {
	const existing = map.get(key);
	if (existing instanceof Y.Array) return existing as Y.Array<T>;
	const created = new Y.Array<T>();
	if (Array.isArray(existing)) created.push(existing as T[]);
	map.set(key, created);
	return created;
}

/** Replaces a list of strings (tags, counties, linked problems); true when it changed. */
export function setStrings(map: RecordMap, key: string, values: string[], max = 200): boolean {
	const clean = [...new Set(values.map((v) => clip(v, max)).filter(Boolean))];
	const list = arrayOf<string>(map, key);
	if (JSON.stringify(list.toArray()) === JSON.stringify(clean)) return false;
	list.delete(0, list.length);
	list.push(clean);
	return true;
}

/** The Y.Text under `key`, created (from a plain string if one is there) when missing. */
export function textOf(map: RecordMap, key: string): Y.Text {
	const existing = map.get(key);
	if (existing instanceof Y.Text) return existing;
	const created = new Y.Text(typeof existing === 'string' ? existing : '');
	map.set(key, created);
	return created;
}

/** Splits what a person typed as a list (tags, units): 、，,; and line breaks separate items. */
export function parseList(text: string): string[] {
	return text
		.split(/[、，,；;\n]/)
		.map((s) => s.trim())
		.filter(Boolean);
}
