import type { User } from './model';

/** Ids of campaigns and counties; also what keeps doc names safe as keys and in URLs. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type DocRef =
	{ kind: 'campaign'; campaign: string } | { kind: 'county'; campaign: string; county: string };

export const isId = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);

/** Parses a doc name (`campaign.<id>` or `county.<campaign>.<county>`); null for anything else. */
export function parseDocName(name: string): DocRef | null {
	const parts = name.split('.');
	if (parts[0] === 'campaign' && parts.length === 2 && isId(parts[1])) {
		return { kind: 'campaign', campaign: parts[1] };
	}
	if (parts[0] === 'county' && parts.length === 3 && isId(parts[1]) && isId(parts[2])) {
		return { kind: 'county', campaign: parts[1], county: parts[2] };
	}
	return null;
}

export const campaignDocName = (campaign: string) => `campaign.${campaign}`;
export const countyDocName = (campaign: string, county: string) => `county.${campaign}.${county}`;

/** Every signed-in user may read every doc of the campaign. */
export function canRead(user: User | null, ref: DocRef): boolean {
	return user !== null && ref !== null;
}

/** admin and city write everything; county users write only their own county's problem list. */
export function canWrite(user: User | null, ref: DocRef): boolean {
	if (!user) return false;
	switch (user.role) {
		case 'admin':
		case 'city':
			return true;
		case 'county':
			return ref.kind === 'county' && user.county === ref.county;
		default:
			return false;
	}
}
