import { canRead, parseDocName } from '../../src/lib/domain/docs.ts';
import { DATE_PATTERN } from '../../src/lib/domain/problem.ts';
import { auditCsv } from '../audit/csv.ts';
import { log } from '../log.ts';
import { requireAdmin, requireSession, type ApiServices, type Route } from './context.ts';
import { HttpError, sendJson } from './json.ts';

/** The longest problem id the history answers for (ids are map keys other clients chose). */
const PROBLEM_ID_MAX = 200;
/** The last instant whose ISO string has a four-digit year. */
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** Each account's current display name, the username when the account is gone; one look-up each. */
function namesOf(services: ApiServices): (account: string) => string {
	const names = new Map<string, string>();
	return (account) => {
		let name = names.get(account);
		if (name === undefined) {
			name = services.users.get(account)?.displayName ?? account;
			names.set(account, name);
		}
		return name;
	};
}

/** `YYYY-MM-DD` that is a real day, as the instant its Shanghai midnight is. */
function shanghaiMidnight(url: URL, key: string): number {
	const text = url.searchParams.get(key) ?? '';
	const time = DATE_PATTERN.test(text) ? Date.parse(`${text}T00:00:00+08:00`) : NaN;
	// Date.parse rolls 2023-02-30 over to March; a real day reads back as itself.
	const real =
		!Number.isNaN(time) && new Date(time + 8 * 3600_000).toISOString().slice(0, 10) === text;
	if (!real) {
		throw new HttpError(
			400,
			'date_invalid',
			`"${key}" must be a date written as YYYY-MM-DD.`,
			{},
			{ field: key }
		);
	}
	return time;
}

/** A problem's server-attributed history, and the audit trail of a period as CSV. */
export const auditRoutes: Route[] = [
	{
		method: 'GET',
		pattern: /^\/api\/history$/,
		handler: ({ req, res, url }, services) => {
			const session = requireSession(req, services);
			const doc = url.searchParams.get('doc') ?? '';
			const ref = parseDocName(doc);
			if (!ref || !services.registry.exists(ref)) {
				throw new HttpError(404, 'doc_not_found', 'There is no such document.');
			}
			if (!canRead(session.user, ref)) {
				throw new HttpError(403, 'forbidden', 'You cannot read this document.');
			}
			const problem = url.searchParams.get('problem') ?? '';
			if (!problem || problem.length > PROBLEM_ID_MAX) {
				throw new HttpError(400, 'problem_invalid', '"problem" must be a problem id.');
			}
			const nameOf = namesOf(services);
			const entries = services.audit.forProblem(doc, problem).map((e) => ({
				at: e.at,
				account: e.account,
				name: nameOf(e.account),
				field: e.field,
				kind: e.kind,
				old: e.old,
				new: e.new
			}));
			sendJson(res, 200, { entries });
		}
	},
	{
		method: 'GET',
		pattern: /^\/api\/audit\.csv$/,
		handler: ({ req, res, url }, services) => {
			const session = requireAdmin(req, services);
			const from = shanghaiMidnight(url, 'from');
			const to = shanghaiMidnight(url, 'to');
			if (to < from) throw new HttpError(400, 'date_order', '"to" must not be before "from".');
			const fromText = url.searchParams.get('from')!;
			const toText = url.searchParams.get('to')!;
			// Read in one go: the connection cannot store updates while a read is open.
			// Past year 9999 an ISO string gains a sign ("+010000-…") and no longer sorts as text.
			const end = Math.min(to + 24 * 3600_000, LAST_INSTANT);
			const csv = auditCsv(
				services.audit.between(new Date(from).toISOString(), new Date(end).toISOString()),
				namesOf(services)
			);
			const body = Buffer.from(csv, 'utf8');
			res.writeHead(200, {
				'Content-Type': 'text/csv; charset=utf-8',
				'Content-Disposition': `attachment; filename="audit-${fromText}-${toText}.csv"`,
				'Content-Length': body.byteLength,
				'Cache-Control': 'no-store'
			});
			res.end(body);
			log('audit.exported', { user: session.user.username, from: fromText, to: toText });
		}
	}
];
