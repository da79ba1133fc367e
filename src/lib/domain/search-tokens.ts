/**
 * Tokens for the card index's search (ledger search that works offline across counties).
 *
 * The ledger's search is a substring search: every whitespace-separated word of the query must
 * occur in the lower-cased searchable text of a problem (`searchableText`). The index may only
 * narrow the candidates, never lose a match, so every token a query word asks for must be in the
 * text's tokens whenever the word occurs in the text:
 * - Chinese (and Japanese, Korean) is written without spaces: every single character and every
 *   pair of neighbouring characters is a token. A query's pairs are pairs of the text.
 * - Latin words and numbers: every run of three letters or digits inside a word (trigrams). A
 *   query word can start or end in the middle of a text word ("ork" finds "work"), so whole words
 *   or prefixes would miss matches; trigrams cannot. Parts shorter than three give no token and
 *   do not narrow (the substring check still applies to every candidate).
 */

const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

type Run = { ideographic: boolean; chars: string[] };

/** Splits text into runs of ideographic characters and runs of other letters and digits. */
function runsOf(text: string): Run[] {
	const runs: Run[] = [];
	let current: Run | null = null;
	for (const char of text) {
		const ideographic = IDEOGRAPHIC.test(char);
		if (!ideographic && !WORD.test(char)) {
			current = null;
			continue;
		}
		if (!current || current.ideographic !== ideographic) {
			current = { ideographic, chars: [] };
			runs.push(current);
		}
		current.chars.push(char);
	}
	return runs;
}

function addRunTokens(run: Run, tokens: Set<string>): void {
	const { chars } = run;
	if (run.ideographic) {
		for (let i = 0; i < chars.length; i++) {
			tokens.add(chars[i]!);
			if (i + 1 < chars.length) tokens.add(chars[i]! + chars[i + 1]!);
		}
	} else {
		for (let i = 0; i + 3 <= chars.length; i++) tokens.add(chars.slice(i, i + 3).join(''));
	}
}

/** The tokens a problem is indexed under; `text` is its `searchableText` (already lower-cased). */
export function indexTokens(text: string): string[] {
	const tokens = new Set<string>();
	for (const run of runsOf(text)) addRunTokens(run, tokens);
	return [...tokens];
}

/**
 * The tokens every match of the query must have (all of them), or an empty list when the query
 * gives none to narrow by (empty, or only short Latin parts).
 */
export function queryTokens(query: string): string[] {
	const tokens = new Set<string>();
	for (const word of query.toLowerCase().split(/\s+/).filter(Boolean)) {
		for (const run of runsOf(word)) addRunTokens(run, tokens);
	}
	return [...tokens];
}
