import { describe, expect, it } from 'vitest';
import { landingPath } from '../../src/lib/domain/campaign';

describe('where a person lands when opening the app', () => {
	it('a county officer on their own board, everyone else on the overview', () => {
		expect(landingPath('2022', { role: 'county', county: 'funing' })).toBe('/c/2022/funing');
		expect(landingPath('2022', { role: 'city' })).toBe('/c/2022');
		expect(landingPath('2022', { role: 'viewer' })).toBe('/c/2022');
		expect(landingPath('2022', { role: 'county' })).toBe('/c/2022');
		expect(landingPath('2022', null)).toBe('/c/2022');
	});
});
