import type { Focus, Goal } from '../../src/lib/domain/model.ts';
import { STATUS_LABELS, TIER_LABELS } from '../../src/lib/domain/ledger-sheet.ts';
import { toCsv, type Cell } from '../../src/lib/domain/spreadsheet.ts';
import type { AuditEntry } from './audit-log.ts';
import type { ChangeKind } from './diff.ts';

/** The audit export's columns; times as in Shanghai. */
export const AUDIT_CSV_HEADER = [
	'时间',
	'账号',
	'姓名',
	'文档',
	'问题ID',
	'字段',
	'变更',
	'原值',
	'新值'
] as const;

const FIELD_LABELS = new Map<string, string>([
	['', '问题'],
	['title', '标题'],
	['description', '问题描述'],
	['tier', '层级'],
	['status', '状态'],
	['focus', '调研重点'],
	['goal', '工作目标'],
	['measures', '具体举措'],
	['owner', '牵头单位'],
	['coOwners', '协办单位'],
	['assignee', '责任人'],
	['assigneePhone', '责任人电话'],
	['leader', '联系领导'],
	['due', '截止日期'],
	['visit', '来源走访'],
	['reportedTo', '通报对象'],
	['reportedOn', '通报日期'],
	['onAgenda', '纳入党委议事日程'],
	['coordinators', '协调部门'],
	['staff', '人力（人）'],
	['funds', '财力（元）'],
	['materials', '物力'],
	['resolution', '解决情况'],
	['evidence', '佐证材料'],
	['closure', '核验销号'],
	['reopenCount', '回潮次数'],
	['log', '进展情况'],
	['guidance', '指导督促'],
	['reason', '理由']
]);

const KIND_LABELS: Record<ChangeKind, string> = {
	created: '创建',
	deleted: '删除',
	restored: '恢复',
	changed: '修改',
	added: '添加',
	removed: '移除',
	ticked: '勾选',
	unticked: '取消勾选',
	edited: '编辑'
};

const FOCUS_LABELS: Record<Focus, string> = {
	'industrial-workers': '产业工人队伍建设改革',
	'new-employment': '新就业形态劳动者建会入会和维权服务',
	organization: '健全完善工会组织体系',
	'quality-of-life': '提高职工生活品质',
	'labour-security': '维护劳动领域政治安全',
	other: '其他'
};

const GOAL_LABELS: Record<Goal, string> = {
	political: '政治引领强',
	organizational: '组织功能强',
	service: '服务阵地强',
	institutional: '制度机制强',
	effectiveness: '作用发挥强'
};

/** A stored value as a person reads it: choices by their Chinese names, yes/no as 是/否. */
function valueText(field: string, value: string | null): string {
	if (value === null) return '';
	const labels: Record<string, string> | undefined =
		field === 'tier'
			? TIER_LABELS
			: field === 'status'
				? STATUS_LABELS
				: field === 'focus'
					? FOCUS_LABELS
					: field === 'goal'
						? GOAL_LABELS
						: field === 'onAgenda'
							? { true: '是', false: '否' }
							: undefined;
	if (labels && Object.hasOwn(labels, value)) return labels[value]!;
	return value;
}

/** `2023-04-01T02:03:04.000Z` → `2023-04-01 10:03:04` (Shanghai has no daylight saving). */
export function shanghaiTime(iso: string): string {
	const time = Date.parse(iso);
	if (Number.isNaN(time)) return iso;
	return new Date(time + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The CSV (UTF-8 with BOM, every text cell neutralized against formulas) of some records. */
export function auditCsv(
	entries: Iterable<AuditEntry>,
	nameOf: (account: string) => string
): string {
	const rows: Cell[][] = [[...AUDIT_CSV_HEADER]];
	for (const e of entries) {
		rows.push([
			shanghaiTime(e.at),
			e.account,
			nameOf(e.account),
			e.doc,
			e.problem ?? '',
			FIELD_LABELS.get(e.field) ?? e.field,
			KIND_LABELS[e.kind] ?? e.kind,
			valueText(e.field, e.old),
			valueText(e.field, e.new)
		]);
	}
	return toCsv(rows);
}
