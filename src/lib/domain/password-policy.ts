/**
 * The password rule, the same on the server and in the forms that set passwords: at least
 * `MIN_PASSWORD_LENGTH` characters and not a common password. "Common" is judged by zxcvbn with
 * its list of common passwords: the password itself, or one a guesser finds as quickly (a common
 * password with a digit added, capitals, l33t or reversed), scores below `MIN_SCORE`. The
 * estimator and its dictionary (~1 MB) are imported on first use, so the browser loads them only
 * on the pages that set passwords. Existing passwords are not judged again: the rule applies
 * when a password is set.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn scores 0–4; 0 and 1 are guessed within about a million tries. */
const MIN_SCORE = 2;

export type PasswordFault = 'short' | 'long' | 'common';

/** The fault found without the dictionary (as a person types). */
export function passwordLengthFault(password: string): PasswordFault | null {
	const length = [...password].length;
	if (length < MIN_PASSWORD_LENGTH) return 'short';
	if (length > MAX_PASSWORD_LENGTH) return 'long';
	return null;
}

type Estimator = { checkAsync(password: string): Promise<{ score: number }> };
let estimator: Promise<Estimator> | null = null;

function loadEstimator(): Promise<Estimator> {
	estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
		([core, common]) =>
			new core.ZxcvbnFactory({
				dictionary: { ...common.dictionary },
				graphs: common.adjacencyGraphs
			})
	);
	return estimator;
}

/** What is wrong with a new password, or null when it follows the rule. */
export async function passwordFault(password: string): Promise<PasswordFault | null> {
	const fault = passwordLengthFault(password);
	if (fault) return fault;
	const { score } = await (await loadEstimator()).checkAsync(password);
	return score < MIN_SCORE ? 'common' : null;
}

/** The server's refusal, in both languages (the API's messages are shown as they are). */
export const PASSWORD_FAULT_MESSAGES: Record<PasswordFault, string> = {
	short: `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符。Passwords must have at least ${MIN_PASSWORD_LENGTH} characters.`,
	long: `密码最多 ${MAX_PASSWORD_LENGTH} 个字符。Passwords may have at most ${MAX_PASSWORD_LENGTH} characters.`,
	common:
		'这个密码太常见，容易被猜中，请换一个。This password is too common and easy to guess: choose another.'
};
