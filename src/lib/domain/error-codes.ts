import { SYNC_FILE_PROBLEMS } from './sync-file';

/**
 * Every `code` the HTTP API answers an error with (`{"error": <plain English>, "code", "params"?}`),
 * one list for the server that sends them and the client that words them in the interface
 * language (messages/*.json: `apiError.<code>`). A code names one situation and keeps its
 * meaning; `params` carries the values its message needs.
 */
export const API_ERROR_CODES = [
	// Any request
	'bad_json',
	'too_large',
	'cross_origin',
	'not_found',
	'method_not_allowed',
	'wrong_host',
	'internal',
	'storage_unavailable',
	'unavailable',
	'storage_failed',
	// Signing in and first start
	'unauthorized',
	'forbidden',
	'credentials_missing',
	'bad_credentials',
	'throttled',
	'setup_done',
	// Accounts
	'field_not_text',
	'username_invalid',
	'taken',
	'role_invalid',
	'password_short',
	'password_long',
	'password_common',
	'display_name_invalid',
	'display_name_too_long',
	'county_not_allowed',
	'county_required',
	'county_unknown',
	'user_not_found',
	'last_admin',
	// Documents, attachments, history
	'doc_not_found',
	'file_not_found',
	'unsupported_type',
	'hash_mismatch',
	'problem_invalid',
	'date_invalid',
	'date_order',
	// Changes files (.qdsync)
	'bad_file',
	'bad_attachment',
	'unknown_doc',
	'doc_forbidden',
	'bad_update',
	'forbidden_change',
	'incomplete_changes',
	// Campaigns (活动管理)
	'campaign_id_invalid',
	'campaign_name_invalid',
	'campaign_date_invalid',
	'campaign_period_order',
	'campaign_carry_needs_source',
	'campaign_taken',
	'campaign_source_unknown',
	'campaign_not_found',
	'archived_invalid',
	'campaign_archived',
	// Backups
	'damaged',
	'not_fresh',
	'bad_backup'
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Values a message may name, e.g. `{ username }` for `taken`, `{ maxBytes }` for `too_large`. */
export type ApiErrorParams = Record<string, string | number>;

const KNOWN = new Set<string>(API_ERROR_CODES);

export const isApiErrorCode = (code: unknown): code is ApiErrorCode =>
	typeof code === 'string' && KNOWN.has(code);

/** A refusal as the client received it (the server's English text, its code and params). */
export interface ApiRefusal {
	status: number;
	message: string;
	code: string;
	params: ApiErrorParams;
}

const SYNC_FILE_FAULTS = new Set<string>(SYNC_FILE_PROBLEMS);

/** Sizes as people read them: “64 KB”, “20 MB” (the same in both languages). */
function readableSize(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
	return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Which interface message words a refusal, and with what: `apiError.<code>` for every code the
 * server sends (a changes file's fault by its own `syncFile.invalid.<problem>`, as when the device
 * reads the file), `error.network` when the server was not reached, and for a code this app does
 * not know `apiError.unknown` with the server's text.
 */
export function apiErrorMessage(refusal: ApiRefusal): { key: string; params: ApiErrorParams } {
	if (refusal.status === 0) return { key: 'error.network', params: {} };
	if (!isApiErrorCode(refusal.code)) {
		return { key: 'apiError.unknown', params: { message: refusal.message } };
	}
	const params: ApiErrorParams = { ...refusal.params };
	if (typeof params.maxBytes === 'number') params.max = readableSize(params.maxBytes);
	if (
		(refusal.code === 'bad_file' || refusal.code === 'bad_attachment') &&
		SYNC_FILE_FAULTS.has(String(params.problem))
	) {
		return { key: `syncFile.invalid.${params.problem}`, params };
	}
	return { key: `apiError.${refusal.code}`, params };
}
