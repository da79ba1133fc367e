// Interface text comes from messages/{zh-CN,en}.json, compiled by paraglide into message
// functions (src/lib/paraglide, generated). Components call `t(key, params)`; the locale is a rune
// here, so switching language re-renders every message without a reload.
import { m } from '$lib/paraglide/messages.js';
import {
	baseLocale,
	getLocale,
	isLocale,
	setLocale as rememberLocale,
	type Locale
} from '$lib/paraglide/runtime.js';
import * as format from './format';

export type { Locale };
export type MessageKey = keyof typeof m;
type Params = Record<string, string | number>;
type Message = (inputs: Params, options: { locale: Locale }) => string;

export { TIME_ZONE, todayInShanghai } from './format';

function initialLocale(): Locale {
	if (typeof window === 'undefined') return baseLocale;
	try {
		// paraglide's strategy: the choice remembered in this browser, else Chinese.
		const remembered = getLocale();
		return isLocale(remembered) ? remembered : baseLocale;
	} catch {
		// Storage blocked: Chinese.
		return baseLocale;
	}
}

let current = $state<Locale>(initialLocale());

export function locale(): Locale {
	return current;
}

export function setLocale(next: Locale) {
	current = next;
	try {
		rememberLocale(next, { reload: false });
	} catch {
		// Not remembered, still switched.
	}
	document.documentElement.lang = next;
}

/** The message for `key` in the current locale, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Params = {}): string {
	return (m[key] as Message)(params, { locale: current });
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
	return format.formatNumber(current, value, options);
}

export function formatDate(date: string): string {
	return format.formatDate(current, date);
}

export function formatDateTime(iso: string): string {
	return format.formatDateTime(current, iso);
}

/** “2026年12月7日 16:31”: a moment as a document states it. */
export function formatLongDateTime(iso: string): string {
	return format.formatLongDateTime(current, iso);
}

/** “3 分钟前” / “3 minutes ago”. */
export function formatRelativeTime(iso: string, now = Date.now()): string {
	return format.formatRelativeTime(current, iso, now);
}
