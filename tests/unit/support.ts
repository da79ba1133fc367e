import * as Y from 'yjs';
import type { Actor } from '../../src/lib/domain/commands';
import {
	problemsOf,
	readProblem,
	type Problem,
	type ProblemMap
} from '../../src/lib/domain/problem';

export const alice: Actor = { username: 'alice', name: '张三', role: 'city' };
export const bob: Actor = { username: 'bob', name: '李四', role: 'city' };

/** A doc with a fixed client id, so that conflict resolution is the same on every run. */
export function newDoc(clientID: number): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	return doc;
}

export function mapOf(doc: Y.Doc, id: string): ProblemMap {
	const map = problemsOf(doc).get(id);
	if (!(map instanceof Y.Map)) throw new Error(`no problem ${id}`);
	return map;
}

export function read(doc: Y.Doc, id: string): Problem {
	return readProblem(id, mapOf(doc, id));
}

/** Sends every doc's missing updates to every other doc. */
export function syncAll(...docs: Y.Doc[]): void {
	for (const from of docs) {
		for (const to of docs) {
			if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
		}
	}
}
