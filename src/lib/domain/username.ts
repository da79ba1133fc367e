/**
 * The username rule, the same on the server and in the forms that create accounts: 2–32
 * characters, lowercase letters, digits, ".", "_" or "-", starting with a letter or digit. A
 * username is what people type to sign in; the name others see is the display name (any script).
 */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export const isValidUsername = (username: unknown): username is string =>
	typeof username === 'string' && USERNAME_PATTERN.test(username);

export type UsernameFault = 'short' | 'long' | 'chinese' | 'uppercase' | 'characters' | 'start';

/** What is wrong with a username as typed, most telling first; null when it follows the rule. */
export function usernameFault(username: string): UsernameFault | null {
	if (USERNAME_PATTERN.test(username)) return null;
	if (/\p{Script=Han}/u.test(username)) return 'chinese';
	if (/[A-Z]/.test(username)) return 'uppercase';
	if (/[^a-z0-9._-]/.test(username)) return 'characters';
	if (!/^[a-z0-9]/.test(username)) return 'start';
	return username.length < 2 ? 'short' : 'long';
}

/** The server's refusal, in both languages (the API's messages are shown as they are). */
export const USERNAME_RULE_MESSAGE =
	'用户名需 2–32 个字符：小写英文字母、数字、“.”“_”或“-”，以字母或数字开头（如 zhangxin）；中文姓名请填在“姓名”里。' +
	'Usernames have 2–32 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. zhangxin); a name in Chinese goes in the display name.';
