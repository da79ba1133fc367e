import { errorText, log } from './log.ts';

/** The exit code after a bug escaped every handler (EX_SOFTWARE of sysexits.h). */
export const BUG_EXIT_CODE = 70;

/**
 * Once the server runs, an exception no handler caught (or a rejection nobody awaited) leaves
 * it in a state nobody can vouch for: a room half-updated, a lock held, a timer gone. The
 * process logs the bug and exits non-zero, and the service manager starts it afresh. Nothing
 * acknowledged is lost by this: a change is acknowledged only after SQLite committed it, and a
 * client re-sends whatever was not acknowledged when it reconnects.
 */
export function exitOnBug(beforeExit: () => void): void {
	let exiting = false;
	const fatal = (event: string) => (error: unknown) => {
		if (exiting) return;
		exiting = true;
		log(event, {
			error: errorText(error),
			stack: error instanceof Error ? (error.stack ?? null) : null,
			exit: BUG_EXIT_CODE
		});
		try {
			beforeExit();
		} catch (closing) {
			log('bug.exit_cleanup_failed', { error: errorText(closing) });
		}
		process.exit(BUG_EXIT_CODE);
	};
	process.on('uncaughtException', fatal('bug.uncaught'));
	process.on('unhandledRejection', fatal('bug.unhandled'));
}
