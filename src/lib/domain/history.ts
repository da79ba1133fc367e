import type { LogEntry } from './problem';

/** One change the server recorded, as `GET /api/history` answers it. */
export interface ServerChange {
	at: string;
	account: string;
	/** The account's current display name (its username when the account is gone). */
	name: string;
	field: string;
	kind: string;
	old: string | null;
	new: string | null;
}

/**
 * One line of a problem's history: a change the server attributed, or an entry of the problem's
 * own log (written by a client: older than the server's record, or a note not yet synced).
 */
export type HistoryItem =
	| { source: 'server'; at: string; change: ServerChange }
	| { source: 'local'; at: string; entry: LogEntry; pending: boolean };

/** Log kinds that hold a person's words; the server records them as `field` with kind 'added'. */
const NOTE_FIELDS: Record<string, string> = { note: 'log', guidance: 'guidance' };

/** True when the server's (possibly clipped, ending in …) text is this note's text. */
function sameText(recorded: string | null, text: string): boolean {
	if (recorded === null) return false;
	return recorded === text || (recorded.endsWith('…') && text.startsWith(recorded.slice(0, -1)));
}

/**
 * The server's record, newest first, with what only this device knows: the log from before the
 * server kept a record of the problem, and notes the server has not seen yet (pending). Notes are
 * matched to recorded ones by text, each recorded note standing for one log entry.
 */
export function mergeHistory(
	server: readonly ServerChange[],
	log: readonly LogEntry[]
): HistoryItem[] {
	const items: HistoryItem[] = server.map((change) => ({
		source: 'server',
		at: change.at,
		change
	}));
	// A record that holds the problem's creation is complete; else the problem is older than the
	// record, and the log tells what came before it.
	const complete = server.some((c) => c.field === '' && c.kind === 'created');
	const earliest = complete
		? ''
		: server.reduce<string | null>((min, c) => (min === null || c.at < min ? c.at : min), null);
	const recordedNotes = server.filter((c) => c.kind === 'added');
	for (const entry of log) {
		if (earliest === null || entry.at < earliest) {
			items.push({ source: 'local', at: entry.at, entry, pending: false });
			continue;
		}
		const field = Object.hasOwn(NOTE_FIELDS, entry.kind) ? NOTE_FIELDS[entry.kind] : undefined;
		if (!field) continue;
		const index = recordedNotes.findIndex((c) => c.field === field && sameText(c.new, entry.text));
		if (index >= 0) recordedNotes.splice(index, 1);
		else items.push({ source: 'local', at: entry.at, entry, pending: true });
	}
	return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
