/** Shared vocabulary of the problem list (问题清单): the values stored in the Y.Docs. */

export const TIERS = ['unsorted', 'party-gov', 'union-system', 'county-self'] as const;
/** A board column: 待分类 or one of the seed's three ways of solving a problem. */
export type Tier = (typeof TIERS)[number];

export const STATUSES = ['open', 'in-progress', 'resolved', 'closed'] as const;
/** 待办 / 推进中 / 已解决（待核验）/ 已销号 */
export type Status = (typeof STATUSES)[number];

export const FOCUSES = [
	'industrial-workers',
	'new-employment',
	'organization',
	'quality-of-life',
	'labour-security',
	'other'
] as const;
/** The seed's five research themes (调查研究重点), plus other. */
export type Focus = (typeof FOCUSES)[number];

export const GOALS = [
	'political',
	'organizational',
	'service',
	'institutional',
	'effectiveness'
] as const;
/** The seed's five 强 goals. */
export type Goal = (typeof GOALS)[number];

export const ROLES = ['admin', 'city', 'county', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const VISIT_MODES = ['on-site', 'video', 'phone'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

export interface User {
	username: string;
	displayName: string;
	role: Role;
	/** The county id a `county` user belongs to. */
	county?: string;
}

export const isTier = (v: unknown): v is Tier => TIERS.includes(v as Tier);
export const isStatus = (v: unknown): v is Status => STATUSES.includes(v as Status);
export const isFocus = (v: unknown): v is Focus => FOCUSES.includes(v as Focus);
export const isGoal = (v: unknown): v is Goal => GOALS.includes(v as Goal);
export const isRole = (v: unknown): v is Role => ROLES.includes(v as Role);
