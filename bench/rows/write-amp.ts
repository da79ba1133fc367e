import * as Y from 'yjs';
import { MESSAGE_ACK, syncAndPush, SyncClient } from '../clients.ts';
import { Editor, type CountyFixture } from '../fixtures.ts';
import { sleep } from '../rounds.ts';
import { prepareOurData, startServer, type BenchServer } from '../servers.ts';

export interface WriteAmpOptions {
	/** Edits in the paced run (20,000 in the full run). */
	edits: number;
	/** Edits per second in the paced run. */
	rate: number;
	/** Edits in the one-at-a-time run (each waits for the previous one's acknowledgement). */
	sequentialEdits: number;
	log?: (line: string) => void;
}

export interface WriteAmpCase {
	label: string;
	edits: number;
	updateBytes: number;
	fileBytes: number;
	amplification: number;
}

export interface WriteAmpResult {
	paced: WriteAmpCase;
	sequential: WriteAmpCase;
}

const DOC = 'county.2022.beidaihe';

/**
 * Row 5: bytes our server writes to its SQLite files (database and WAL, compaction and
 * checkpoints included) per byte of Yjs update it receives. Measured from the outside: `wchar`
 * of /proc/<pid>/io (every byte passed to write(2)/pwrite(2)) minus what went to its stdout
 * and stderr and to its sockets, so only file writes remain.
 */
export async function runWriteAmp(
	fixture: CountyFixture,
	options: WriteAmpOptions
): Promise<WriteAmpResult> {
	const dataDir = await prepareOurData(new Map([[DOC, { snapshot: fixture.update }]]));
	const server = await startServer('ours', { dataDir });
	try {
		const paced = await measure(
			server,
			fixture,
			`paced, ${options.rate} edits/s`,
			(client, editor) => sendPaced(client, editor, options.edits, options.rate)
		);
		options.log?.(`write amplification paced: ${paced.amplification.toFixed(2)}×`);
		const sequential = await measure(server, fixture, 'one at a time', (client, editor) =>
			sendSequential(client, editor, options.sequentialEdits)
		);
		options.log?.(`write amplification one at a time: ${sequential.amplification.toFixed(2)}×`);
		return { paced, sequential };
	} finally {
		await server.stop();
	}
}

type Sender = (client: SyncClient, editor: Editor) => Promise<{ edits: number; bytes: number }>;

async function measure(
	server: BenchServer,
	fixture: CountyFixture,
	label: string,
	send: Sender
): Promise<WriteAmpCase> {
	const editor = new Editor(fixture, 'writer');
	const client = await SyncClient.open(server.target(DOC), editor.doc);
	try {
		await syncAndPush(client);
		// Opting in to acknowledgements tells us when everything sent is committed.
		client.sendRaw(new Uint8Array([MESSAGE_ACK]));
		await sleep(200);
		const wcharBefore = server.process.writtenChars();
		const outputBefore = server.process.outputBytes;
		const socketBefore = socketBytes(client);
		const { edits, bytes } = await send(client, editor);
		await sleep(300);
		const written = server.process.writtenChars() - wcharBefore;
		const logs = server.process.outputBytes - outputBefore;
		const sockets = socketBytes(client) - socketBefore;
		const fileBytes = written - logs - sockets;
		return { label, edits, updateBytes: bytes, fileBytes, amplification: fileBytes / bytes };
	} finally {
		await client.close();
		editor.destroy();
	}
}

/** What the server wrote to this client's socket: payloads and WebSocket frame headers. */
const socketBytes = (client: SyncClient) => client.bytesReceived + client.frameHeaderBytes;

/** Sends `edits` edits at `rate` per second, then waits until an ack covers the last one. */
async function sendPaced(client: SyncClient, editor: Editor, edits: number, rate: number) {
	const updates = Array.from({ length: edits }, () => editor.edit());
	const bytes = updates.reduce((n, u) => n + u.byteLength, 0);
	const start = performance.now();
	let next = 0;
	await new Promise<void>((resolve) => {
		const tick = setInterval(() => {
			const due = Math.min(edits, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
			while (next < due) client.sendUpdate(updates[next++]!);
			if (next === edits) {
				clearInterval(tick);
				resolve();
			}
		}, 1);
	});
	await acknowledged(client, editor);
	return { edits, bytes };
}

/** Sends one edit, waits for the ack that covers it, sends the next. */
async function sendSequential(client: SyncClient, editor: Editor, edits: number) {
	let bytes = 0;
	for (let i = 0; i < edits; i++) {
		const update = editor.edit();
		bytes += update.byteLength;
		client.sendUpdate(update);
		await acknowledged(client, editor);
	}
	return { edits, bytes };
}

/** Resolves when an ack's snapshot covers the editor's own last edit. */
function acknowledged(client: SyncClient, editor: Editor): Promise<void> {
	const clock = Y.getState(editor.doc.store, editor.doc.clientID);
	return new Promise((resolve) => {
		client.onAck = (snapshot) => {
			if ((Y.decodeSnapshot(snapshot).sv.get(editor.doc.clientID) ?? 0) < clock) return;
			client.onAck = null;
			resolve();
		};
	});
}
