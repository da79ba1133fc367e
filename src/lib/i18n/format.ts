// Dates, times and numbers written for a locale. Dates are always as in Shanghai, wherever the
// device thinks it is.

export const TIME_ZONE = 'Asia/Shanghai';

/**
 * Formatters by locale and kind, made once: building an `Intl` formatter costs far more than
 * using one, and a board formats a date or two on every card it renders.
 */
const formatters = new Map<string, object>();
function cached<F extends object>(key: string, make: () => F): F {
	let formatter = formatters.get(key) as F | undefined;
	if (!formatter) {
		formatter = make();
		formatters.set(key, formatter);
	}
	return formatter;
}

export function formatNumber(
	locale: string,
	value: number,
	options?: Intl.NumberFormatOptions
): string {
	if (options) return new Intl.NumberFormat(locale, options).format(value);
	return cached(`number ${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

/** A calendar date, `YYYY-MM-DD`, as “2022年10月14日” / “Oct 14, 2022”. */
export function formatDate(locale: string, date: string): string {
	if (!date) return '';
	const d = new Date(`${date}T12:00:00+08:00`);
	const formatter = cached(
		`date ${locale}`,
		() =>
			new Intl.DateTimeFormat(locale, {
				timeZone: TIME_ZONE,
				year: 'numeric',
				month: 'short',
				day: 'numeric'
			})
	);
	return formatter.format(d);
}

export function formatDateTime(locale: string, iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const formatter = cached(
		`datetime ${locale}`,
		() =>
			new Intl.DateTimeFormat(locale, {
				timeZone: TIME_ZONE,
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: '2-digit',
				minute: '2-digit'
			})
	);
	return formatter.format(d);
}

/** A moment written out for a document: “2026年12月7日 16:31” / “December 7, 2026 at 16:31”. */
export function formatLongDateTime(locale: string, iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const formatter = cached(
		`long datetime ${locale}`,
		() =>
			new Intl.DateTimeFormat(locale, {
				timeZone: TIME_ZONE,
				dateStyle: 'long',
				timeStyle: 'short',
				hourCycle: 'h23'
			})
	);
	return formatter.format(d);
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60]
];

/** “3分钟前” / “3 minutes ago”: how long before (or after) `now` the moment `iso` is. */
export function formatRelativeTime(locale: string, iso: string, now = Date.now()): string {
	const at = new Date(iso).getTime();
	if (Number.isNaN(at)) return '';
	const seconds = Math.round((at - now) / 1000);
	const format = cached(
		`relative ${locale}`,
		() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
	);
	for (const [unit, size] of RELATIVE_UNITS) {
		if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
	}
	// Under a minute reads as “now” rather than a count of seconds.
	return format.format(0, 'second');
}

/** Today's date in Shanghai, `YYYY-MM-DD`. */
export function todayInShanghai(now = new Date()): string {
	return cached('today', () => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE })).format(
		now
	);
}
