/** Named ledger filters a person keeps on this device (they are URL query strings). */
export interface SavedFilter {
	name: string;
	query: string;
}

const KEY = 'qingdan.savedFilters';

export function loadSavedFilters(): SavedFilter[] {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
		if (!Array.isArray(parsed)) return [];
		return parsed.filter(
			(f): f is SavedFilter => typeof f?.name === 'string' && typeof f?.query === 'string'
		);
	} catch {
		return [];
	}
}

export function storeSavedFilters(filters: SavedFilter[]): void {
	try {
		localStorage.setItem(KEY, JSON.stringify(filters));
	} catch {
		// Full or private storage: the filter works for this visit only.
	}
}
