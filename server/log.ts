/** Values a log line may carry; never session tokens or passwords. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

function formatValue(value: string | number | boolean | null): string {
	const text = String(value);
	return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/**
 * Whether stdout can no longer be written (whoever read it went away: EPIPE). Without a listener
 * the write error becomes an uncaught exception, whose handler logs it, to stdout, which fails
 * again: a busy loop that kept an orphaned server at half a core for ever. The server goes on
 * serving; its log lines have nowhere to go.
 */
let stdoutGone = false;
process.stdout.on('error', () => {
	stdoutGone = true;
});

/**
 * Writes one line to stdout: `<ISO time> <message> key=value …`. Values with spaces, quotes or
 * `=` are JSON-quoted, so every line stays one line and splits cleanly on spaces.
 */
export function log(message: string, fields: LogFields = {}): void {
	if (stdoutGone) return;
	let line = `${new Date().toISOString()} ${message}`;
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
	}
	process.stdout.write(line + '\n');
}

/** The message of anything thrown, for a log field. */
export const errorText = (error: unknown): string =>
	error instanceof Error ? error.message : String(error);
