import * as Y from 'yjs';
import {
	isFocus,
	isGoal,
	isStatus,
	isTier,
	type Focus,
	type Goal,
	type Status,
	type Tier
} from './model';
import { isId } from './docs';
import { compareOrdered, sanitizeOrderKey, type Ordered } from './order';

/** One concrete measure (具体举措) of a problem. */
export interface Measure {
	id: string;
	text: string;
	done: boolean;
}

/** One entry of a problem's append-only log: progress notes (进展) and history. */
export interface LogEntry {
	at: string;
	by: string;
	kind: string;
	text: string;
	/** A reason or note that goes with the change (escalation reason, result, follow-up…). */
	detail: string;
}

/** A stored file a card refers to (evidence photo, document); the bytes live on the server. */
export interface FileRef {
	sha256: string;
	name: string;
	type: string;
	size: number;
}

/** 已解决: what the county or assignee reports as the result, with evidence. */
export interface Resolution {
	note: string;
	at: string;
	by: string;
	evidence: FileRef[];
}

export const SATISFACTIONS = ['satisfied', 'basically', 'unsatisfied'] as const;
/** 回访满意度 */
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** 销号: verified by the city union, with a follow-up call to the workers (件件有回音). */
export interface Closure {
	verifier: string;
	verifiedOn: string;
	satisfaction: Satisfaction;
	followUp: string;
	by: string;
	at: string;
}

/** A problem (问题) as the UI reads it: a plain snapshot of its Y.Map, with foreign values made safe. */
export interface Problem {
	id: string;
	title: string;
	description: string;
	tier: Tier;
	status: Status;
	order: string;
	focus: Focus;
	goal: Goal | null;
	measures: Measure[];
	owner: string;
	coOwners: string[];
	assignee: string;
	leader: string;
	due: string;
	visit: string;
	/** 责任人电话 */
	assigneePhone: string;
	/** 党委政府协调: to whom and when it was reported (通报地方党委), on the agenda (纳入议事日程), coordinating bodies. */
	reportedTo: string;
	reportedOn: string;
	onAgenda: boolean;
	coordinators: string;
	/** 工会系统解决: people, money (yuan) and resources pushed down (人力、财力、物力). */
	staff: number | null;
	funds: number | null;
	materials: string;
	resolution: Resolution | null;
	closure: Closure | null;
	/** How often it came back after closure (回潮). */
	reopenCount: number;
	log: LogEntry[];
	createdAt: string;
	createdBy: string;
	updatedAt: string;
	/** Deleted problems are kept (and restorable); boards leave them out. */
	deleted: boolean;
	/** Brought over from an older campaign's board (来自 <campaign> 清单). */
	carriedFrom?: CarriedFrom;
}

/** Where a carried-over problem came from: the older campaign's board and problem. */
export interface CarriedFrom {
	campaign: string;
	county: string;
	problem: string;
}

export type ProblemMap = Y.Map<unknown>;

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function problemsOf(doc: Y.Doc): Y.Map<ProblemMap> {
	return doc.getMap<ProblemMap>('problems');
}

const str = (v: unknown, max = 10_000): string => (typeof v === 'string' ? v.slice(0, max) : '');

function readText(v: unknown): string {
	if (v instanceof Y.Text) return v.toString();
	return str(v);
}

function readMeasures(v: unknown): Measure[] {
	if (!(v instanceof Y.Array)) return [];
	const result: Measure[] = [];
	v.forEach((m: unknown) => {
		if (!(m instanceof Y.Map)) return;
		const id = str(m.get('id'));
		if (id) result.push({ id, text: str(m.get('text')), done: m.get('done') === true });
	});
	return result;
}

function readStrings(v: unknown): string[] {
	if (!(v instanceof Y.Array)) return [];
	return v.toArray().filter((s): s is string => typeof s === 'string');
}

function readLog(v: unknown): LogEntry[] {
	if (!(v instanceof Y.Array)) return [];
	const result: LogEntry[] = [];
	v.forEach((e: unknown) => {
		if (!(e instanceof Y.Map)) return;
		result.push({
			at: str(e.get('at')),
			by: str(e.get('by')),
			kind: str(e.get('kind')),
			text: str(e.get('text')),
			detail: str(e.get('detail'))
		});
	});
	return result;
}

const num = (v: unknown): number | null =>
	typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;

function readFileRefs(v: unknown): FileRef[] {
	if (!(v instanceof Y.Array)) return [];
	const result: FileRef[] = [];
	v.forEach((f: unknown) => {
		if (!(f instanceof Y.Map)) return;
		const sha256 = str(f.get('sha256'));
		if (!/^[0-9a-f]{64}$/.test(sha256)) return;
		result.push({
			sha256,
			name: str(f.get('name'), 200),
			type: str(f.get('type'), 100),
			size: num(f.get('size')) ?? 0
		});
	});
	return result;
}

