import readline from 'node:readline';

/** Reads a password: typed without echo on a terminal, else the first line of stdin. */
export function readPassword(prompt: string): Promise<string> {
	return process.stdin.isTTY ? readHidden(prompt) : readFirstLine();
}

function readFirstLine(): Promise<string> {
	return new Promise((resolve, reject) => {
		const lines = readline.createInterface({ input: process.stdin });
		let answered = false;
		lines.once('line', (line) => {
			answered = true;
			lines.close();
			resolve(line);
		});
		lines.once('close', () => {
			if (!answered) reject(new Error('no password on standard input'));
		});
	});
}

function readHidden(prompt: string): Promise<string> {
	const stdin = process.stdin;
	return new Promise((resolve, reject) => {
		let value = '';
		const finish = () => {
			stdin.off('data', onData);
			stdin.setRawMode(false);
			stdin.pause();
			process.stdout.write('\n');
		};
		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n') {
					finish();
					resolve(value);
					return;
				}
				if (char === '\u0003' || char === '\u0004') {
					finish();
					reject(new Error('cancelled'));
					return;
				}
				value =
					char === '\u007f' || char === '\b' ? [...value].slice(0, -1).join('') : value + char;
			}
		};
		process.stdout.write(prompt);
		stdin.setEncoding('utf8');
		stdin.setRawMode(true);
		stdin.resume();
		stdin.on('data', onData);
	});
}
