import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };

const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'qingdan.locale';
/** Dates and times are always shown as in Shanghai, wherever the device thinks it is. */
export const TIME_ZONE = 'Asia/Shanghai';

function initialLocale(): Locale {
	try {
		const stored = localStorage.getItem(STORAGE_KEY);
		if (stored === 'en' || stored === 'zh-CN') return stored;
	} catch {
		// No storage: fall back to Chinese.
	}
	return 'zh-CN';
}

let current = $state<Locale>(typeof localStorage === 'undefined' ? 'zh-CN' : initialLocale());

export function locale(): Locale {
	return current;
}

export function setLocale(next: Locale) {
	current = next;
	try {
		localStorage.setItem(STORAGE_KEY, next);
	} catch {
		// Not remembered, still switched.
	}
	document.documentElement.lang = next;
}

/** The message for `key` in the current locale, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
	const template = catalogs[current][key];
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (match, name: string) =>
		name in params ? String(params[name]) : match
	);
}

export function formatDate(date: string): string {
	if (!date) return '';
	const d = new Date(`${date}T12:00:00+08:00`);
	return new Intl.DateTimeFormat(current, {
		timeZone: TIME_ZONE,
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	}).format(d);
}

export function formatDateTime(iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	return new Intl.DateTimeFormat(current, {
		timeZone: TIME_ZONE,
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(d);
}

/** Today's date in Shanghai, `YYYY-MM-DD`. */
export function todayInShanghai(now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(now);
}
