import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
	API_ERROR_CODES,
	apiErrorMessage,
	type ApiErrorParams
} from '../../src/lib/domain/error-codes';
import { SYNC_FILE_PROBLEMS } from '../../src/lib/domain/sync-file';

/** A refusal as the client's ApiError holds it. */
const refusal = (status: number, message: string, code = '', params: ApiErrorParams = {}) => ({
	status,
	message,
	code,
	params
});

function messages(locale: string): Record<string, unknown> {
	return JSON.parse(
		readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')
	);
}

const zhCN = messages('zh-CN');
const en = messages('en');
const han = /\p{Script=Han}/u;

describe('server errors in the interface language', () => {
	test('every code the server can send has a message in both languages', () => {
		const missing = API_ERROR_CODES.flatMap((code) =>
			[zhCN, en].filter((m) => typeof m[`apiError.${code}`] !== 'string').map(() => code)
		);
		expect(missing).toEqual([]);
		const problems = SYNC_FILE_PROBLEMS.filter(
			(problem) => ![zhCN, en].every((m) => typeof m[`syncFile.invalid.${problem}`] === 'string')
		);
		expect(problems).toEqual([]);
		// Each in its own language: the Chinese ones in Chinese, the English ones without it.
		for (const code of API_ERROR_CODES) {
			expect(zhCN[`apiError.${code}`], code).toMatch(han);
			expect(en[`apiError.${code}`], code).not.toMatch(han);
		}
	});

	test('a code is worded by its message, with the values the server sent', () => {
		const taken = refusal(409, 'The username "admin" is taken.', 'taken', {
			username: 'admin'
		});
		expect(apiErrorMessage(taken)).toEqual({
			key: 'apiError.taken',
			params: { username: 'admin' }
		});
		const tooLarge = refusal(413, 'Files may have at most 20971520 bytes.', 'too_large', {
			maxBytes: 20 * 1024 * 1024
		});
		expect(apiErrorMessage(tooLarge).params.max).toBe('20 MB');
	});

	test('a fault in a changes file is worded like the same fault found on the device', () => {
		const error = refusal(400, 'Attachment "a.png": …', 'bad_attachment', {
			problem: 'attachment-hash',
			doc: 'county.2022.haigang',
			attachment: 'a.png'
		});
		expect(apiErrorMessage(error).key).toBe('syncFile.invalid.attachment-hash');
		const unknownProblem = refusal(400, '…', 'bad_file', { problem: 'from-the-future' });
		expect(apiErrorMessage(unknownProblem).key).toBe('apiError.bad_file');
	});

	test('an unknown code or no code falls back to plain words with the server text', () => {
		for (const code of ['', 'invented_later']) {
			expect(apiErrorMessage(refusal(418, 'I am a teapot.', code))).toEqual({
				key: 'apiError.unknown',
				params: { message: 'I am a teapot.' }
			});
		}
		expect(apiErrorMessage(refusal(0, 'network')).key).toBe('error.network');
	});
});
