import * as Y from 'yjs';
import type { County } from './campaign';
import { change, clip } from './records';

/** What city users keep current about a county's pairing (对口联系) and its brand (一县一品). */
export type PairingFields = Pick<
	County,
	'pairedBy' | 'leader' | 'cityContact' | 'cityPhone' | 'countyContact' | 'countyPhone' | 'brand'
>;

const LIMITS: Record<keyof PairingFields, number> = {
	pairedBy: 10,
	leader: 50,
	cityContact: 50,
	cityPhone: 30,
	countyContact: 50,
	countyPhone: 30,
	brand: 200
};

/** Changes a county's pairing fields; only values that differ are written. */
export function updateCounty(doc: Y.Doc, countyId: string, patch: Partial<PairingFields>): void {
	change(doc, () => {
		const entry = doc.getMap<Y.Map<unknown>>('counties').get(countyId);
		if (!(entry instanceof Y.Map)) throw new Error(`county ${countyId} not found`);
		for (const [key, raw] of Object.entries(patch) as [keyof PairingFields, unknown][]) {
			if (!(key in LIMITS) || typeof raw !== 'string') continue;
			if (key === 'pairedBy' && raw !== 'city' && raw !== 'province') continue;
			const value = clip(raw, LIMITS[key]);
			if (entry.get(key) !== value) entry.set(key, value);
		}
	});
}
