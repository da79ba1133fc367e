/** A stable, readable colour for a person's avatar and cursor, from their username. */
export function colorFor(username: string): string {
	let hash = 0;
	for (const ch of username) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
	return `hsl(${hash % 360} 65% 42%)`;
}

/**
 * What an avatar shows: the given name of a Chinese name (the last character, or two in a large
 * avatar), else Latin initials.
 */
export function initialsOf(name: string, large = false): string {
	const trimmed = name.trim();
	if (!trimmed) return '?';
	if (/^[\u4e00-\u9fff]+$/.test(trimmed))
		return trimmed.slice(large && trimmed.length > 2 ? -2 : -1);
	return trimmed
		.split(/\s+/)
		.map((w) => w[0]!.toUpperCase())
		.slice(0, 2)
		.join('');
}
