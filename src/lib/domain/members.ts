import * as Y from 'yjs';
import { newId } from './mutate';
import { change, clip, eachRecord, num, recordMap, recordsOf, str } from './records';

export const MEMBER_ROLES = ['leader', 'deputy', 'member'] as const;
/** 组长 / 副组长 / 成员 of the leadership group (领导小组). */
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const isMemberRole = (v: unknown): v is MemberRole => MEMBER_ROLES.includes(v as MemberRole);

/** A member of the campaign's leadership group, with their post (职务). */
export interface Member {
	id: string;
	name: string;
	post: string;
	role: MemberRole;
	order: number;
}

export const MEMBERS = 'members';
export const NAME_MAX = 50;
export const POST_MAX = 200;

/** The leadership group in the order of attachment 1: 组长, then 副组长, then 成员. */
export function readMembers(doc: Y.Doc): Member[] {
	const result: Member[] = [];
	eachRecord(doc, MEMBERS, (map, id) => {
		const name = str(map.get('name'), NAME_MAX).trim();
		if (!name) return;
		const role = map.get('role');
		result.push({
			id,
			name,
			post: str(map.get('post'), POST_MAX),
			role: isMemberRole(role) ? role : 'member',
			order: num(map.get('order')) ?? Number.MAX_SAFE_INTEGER
		});
	});
	const rank = (m: Member) => MEMBER_ROLES.indexOf(m.role);
	return result.sort((a, b) => rank(a) - rank(b) || a.order - b.order || a.id.localeCompare(b.id));
}

export interface MemberInput {
	name: string;
	post: string;
	role: MemberRole;
}

/** Adds a member at the end of their role's list; returns the id. */
export function addMember(doc: Y.Doc, input: MemberInput): string {
	const name = clip(input.name, NAME_MAX);
	if (!name) throw new Error('a member needs a name');
	const id = newId();
	change(doc, () => {
		const last = Math.max(0, ...readMembers(doc).map((m) => m.order));
		const map = new Y.Map<unknown>();
		recordsOf(doc, MEMBERS).set(id, map);
		map.set('name', name);
		map.set('post', clip(input.post, POST_MAX));
		map.set('role', isMemberRole(input.role) ? input.role : 'member');
		map.set('order', last + 1);
	});
	return id;
}

/** Changes a member's name, post or role; an empty name is ignored. */
export function updateMember(doc: Y.Doc, id: string, patch: Partial<MemberInput>): void {
	change(doc, () => {
		const map = recordMap(doc, MEMBERS, id);
		if (patch.name !== undefined) {
			const name = clip(patch.name, NAME_MAX);
			if (name && name !== map.get('name')) map.set('name', name);
		}
		if (patch.post !== undefined) {
			const post = clip(patch.post, POST_MAX);
			if (post !== map.get('post')) map.set('post', post);
		}
		if (patch.role !== undefined && isMemberRole(patch.role) && patch.role !== map.get('role')) {
			map.set('role', patch.role);
		}
	});
}

export function removeMember(doc: Y.Doc, id: string): void {
	change(doc, () => recordsOf(doc, MEMBERS).delete(id));
}