function readResolution(v: unknown): Resolution | null {
	if (!(v instanceof Y.Map)) return null;
	return {
		note: str(v.get('note')),
		at: str(v.get('at')),
		by: str(v.get('by')),
		evidence: readFileRefs(v.get('evidence'))
	};
}

function readClosure(v: unknown): Closure | null {
	if (!(v instanceof Y.Map)) return null;
	const satisfaction = v.get('satisfaction');
	return {
		verifier: str(v.get('verifier'), 200),
		verifiedOn: str(v.get('verifiedOn'), 10),
		satisfaction: SATISFACTIONS.includes(satisfaction as Satisfaction)
			? (satisfaction as Satisfaction)
			: 'satisfied',
		followUp: str(v.get('followUp')),
		by: str(v.get('by')),
		at: str(v.get('at'))
	};
}

/** Reads a problem's `carriedFrom` link; null when absent or not well formed. */
export function readCarriedFrom(value: unknown): CarriedFrom | null {
	if (!(value instanceof Y.Map)) return null;
	const campaign = value.get('campaign');
	const county = value.get('county');
	const problem = value.get('problem');
	if (!isId(campaign) || !isId(county) || typeof problem !== 'string' || !problem) return null;
	return { campaign, county, problem: problem.slice(0, 100) };
}

/** Reads one problem's Y.Map. Values written by other (possibly newer or broken) clients are checked. */
export function readProblem(id: string, map: ProblemMap): Problem {
	const tier = map.get('tier');
	const status = map.get('status');
	const focus = map.get('focus');
	const goal = map.get('goal');
	const due = str(map.get('due'));
	const carriedFrom = readCarriedFrom(map.get('carriedFrom'));
	return {
		id,
		title: str(map.get('title'), 500),
		description: readText(map.get('description')),
		tier: isTier(tier) ? tier : 'unsorted',
		status: isStatus(status) ? status : 'open',
		order: sanitizeOrderKey(map.get('order')),
		focus: isFocus(focus) ? focus : 'other',
		goal: isGoal(goal) ? goal : null,
		measures: readMeasures(map.get('measures')),
		owner: str(map.get('owner'), 200),
		coOwners: readStrings(map.get('coOwners')),
		assignee: str(map.get('assignee'), 200),
		leader: str(map.get('leader'), 200),
		due: DATE_PATTERN.test(due) ? due : '',
		visit: str(map.get('visit'), 100),
		assigneePhone: str(map.get('assigneePhone'), 50),
		reportedTo: str(map.get('reportedTo'), 200),
		reportedOn: DATE_PATTERN.test(str(map.get('reportedOn'))) ? str(map.get('reportedOn')) : '',
		onAgenda: map.get('onAgenda') === true,
		coordinators: str(map.get('coordinators'), 500),
		staff: num(map.get('staff')),
		funds: num(map.get('funds')),
		materials: str(map.get('materials'), 500),
		resolution: readResolution(map.get('resolution')),
		closure: readClosure(map.get('closure')),
		reopenCount: num(map.get('reopenCount')) ?? 0,
		log: readLog(map.get('log')),
		createdAt: str(map.get('createdAt')),
		createdBy: str(map.get('createdBy')),
		updatedAt: str(map.get('updatedAt')),
		deleted: typeof map.get('deletedAt') === 'string',
		...(carriedFrom ? { carriedFrom } : {})
	};
}

/** Every problem of a county doc, read fresh. */
export function readProblems(doc: Y.Doc): Problem[] {
	const result: Problem[] = [];
	problemsOf(doc).forEach((map, id) => {
		if (map instanceof Y.Map) result.push(readProblem(id, map));
	});
	return result;
}

export type Columns = Record<Tier, Problem[]>;

/** Groups problems into the board's four columns, each sorted by its order key. */
export function toColumns(problems: Iterable<Problem>): Columns {
	const columns: Columns = { unsorted: [], 'party-gov': [], 'union-system': [], 'county-self': [] };
	for (const p of problems) if (!p.deleted) columns[p.tier].push(p);
	for (const list of Object.values(columns)) list.sort(compareOrdered);
	return columns;
}

export const measuresProgress = (p: Problem) => ({
	done: p.measures.filter((m) => m.done).length,
	total: p.measures.length
});

/** The sorted order of one column, reading only what ordering needs (cheap on big boards). */
export function columnOrder(doc: Y.Doc, tier: Tier): Ordered[] {
	const result: Ordered[] = [];
	problemsOf(doc).forEach((map, id) => {
		if (!(map instanceof Y.Map) || typeof map.get('deletedAt') === 'string') return;
		const t = map.get('tier');
		if ((isTier(t) ? t : 'unsorted') === tier) {
			result.push({ id, order: sanitizeOrderKey(map.get('order')) });
		}
	});
	return result.sort(compareOrdered);
}
