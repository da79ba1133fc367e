import type { ReviewSection } from './reviews';
import { keyChanges, type CountyPeriodStats, type ReviewSnapshot } from './review-snapshot';
import { DUE_SOON_DAYS } from './stats';

/**
 * The first draft of a review's text, written from its numbers so that the campaign office
 * starts from facts and edits rather than from a blank page. Chinese, or English when the
 * interface is English.
 */

type Lang = 'zh' | 'en';

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** “2022年11月1日” in Chinese prose; the ISO date in English. */
function day(date: string, lang: Lang): string {
	if (lang === 'en' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
	const [y, m, d] = date.split('-').map(Number);
	return `${y}年${m}月${d}日`;
}

const listNames = (names: string[], lang: Lang) =>
	lang === 'zh' ? names.join('、') : names.join(', ');

function change(delta: number, lang: Lang): string {
	if (delta === 0) return lang === 'zh' ? '与上次持平' : 'same as last time';
	if (lang === 'zh') return delta > 0 ? `比上次增加 ${delta} 个` : `比上次减少 ${-delta} 个`;
	return delta > 0 ? `${delta} more than last time` : `${-delta} fewer than last time`;
}

function summary(s: ReviewSnapshot, title: string, lang: Lang): string {
	const t = s.total;
	const changes = keyChanges(s);
	if (lang === 'en') {
		const lines = [
			`${title}: from ${day(s.period.start, lang)} to ${day(s.period.end, lang)}, ${s.key.opened} problems were listed and ${s.key.closed} closed (verified); ${t.escalated} were escalated between tiers.`,
			`As of ${day(s.asOf, lang)} the lists hold ${t.total} problems: ${t.byTier['party-gov']} for Party & government coordination, ${t.byTier['union-system']} within the union system, ${t.byTier['county-self']} by the county unions, ${t.byTier.unsorted} not yet sorted; ${t.byStatus.closed} closed, a closure rate of ${percent(t.closureRate)}. ${s.key.overdueNotClosed} are past their deadline and not closed; ${t.dueSoon} fall due within ${DUE_SOON_DAYS} days.`,
			`Paired leaders made ${s.visits.length} research visits in the period${t.visitsRequired ? ` (${t.visitsDone} of ${t.visitsRequired} required visits done this campaign year)` : ''}.`
		];
		if (changes) {
			lines.push(
				`Compared with the previous review: new ${change(changes.opened, lang)}; closed ${change(changes.closed, lang)}; past deadline and not closed ${change(changes.overdueNotClosed, lang)}.`
			);
		}
		return lines.join('\n');
	}
	const lines = [
		`${title}：${day(s.period.start, lang)}至${day(s.period.end, lang)}，各县区共新增问题 ${s.key.opened} 个，办结销号 ${s.key.closed} 个，升级协调 ${t.escalated} 个。`,
		`截至${day(s.asOf, lang)}，问题清单共 ${t.total} 个：党委政府协调 ${t.byTier['party-gov']} 个、工会系统解决 ${t.byTier['union-system']} 个、县级工会自身解决 ${t.byTier['county-self']} 个、待分类 ${t.byTier.unsorted} 个；已销号 ${t.byStatus.closed} 个，销号率 ${percent(t.closureRate)}。超期未销号 ${s.key.overdueNotClosed} 个，${DUE_SOON_DAYS} 天内到期 ${t.dueSoon} 个。`,
		`本期联系领导开展调查研究 ${s.visits.length} 次${t.visitsRequired ? `（本年度已完成 ${t.visitsDone} 次，应完成 ${t.visitsRequired} 次）` : ''}。`
	];
	if (changes) {
		lines.push(
			`与上次相比：新增${change(changes.opened, lang)}，办结${change(changes.closed, lang)}，超期未销号${change(changes.overdueNotClosed, lang)}。`
		);
	}
	return lines.join('\n');
}

/**
 * The first `n` by `value`, highest first, with every other one tied with the last of them: a
 * list of "the most" never drops one that has as many as one it names.
 */
export function topWithTies<T>(items: readonly T[], value: (item: T) => number, n: number): T[] {
	const sorted = [...items].sort((a, b) => value(b) - value(a));
	const cutoff = sorted[n - 1];
	return cutoff === undefined ? sorted : sorted.filter((x) => value(x) >= value(cutoff));
}

/** What the tiers' own fields record, one line each, or none when nothing is recorded. */
function tierWorkLines(s: ReviewSnapshot, lang: Lang): string[] {
	const work = s.tierWork;
	if (!work) return [];
	const lines: string[] = [];
	if (lang === 'en') {
		const partyGov = [
			work.reported ? `${work.reported} reported to the local Party committee and government` : '',
			work.onAgenda ? `${work.onAgenda} on the Party committee's agenda` : ''
		].filter(Boolean);
		if (partyGov.length) {
			lines.push(`Of the problems for Party & government coordination, ${partyGov.join('; ')}.`);
		}
		if (work.resourced) {
			const amounts = [
				work.staff ? `${work.staff} people` : '',
				work.funds ? `${work.funds} yuan` : ''
			].filter(Boolean);
			lines.push(
				`The union system pushed people, money or resources down for ${work.resourced} problems${amounts.length ? ` (${amounts.join(', ')})` : ''}.`
			);
		}
		return lines;
	}
	const partyGov = [
		work.reported ? `${work.reported} 个已向地方党委政府通报` : '',
		work.onAgenda ? `${work.onAgenda} 个已纳入党委重要议事日程` : ''
	].filter(Boolean);
	if (partyGov.length) lines.push(`党委政府协调类问题中，${partyGov.join('，')}。`);
	if (work.resourced) {
		const amounts = [
			work.staff ? `人力 ${work.staff} 人` : '',
			work.funds ? `资金 ${work.funds} 元` : ''
		].filter(Boolean);
		lines.push(
			`工会系统解决类问题中，${work.resourced} 个已推动人力、财力、物力下沉${amounts.length ? `（${amounts.join('、')}）` : ''}。`
		);
	}
	return lines;
}

function progress(s: ReviewSnapshot, lang: Lang): string {
	const lines: string[] = [];
	const leading = topWithTies(
		s.counties.filter((c) => c.closed > 0),
		(c) => c.closed,
		3
	);
	if (lang === 'en') {
		if (s.key.closed) lines.push(`${s.key.closed} problems were verified and closed this period.`);
		if (leading.length) {
			lines.push(
				`Most closed: ${listNames(
					leading.map((c) => `${c.name} (${c.closed})`),
					lang
				)}.`
			);
		}
		lines.push(...tierWorkLines(s, lang));
		if (s.visits.length) lines.push(`${s.visits.length} research visits were made.`);
		return lines.join('\n');
	}
	if (s.key.closed) lines.push(`本期核验销号问题 ${s.key.closed} 个。`);
	if (leading.length) {
		lines.push(
			`办结较多的县区：${listNames(
				leading.map((c) => `${c.name}（${c.closed} 个）`),
				lang
			)}。`
		);
	}
	lines.push(...tierWorkLines(s, lang));
	if (s.visits.length) lines.push(`联系领导深入基层调查研究 ${s.visits.length} 次。`);
	return lines.join('\n');
}

const short = (c: CountyPeriodStats) => c.visitsRequired > 0 && c.visitsDone < c.visitsRequired;

function issues(s: ReviewSnapshot, lang: Lang): string {
	const lines: string[] = [];
	const overdue = s.counties.filter((c) => c.overdue > 0).sort((a, b) => b.overdue - a.overdue);
	const unsorted = s.total.byTier.unsorted;
	const lowRate = s.counties.filter((c) => c.total > 0 && c.closureRate < s.total.closureRate);
	const visits = s.counties.filter(short);
	if (lang === 'en') {
		if (overdue.length) {
			lines.push(
				`${s.key.overdueNotClosed} problems are past their deadline and not closed: ${listNames(
					overdue.map((c) => `${c.name} ${c.overdue}`),
					lang
				)}.`
			);
		}
		if (s.key.overdue) lines.push(`${s.key.overdue} deadlines in the period were missed.`);
		if (unsorted) lines.push(`${unsorted} problems have not been placed in a tier yet.`);
		if (lowRate.length) {
			lines.push(
				`Closure rate below the overall ${percent(s.total.closureRate)}: ${listNames(
					lowRate.map((c) => `${c.name} (${percent(c.closureRate)})`),
					lang
				)}.`
			);
		}
		if (visits.length) {
			lines.push(
				`Paired leaders' visits this year not yet complete: ${listNames(
					visits.map((c) => `${c.name} (${c.visitsDone} of ${c.visitsRequired})`),
					lang
				)}.`
			);
		}
		return lines.join('\n');
	}
	if (overdue.length) {
		lines.push(
			`超期未销号问题 ${s.key.overdueNotClosed} 个，分布在${listNames(
				overdue.map((c) => `${c.name} ${c.overdue} 个`),
				lang
			)}。`
		);
	}
	if (s.key.overdue) lines.push(`本期到期问题中有 ${s.key.overdue} 个未能按时办结。`);
	if (unsorted) lines.push(`仍有 ${unsorted} 个问题尚未明确解决层级。`);
	if (lowRate.length) {
		lines.push(
			`${listNames(
				lowRate.map((c) => `${c.name}（${percent(c.closureRate)}）`),
				lang
			)}销号率低于全市整体水平（${percent(s.total.closureRate)}）。`
		);
	}
	if (visits.length) {
		lines.push(
			`联系领导本年度走访尚未完成：${listNames(
				visits.map((c) => `${c.name}（已走访 ${c.visitsDone} 次，应走访 ${c.visitsRequired} 次）`),
				lang
			)}。`
		);
	}
	return lines.join('\n');
}

function nextSteps(s: ReviewSnapshot, lang: Lang): string {
	const lines: string[] = [];
	const open = s.total.open;
	if (lang === 'en') {
		if (s.key.overdueNotClosed)
			lines.push(
				`Chase the ${s.key.overdueNotClosed} overdue problems one by one with supervision sheets.`
			);
		if (s.total.dueSoon)
			lines.push(`Follow up the ${s.total.dueSoon} problems due within ${DUE_SOON_DAYS} days.`);
		if (s.total.byTier.unsorted) lines.push('Place the unsorted problems in a tier.');
		if (s.total.byStatus.resolved) {
			lines.push(`Verify the ${s.total.byStatus.resolved} resolved problems and close them.`);
		}
		if (open) lines.push(`Keep driving the ${open} open problems to verified closure.`);
		return lines.join('\n');
	}
	if (s.key.overdueNotClosed) {
		lines.push(`对 ${s.key.overdueNotClosed} 个超期未销号问题逐项下发督办单，明确时限、压实责任。`);
	}
	if (s.total.dueSoon)
		lines.push(`紧盯 ${DUE_SOON_DAYS} 天内到期的 ${s.total.dueSoon} 个问题，确保按期办结。`);
	if (s.total.byTier.unsorted) lines.push('尽快明确待分类问题的解决层级和责任人。');
	if (s.total.byStatus.resolved) {
		lines.push(`及时核验 ${s.total.byStatus.resolved} 个已解决问题，做好回访，按程序销号。`);
	}
	if (open) lines.push(`持续推动 ${open} 个未销号问题落地见效，做到件件有着落、事事有回音。`);
	return lines.join('\n');
}

/** The drafted text of every section of a review; `title` names it (e.g. its kind, 双月调度). */
export function draftReview(
	snapshot: ReviewSnapshot,
	title: string,
	locale: string
): Record<ReviewSection, string> {
	const lang: Lang = locale.startsWith('zh') ? 'zh' : 'en';
	return {
		summary: summary(snapshot, title, lang),
		progress: progress(snapshot, lang),
		issues: issues(snapshot, lang),
		nextSteps: nextSteps(snapshot, lang)
	};
}
