import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, COALESCE_MS, type AuditRecord } from '../../server/audit/audit-log.ts';
import { openDatabase, type Db } from '../../server/db.ts';
import { TestServer } from './harness.ts';

const DOC = 'county.2022.haigang';
const OTHER_DOC = 'county.2022.qinglong';

const record = (over: Partial<AuditRecord>): AuditRecord => ({
	at: '2023-03-01T02:00:00.000Z',
	account: 'zhangsan',
	doc: DOC,
	problem: 'p1',
	field: 'due',
	kind: 'changed',
	old: '2023-03-01',
	new: '2023-04-01',
	...over
});

/** Writes records through a second connection to the server's database, as the sync path would. */
function writeRecords(server: TestServer, records: AuditRecord[]): void {
	const db = new Database(server.dbPath);
	try {
		const audit = new AuditLog(db);
		db.transaction(() => audit.record(records))();
	} finally {
		db.close();
	}
}

describe('AuditLog', () => {
	let dir: string;
	let db: Db;
	let audit: AuditLog;
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qingdan-audit-'));
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	const fresh = () => {
		db?.close();
		db = openDatabase(fs.mkdtempSync(path.join(dir, 'db-')));
		audit = new AuditLog(db);
	};
	const at = (ms: number) => new Date(Date.parse('2023-03-01T02:00:00.000Z') + ms).toISOString();
	const edit = (ms: number, old: string | null, next: string, over: Partial<AuditRecord> = {}) =>
		record({ at: at(ms), field: 'description', kind: 'edited', old, new: next, ...over });

	it('keeps one record for typing: consecutive edits by one account within ten minutes', () => {
		fresh();
		audit.record([edit(0, null, '职')]);
		audit.record([edit(1000, '职', '职工')]);
		audit.record([edit(2000, '职工', '职工书屋')]);
		const rows = audit.forProblem(DOC, 'p1');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ old: null, new: '职工书屋', at: at(2000), kind: 'edited' });
	});

	it('starts a new record after a pause, for another account, field, or an edit in between', () => {
		fresh();
		audit.record([edit(0, null, 'a')]);
		audit.record([edit(COALESCE_MS + 1, 'a', 'ab')]);
		audit.record([edit(COALESCE_MS + 2, 'ab', 'abc', { account: 'lisi' })]);
		audit.record([edit(COALESCE_MS + 3, null, 'T', { field: 'title' })]);
		audit.record([record({ at: at(COALESCE_MS + 4) })]);
		audit.record([edit(COALESCE_MS + 5, 'abc', 'abcd', { account: 'lisi' })]);
		const rows = audit.forProblem(DOC, 'p1');
		expect(rows.map((r) => [r.account, r.field, r.old, r.new])).toEqual([
			['lisi', 'description', 'abc', 'abcd'],
			['zhangsan', 'due', '2023-03-01', '2023-04-01'],
			['zhangsan', 'title', null, 'T'],
			['lisi', 'description', 'ab', 'abc'],
			['zhangsan', 'description', 'a', 'ab'],
			['zhangsan', 'description', null, 'a']
		]);
	});

	it('does not merge edits of two different measures (one does not continue the other)', () => {
		fresh();
		audit.record([edit(0, '走访', '走访企业', { field: 'measures' })]);
		audit.record([edit(1000, '募集', '募集图书', { field: 'measures' })]);
		expect(audit.forProblem(DOC, 'p1')).toHaveLength(2);
	});

	it('answers a period by time, oldest first, and keeps problems and docs apart', () => {
		fresh();
		audit.record([
			record({ at: '2023-02-28T15:59:59.999Z', problem: 'p1' }),
			record({ at: '2023-02-28T16:00:00.000Z', problem: 'p2' }),
			record({ at: '2023-03-01T15:59:59.999Z', problem: 'p1', doc: OTHER_DOC }),
			record({ at: '2023-03-01T16:00:00.000Z', problem: 'p1' })
		]);
		const period = [...audit.between('2023-02-28T16:00:00.000Z', '2023-03-01T16:00:00.000Z')];
		expect(period.map((r) => r.at)).toEqual([
			'2023-02-28T16:00:00.000Z',
			'2023-03-01T15:59:59.999Z'
		]);
		expect(audit.forProblem(DOC, 'p1')).toHaveLength(2);
		expect(audit.forProblem(OTHER_DOC, 'p1')).toHaveLength(1);
		db.close();
	});
});

