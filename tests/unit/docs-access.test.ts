import { describe, expect, test } from 'vitest';
import {
	campaignDocName,
	canRead,
	canWrite,
	countyDocName,
	isId,
	parseDocName,
	type DocRef
} from '../../src/lib/domain/docs';
import { ROLES, type Role, type User } from '../../src/lib/domain/model';

describe('parseDocName', () => {
	test('accepts a campaign doc and a county doc', () => {
		expect(parseDocName('campaign.2022')).toEqual({ kind: 'campaign', campaign: '2022' });
		expect(parseDocName('county.2022.haigang')).toEqual({
			kind: 'county',
			campaign: '2022',
			county: 'haigang'
		});
		expect(parseDocName('county.2022.a-b-1')).toEqual({
			kind: 'county',
			campaign: '2022',
			county: 'a-b-1'
		});
	});

	test('round-trips the names the app builds', () => {
		expect(parseDocName(campaignDocName('2022'))).toEqual({ kind: 'campaign', campaign: '2022' });
		expect(parseDocName(countyDocName('2022', 'qinglong'))).toEqual({
			kind: 'county',
			campaign: '2022',
			county: 'qinglong'
		});
	});

	test.each([
		['path traversal', '../../etc'],
		['path traversal inside a county name', 'county.2022...'],
		['encoded traversal', '%2e%2e%2f'],
		['encoded traversal as an id', 'campaign.%2e%2e'],
		['a slash', 'a/b'],
		['a slash in an id', 'county.2022.hai/gang'],
		['a backslash in an id', 'county.2022.hai\\gang'],
		['the empty string', ''],
		['a 10 KB name', `campaign.${'a'.repeat(10 * 1024)}`],
		['an id one character too long', `campaign.${'a'.repeat(64)}`],
		['a NUL byte', 'campaign.2022\u0000'],
		['a NUL byte inside', 'county.2022\u0000.haigang'],
		['upper case', 'campaign.ABC'],
		['an upper-case kind', 'Campaign.2022'],
		['a Cyrillic look-alike letter', 'county.2022.h\u0430igang'],
		['a full-width digit', 'campaign.２０２２'],
		['a leading hyphen', 'campaign.-2022'],
		['an empty id', 'campaign.'],
		['an empty county', 'county.2022.'],
		['a campaign with extra segments', 'campaign.2022.haigang'],
		['a county with extra segments', 'county.2022.haigang.x'],
		['a county without its county id', 'county.2022'],
		['an unknown kind', 'users.2022'],
		['surrounding space', ' campaign.2022'],
		['a trailing newline', 'campaign.2022\n'],
		['an underscore', 'county.2022.hai_gang'],
		['a prototype key', '__proto__']
	])('rejects %s', (_, name) => {
		expect(parseDocName(name)).toBeNull();
	});

	test('an id is 1 to 63 characters of [a-z0-9-], starting with a letter or digit', () => {
		expect(isId('a')).toBe(true);
		expect(isId('a'.repeat(63))).toBe(true);
		expect(isId('a'.repeat(64))).toBe(false);
		expect(isId('0-x')).toBe(true);
		expect(isId(42)).toBe(false);
		expect(isId(null)).toBe(false);
	});
});

describe('canRead / canWrite', () => {
	const campaign: DocRef = { kind: 'campaign', campaign: '2022' };
	const own: DocRef = { kind: 'county', campaign: '2022', county: 'haigang' };
	const other: DocRef = { kind: 'county', campaign: '2022', county: 'qinglong' };
	const user = (role: Role, county?: string): User => ({
		username: role,
		displayName: role,
		role,
		...(county ? { county } : {})
	});

	// [role, doc, read, write]
	const table: [string, User, DocRef, boolean, boolean][] = [
		['admin', user('admin'), campaign, true, true],
		['admin', user('admin'), own, true, true],
		['admin', user('admin'), other, true, true],
		['city', user('city'), campaign, true, true],
		['city', user('city'), own, true, true],
		['city', user('city'), other, true, true],
		['county (haigang)', user('county', 'haigang'), campaign, true, false],
		['county (haigang)', user('county', 'haigang'), own, true, true],
		['county (haigang)', user('county', 'haigang'), other, true, false],
		['viewer', user('viewer'), campaign, true, false],
		['viewer', user('viewer'), own, true, false],
		['viewer', user('viewer'), other, true, false]
	];

	test.each(table)('%s on %o: read %s, write %s', (_, u, ref, read, write) => {
		expect(canRead(u, ref)).toBe(read);
		expect(canWrite(u, ref)).toBe(write);
	});

	test('the table covers every role', () => {
		expect(new Set(table.map(([, u]) => u.role))).toEqual(new Set(ROLES));
	});

	test('a county user without a county writes nothing', () => {
		expect(canWrite(user('county'), own)).toBe(false);
		expect(canWrite(user('county'), campaign)).toBe(false);
	});

	test('nobody signed in can neither read nor write', () => {
		for (const ref of [campaign, own, other]) {
			expect(canRead(null, ref)).toBe(false);
			expect(canWrite(null, ref)).toBe(false);
		}
	});

	test('an unknown role read from storage writes nothing', () => {
		const odd = { username: 'x', displayName: 'x', role: 'superuser' } as unknown as User;
		expect(canWrite(odd, own)).toBe(false);
		expect(canWrite(odd, campaign)).toBe(false);
	});
});
