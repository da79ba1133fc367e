import * as Y from 'yjs';
import type { Role } from './model';
import { problemsOf, type ProblemMap } from './problem';

/**
 * Who makes a change: written into createdBy and the log. The role decides what they may do to
 * a closed problem; an actor without one is treated like a county user.
 */
export interface Actor {
	username: string;
	name: string;
	role?: Role;
}

/** Transaction origin of this client's own edits; undo and the sync layer recognise it. */
export const LOCAL_ORIGIN = Object.freeze({ qingdan: 'local' });

export const TITLE_MAX = 200;
export const TEXT_MAX = 2_000;

export function newId(): string {
	const bytes = new Uint8Array(9);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, (b) => b.toString(36).padStart(2, '0'))
		.join('')
		.slice(0, 14);
}

export const clip = (text: string, max: number) => text.trim().slice(0, max);

/** Runs one change of this client's as one transaction. */
export function change(doc: Y.Doc, fn: () => void) {
	doc.transact(fn, LOCAL_ORIGIN);
}

export function problemMap(doc: Y.Doc, id: string): ProblemMap {
	const map = problemsOf(doc).get(id);
	if (!(map instanceof Y.Map)) throw new Error(`problem ${id} not found`);
	return map;
}

/** Appends to a problem's history; `detail` carries a reason or note that goes with the change. */
export function appendLog(
	map: ProblemMap,
	actor: Actor,
	kind: string,
	text: string,
	now: Date,
	detail = ''
) {
	let log = map.get('log');
	if (!(log instanceof Y.Array)) {
		log = new Y.Array<Y.Map<unknown>>();
		map.set('log', log);
	}
	const entry = new Y.Map<unknown>();
	entry.set('at', now.toISOString());
	entry.set('by', actor.name);
	entry.set('kind', kind);
	entry.set('text', text);
	if (detail) entry.set('detail', detail);
	(log as Y.Array<Y.Map<unknown>>).push([entry]);
}

export function touch(map: ProblemMap, now: Date) {
	map.set('updatedAt', now.toISOString());
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Applies an edited text as the smallest splice against the shared text, so that concurrent
 * typing elsewhere merges character by character; true when anything changed.
 */
export function spliceText(text: Y.Text, next: string): boolean {
	const current = text.toString();
	if (current === next) return false;
	let start = 0;
	const max = Math.min(current.length, next.length);
	while (start < max && current[start] === next[start]) start++;
	// Never cut inside a surrogate pair (emoji): Yjs would turn both halves into U+FFFD.
	if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
	let end = 0;
	while (end < max - start && current[current.length - 1 - end] === next[next.length - 1 - end])
		end++;
	if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
	const removed = current.length - start - end;
	if (removed > 0) text.delete(start, removed);
	const inserted = next.slice(start, next.length - end);
	if (inserted) text.insert(start, inserted);
	return true;
}