describe('history and audit export API', () => {
	let server: TestServer;
	let admin: string;
	let county: string;
	let viewer: string;

	beforeAll(async () => {
		server = await TestServer.start();
		admin = await server.adminCookie();
		county = await server.createUser({
			username: 'zhangsan',
			password: 'county-password',
			role: 'county',
			county: 'qinglong',
			displayName: '张三'
		});
		viewer = await server.createUser({
			username: 'viewer1',
			password: 'viewer-password',
			role: 'viewer',
			displayName: '观察员'
		});
		writeRecords(server, [
			record({ at: '2023-02-28T15:59:59.000Z', kind: 'created', field: '', old: null, new: '旧' }),
			record({ at: '2023-03-01T02:00:00.000Z' }),
			record({
				at: '2023-03-02T03:04:05.000Z',
				account: 'gone',
				field: 'tier',
				old: 'unsorted',
				new: 'party-gov'
			}),
			record({
				at: '2023-03-02T04:00:00.000Z',
				field: 'log',
				kind: 'added',
				old: null,
				new: '=HYPERLINK("http://x")'
			}),
			record({ at: '2023-03-02T05:00:00.000Z', problem: 'p2', field: 'owner', new: '区总工会' }),
			record({ at: '2023-03-05T16:00:00.000Z', field: 'status', old: 'open', new: 'closed' })
		]);
	});
	afterAll(() => server?.dispose());

	const history = (cookie: string | undefined, query = `doc=${DOC}&problem=p1`) =>
		server.api('GET', `/api/history?${query}`, undefined, cookie);

	it("answers a problem's history newest first, with each account's current name", async () => {
		const response = await history(county);
		expect(response.status).toBe(200);
		expect(response.body.entries.map((e: { at: string }) => e.at)).toEqual([
			'2023-03-05T16:00:00.000Z',
			'2023-03-02T04:00:00.000Z',
			'2023-03-02T03:04:05.000Z',
			'2023-03-01T02:00:00.000Z',
			'2023-02-28T15:59:59.000Z'
		]);
		expect(response.body.entries[3]).toEqual({
			at: '2023-03-01T02:00:00.000Z',
			account: 'zhangsan',
			name: '张三',
			field: 'due',
			kind: 'changed',
			old: '2023-03-01',
			new: '2023-04-01'
		});
		// An account that no longer exists is shown by its username.
		expect(response.body.entries[2]).toMatchObject({ account: 'gone', name: 'gone' });
	});

	it('shows the new display name after an account is renamed', async () => {
		const renamed = await server.api(
			'PATCH',
			'/api/users/zhangsan',
			{ displayName: '张三丰' },
			admin
		);
		expect(renamed.status).toBe(200);
		const response = await history(viewer);
		expect(response.body.entries[3]).toMatchObject({ account: 'zhangsan', name: '张三丰' });
	});

	it('lets every reader see any board: a county user for another county, a viewer', async () => {
		expect((await history(county)).status).toBe(200);
		expect((await history(viewer)).status).toBe(200);
		expect((await history(admin)).status).toBe(200);
	});

	it('refuses without a session, for unknown docs and without a problem id', async () => {
		expect((await history(undefined)).status).toBe(401);
		expect((await history(county, 'doc=county.2022.nowhere&problem=p1')).status).toBe(404);
		expect((await history(county, 'doc=../etc&problem=p1')).status).toBe(404);
		expect((await history(county, `doc=${DOC}`)).status).toBe(400);
		expect((await history(county, `doc=${DOC}&problem=${'x'.repeat(201)}`)).status).toBe(400);
		const none = await history(county, `doc=${DOC}&problem=unknown`);
		expect(none.status).toBe(200);
		expect(none.body.entries).toEqual([]);
	});

	const csv = (cookie: string | undefined, query: string) =>
		fetch(`${server.url}/api/audit.csv?${query}`, { headers: cookie ? { cookie } : {} });

	it('exports a period (Shanghai days, inclusive) as CSV an office program opens', async () => {
		const response = await csv(admin, 'from=2023-03-01&to=2023-03-05');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toContain(
			'audit-2023-03-01-2023-03-05.csv'
		);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = new TextDecoder()
			.decode(bytes)
			.replace(/^\uFEFF/, '')
			.split('\r\n');
		expect(lines).toEqual([
			'时间,账号,姓名,文档,问题ID,字段,变更,原值,新值',
			// 2023-02-28T15:59:59Z is 23:59:59 on the 28th in Shanghai: outside. 02:00Z is 10:00.
			`2023-03-01 10:00:00,zhangsan,张三丰,${DOC},p1,截止日期,修改,2023-03-01,2023-04-01`,
			`2023-03-02 11:04:05,gone,gone,${DOC},p1,层级,修改,待分类,党委政府协调`,
			// A note that starts like a formula is written as text.
			`2023-03-02 12:00:00,zhangsan,张三丰,${DOC},p1,进展情况,添加,,"'=HYPERLINK(""http://x"")"`,
			`2023-03-02 13:00:00,zhangsan,张三丰,${DOC},p2,牵头单位,修改,2023-03-01,区总工会`,
			// 16:00Z on the 5th is midnight of the 6th in Shanghai: outside.
			''
		]);
		const all = await csv(admin, 'from=0001-01-01&to=9999-12-31');
		expect((await all.text()).trimEnd().split('\r\n')).toHaveLength(7);
		const day = await csv(admin, 'from=2023-03-06&to=2023-03-06');
		expect((await day.text()).split('\r\n')[1]).toContain('2023-03-06 00:00:00');
	});

	it('is for administrators only', async () => {
		expect((await csv(undefined, 'from=2023-03-01&to=2023-03-05')).status).toBe(401);
		expect((await csv(county, 'from=2023-03-01&to=2023-03-05')).status).toBe(403);
		expect((await csv(viewer, 'from=2023-03-01&to=2023-03-05')).status).toBe(403);
	});

	it('refuses dates that are not days, and a period that ends before it starts', async () => {
		for (const query of [
			'from=2023-03-01',
			'from=2023-02-30&to=2023-03-05',
			'from=2023-3-1&to=2023-03-05',
			'from=2023-03-01T00:00&to=2023-03-05',
			'from=2023-03-05&to=2023-03-01'
		]) {
			const response = await csv(admin, query);
			expect(response.status, query).toBe(400);
			const { code } = await response.json();
			expect(code, query).toBe(
				query === 'from=2023-03-05&to=2023-03-01' ? 'date_order' : 'date_invalid'
			);
		}
	});
});
