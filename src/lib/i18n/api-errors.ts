import { ApiError } from '$lib/api';
import { apiErrorMessage } from '$lib/domain/error-codes';
import { t, type MessageKey } from './index.svelte';

/**
 * `error` in plain words in the interface language: the server's refusal by its code (see
 * `apiErrorMessage`), anything else as a plain-words message with its text.
 */
export function describeApiError(error: unknown): string {
	if (!(error instanceof ApiError)) {
		return t('apiError.unknown', {
			message: error instanceof Error ? error.message : String(error)
		});
	}
	const { key, params } = apiErrorMessage(error);
	// Every key apiErrorMessage can answer has a message in both languages (api-errors.test.ts).
	return t(key as MessageKey, params);
}
