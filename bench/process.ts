import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** How much of a child's output is kept for error messages. */
const KEPT_OUTPUT = 64 * 1024;

export interface ChildOptions {
	args: string[];
	env: Record<string, string>;
	/** Resolves with the regex match once a line of stdout matches. */
	ready: RegExp;
	what: string;
	timeoutMs?: number;
}

/**
 * A server child process. Its output is always drained (a Node child writing to a full pipe
 * blocks), counted (so file writes can be told apart from log writes in /proc/<pid>/io) and its
 * tail kept for error messages.
 */
export class ChildServer {
	readonly #child: ChildProcess;
	readonly #exit: Promise<number | null>;
	readonly what: string;
	#output = '';
	/** How many characters of output were dropped from the front of `#output`. */
	#dropped = 0;
	#onOutput: (() => void)[] = [];
	outputBytes = 0;

	private constructor(child: ChildProcess, what: string) {
		this.#child = child;
		this.what = what;
		this.#exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
		const keep = (chunk: Buffer) => {
			this.outputBytes += chunk.byteLength;
			this.#output += chunk.toString();
			if (this.#output.length > KEPT_OUTPUT) {
				this.#dropped += this.#output.length - KEPT_OUTPUT / 2;
				this.#output = this.#output.slice(-KEPT_OUTPUT / 2);
			}
			for (const wake of this.#onOutput) wake();
		};
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
	}

	static async start(
		options: ChildOptions
	): Promise<{ child: ChildServer; match: RegExpMatchArray }> {
		const proc = spawn(process.execPath, options.args, {
			cwd: ROOT,
			env: { ...process.env, ...options.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const child = new ChildServer(proc, options.what);
		const exited = new Promise<never>((_, reject) =>
			proc.once('exit', (code) =>
				reject(new Error(`${options.what} exited with ${code}:\n${child.output}`))
			)
		);
		exited.catch(() => {});
		const match = await Promise.race([
			child.waitForOutput(options.ready, options.timeoutMs ?? 30_000),
			exited
		]);
		return { child, match };
	}

	get pid(): number {
		return this.#child.pid!;
	}

	get output(): string {
		return this.#output;
	}

	/** A position in the output, for `waitForOutput(…, since)`. */
	mark(): number {
		return this.#dropped + this.#output.length;
	}

	/**
	 * Resolves with the first match of `pattern` in the output (stdout and stderr), looking only
	 * at what came after `since` (a `mark()`).
	 */
	waitForOutput(pattern: RegExp, timeoutMs = 10_000, since = 0): Promise<RegExpMatchArray> {
		return new Promise((resolve, reject) => {
			const check = () => {
				const match = pattern.exec(this.#output.slice(Math.max(0, since - this.#dropped)));
				if (!match) return;
				done();
				resolve(match);
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error(`${this.what}: no ${pattern} in its output:\n${this.#output}`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				this.#onOutput = this.#onOutput.filter((wake) => wake !== check);
			};
			this.#onOutput.push(check);
			check();
		});
	}

	/** `wchar` of /proc/<pid>/io: every byte the process passed to write-like system calls. */
	writtenChars(): number {
		const io = fs.readFileSync(`/proc/${this.pid}/io`, 'utf8');
		const match = /^wchar:\s*(\d+)$/m.exec(io);
		if (!match) throw new Error(`no wchar in /proc/${this.pid}/io`);
		return Number(match[1]);
	}

	/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
	async stop(graceMs = 10_000): Promise<void> {
		if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
		this.#child.kill('SIGTERM');
		const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
		await this.#exit;
		clearTimeout(timer);
	}
}

/** A port that was free a moment ago (for servers that cannot be told to pick their own). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}
