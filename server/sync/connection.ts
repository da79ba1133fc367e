import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import { canRead, canWrite, type DocRef } from '../../src/lib/domain/docs.ts';
import type { User } from '../../src/lib/domain/model.ts';
import {
	CLOSE_INCOMPLETE_UPDATE,
	CLOSE_PROTOCOL_ERROR,
	CLOSE_STORAGE_FAILED,
	CLOSE_UNAUTHORIZED,
	MESSAGE_ACK,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC
} from '../../src/lib/sync/protocol.ts';
import type { Session } from '../auth/sessions.ts';
import { errorText, log } from '../log.ts';
import { awarenessUser, decodeAwarenessUpdate, stampUser } from './awareness.ts';
import { CLOSE_FORBIDDEN_CHANGE, FieldRuleError } from './field-rules.ts';
import { PendingError } from './guard.ts';
import { binaryFrame, MAX_SHARED_FRAME_BYTES } from './frames.ts';
import { ackMessage, syncStep1Message, syncStep2Message, syncStep2MessageOf } from './messages.ts';
import { ProtocolError } from './protocol-error.ts';
import { SLICE_UNITS, type Peer, type Room } from './room.ts';
import type { Rooms } from './rooms.ts';
import { checkStateVector, checkUpdate } from './update-check.ts';

/** Updates up to this size are read at once (~3 ms); larger ones in steps (budget.ts). */
const CHECK_NOW_BYTES = 256 * 1024;

/** A client that lets this much pile up unread is disconnected rather than buffered forever. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Close code for that: 1013 "try again later". */
const CLOSE_TOO_SLOW = 1013;
/** How long a closing socket may take to finish the close handshake. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface ConnectionOptions {
	docName: string;
	ref: DocRef;
	session: Session;
	rooms: Rooms;
	/** True while the campaign is archived: its docs are read-only for everyone. */
	archived(campaign: string): boolean;
	/** Bytes of messages that may wait (during load or a commit) before the socket is closed. */
	maxQueuedBytes: number;
	onClose(connection: Connection): void;
}

let nextId = 1;

interface RawSocket {
	write(data: Uint8Array): boolean;
	cork(): void;
	uncork(): void;
}

/**
 * One WebSocket on one doc. Messages are queued until the room is loaded and then handled one
 * at a time, in order; anything malformed closes this socket with 1002 and nothing else.
 */
export class Connection implements Peer {
	readonly id = nextId++;
	readonly docName: string;
	readonly #ws: WebSocket;
	readonly #options: ConnectionOptions;
	readonly #ref: DocRef;
	#user: User;
	#tokenHash: string;
	#sessionExpiresAt: number;
	#canWrite: boolean;
	#room: Room | null = null;
	#queue: Uint8Array[] = [];
	#queuedBytes = 0;
	#handling = false;
	#closed = false;
	#alive = true;
	#wantsAcks = false;
	/**
	 * The TCP socket under the WebSocket, for writing frames built once per message (frames.ts),
	 * or null to go through `ws`. Writing to it directly keeps the order with `ws`'s own writes,
	 * as `ws` writes straight through too when no extension (compression) is negotiated. Both are
	 * settled by the upgrade, so this is read once (`ws.extensions` builds a string per call).
	 */
	readonly #rawSocket: RawSocket | null;

	constructor(ws: WebSocket, options: ConnectionOptions) {
		this.#ws = ws;
		this.#rawSocket =
			ws.extensions === '' ? ((ws as unknown as { _socket?: RawSocket })._socket ?? null) : null;
		this.#options = options;
		this.docName = options.docName;
		this.#ref = options.ref;
		this.#user = options.session.user;
		this.#tokenHash = options.session.tokenHash;
		this.#sessionExpiresAt = options.session.expiresAt;
		this.#canWrite = canWrite(this.#user, this.#ref);
		ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
		ws.on('close', (code) => this.#onClosed(code));
		ws.on('error', (error) => log('ws.error', { ...this.#fields(), error: errorText(error) }));
		ws.on('pong', () => (this.#alive = true));
		log('ws.open', { ...this.#fields(), write: this.#canWrite });
		options.rooms
			.join(this.docName, this)
			.then((room) => this.#attach(room))
			.catch((error) => {
				log('ws.attach_failed', { ...this.#fields(), error: errorText(error) });
				this.close(CLOSE_STORAGE_FAILED, 'storage unavailable');
			});
	}

	get label(): string {
		return `${this.#user.username}@${this.docName}#${this.id}`;
	}

	get username(): string {
		return this.#user.username;
	}

	get tokenHash(): string {
		return this.#tokenHash;
	}

	get isClosed(): boolean {
		return this.#closed;
	}

	get wantsAcks(): boolean {
		return this.#wantsAcks;
	}

	send(message: Uint8Array): void {
		if (this.#closed || this.#ws.readyState !== WebSocket.OPEN) return;
		if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
			log('ws.too_slow', { ...this.#fields(), buffered: this.#ws.bufferedAmount });
			this.close(CLOSE_TOO_SLOW, 'not reading');
			return;
		}
		const socket = this.#rawSocket;
		if (socket && message.byteLength <= MAX_SHARED_FRAME_BYTES) socket.write(binaryFrame(message));
		else this.#ws.send(message, { binary: true });
	}

	/** Sends in order with the socket corked: one write for the lot instead of one per message. */
	sendMany(messages: Uint8Array[]): void {
		const socket = this.#rawSocket;
		socket?.cork();
		try {
			for (const message of messages) this.send(message);
		} finally {
			socket?.uncork();
		}
	}

	close(code: number, reason: string): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#queue = [];
		this.#queuedBytes = 0;
		log('ws.closing', { ...this.#fields(), code, reason });
		try {
			this.#ws.close(code, reason);
		} catch {
			this.#ws.terminate();
		}
		setTimeout(() => this.#ws.terminate(), CLOSE_TIMEOUT_MS).unref();
		this.#detach();
	}

	/** Applies a changed role, county or session: recomputes write access, or signs the socket out. */
	refreshAccess(session: Session | null): void {
		if (this.#closed) return;
		if (!session || !canRead(session.user, this.#ref)) {
			this.close(CLOSE_UNAUTHORIZED, 'signed out');
			return;
		}
		this.#user = session.user;
		this.#sessionExpiresAt = session.expiresAt;
		const write = canWrite(session.user, this.#ref);
		if (write !== this.#canWrite) log('ws.access_changed', { ...this.#fields(), write });
		this.#canWrite = write;
	}

	/** Called periodically: drops sockets that stopped answering pings or whose session ended. */
	heartbeat(now: number): void {
		if (this.#closed) return;
		if (now >= this.#sessionExpiresAt) {
			this.close(CLOSE_UNAUTHORIZED, 'session expired');
		} else if (!this.#alive) {
			log('ws.timeout', this.#fields());
			this.#ws.terminate();
		} else {
			this.#alive = false;
			this.#ws.ping();
		}
	}

	#attach(room: Room | null): void {
		if (!room) {
			this.close(1001, 'server shutting down');
			return;
		}
		if (this.#closed) {
			this.#options.rooms.leave(room, this);
			return;
		}
		this.#room = room;
		this.send(syncStep1Message(room.doc));
		const awareness = room.awarenessStatesMessage();
		if (awareness) this.send(awareness);
		void this.#handleQueue();
	}

	#receive(data: WebSocket.RawData, isBinary: boolean): void {
		try {
			if (this.#closed) return;
			if (!isBinary) throw new ProtocolError('text frame');
			const message = toBytes(data);
			this.#queue.push(message);
			this.#queuedBytes += message.byteLength;
			if (this.#queuedBytes > this.#options.maxQueuedBytes) {
				this.close(CLOSE_TOO_SLOW, 'too many queued messages');
				return;
			}
			void this.#handleQueue();
		} catch (error) {
			this.#protocolError(error);
		}
	}

	async #handleQueue(): Promise<void> {
		if (this.#handling || !this.#room) return;
		this.#handling = true;
		try {
			while (!this.#closed && this.#room && this.#queue.length > 0) {
				const message = this.#queue.shift()!;
				this.#queuedBytes -= message.byteLength;
				const waiting = this.#handle(this.#room, message);
				if (waiting) await waiting;
			}
		} catch (error) {
			this.#protocolError(error);
		} finally {
			this.#handling = false;
		}
	}

	/** Handles one message; returns a promise only when it must wait for a commit. */
	#handle(room: Room, message: Uint8Array): Promise<void> | void {
		if (room.failed) return;
		// A large update is being applied in slices: the room's messages wait their turn.
		if (room.busy) return room.whenIdle().then(() => this.#handle(room, message));
		if (message.byteLength === 0) throw new ProtocolError('empty message');
		const decoder = decoding.createDecoder(message);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MESSAGE_SYNC:
				return this.#handleSync(room, decoder, message);
			case MESSAGE_AWARENESS: {
				const update = decoding.readVarUint8Array(decoder);
				expectEnd(decoder);
				const entries = stampUser(decodeAwarenessUpdate(update), awarenessUser(this.#user));
				room.applyAwareness(this, entries);
				return;
			}
			case MESSAGE_QUERY_AWARENESS: {
				expectEnd(decoder);
				const states = room.awarenessStatesMessage();
				if (states) this.send(states);
				return;
			}
			case MESSAGE_ACK:
				expectEnd(decoder);
				this.#wantsAcks = true;
				return this.#whenSettled(room, () => this.send(ackMessage(room.doc)));
			default:
				throw new ProtocolError(`unknown message type ${type}`);
		}
	}

	#handleSync(room: Room, decoder: decoding.Decoder, message: Uint8Array): Promise<void> | void {
		const step = decoding.readVarUint(decoder);
		switch (step) {
			case syncProtocol.messageYjsSyncStep1: {
				const stateVector = decoding.readVarUint8Array(decoder);
				expectEnd(decoder);
				checkStateVector(stateVector);
				if (room.isLarge) {
					// Encoded in steps: a board of millions of structs takes a quarter second at once.
					return room.stateFor(stateVector).then((state) => {
						if (state) this.send(syncStep2MessageOf(state));
					});
				}
				return this.#whenSettled(room, () => this.send(syncStep2Message(room.doc, stateVector)));
			}
			case syncProtocol.messageYjsSyncStep2:
			case syncProtocol.messageYjsUpdate: {
				// Read-only (the role, or an archived campaign): dropped here, before the payload is
				// even decoded.
				if (!this.#canWrite || this.#options.archived(this.#ref.campaign)) return;
				const update = decoding.readVarUint8Array(decoder);
				expectEnd(decoder);
				const options = { attributeLog: true };
				// Large updates are read, judged and applied in slices, between other work.
				if (update.byteLength > CHECK_NOW_BYTES) {
					return room.receiveInSlices(update, this, this.#user, options);
				}
				// Yjs trusts the counts in an update; checkUpdate does not (see update-check.ts).
				const units = checkUpdate(update);
				if (units > SLICE_UNITS || !room.admitsNow) {
					return room.receiveInSlices(update, this, this.#user, options);
				}
				// Judged on its effect before anything of it is stored, applied or relayed.
				const admission = room.admit(update, this.#user, options);
				const account = this.#user.username;
				// An update message is relayed as it came; sync step 2 tells a client it is synced,
				// so it must not be passed on as such.
				if (step === syncProtocol.messageYjsUpdate) {
					room.receiveUpdate(update, message, this, admission, account);
				} else {
					room.receiveSyncUpdate(update, this, admission, account);
				}
				return;
			}
			default:
				throw new ProtocolError(`unknown sync message type ${step}`);
		}
	}

	/**
	 * Runs `reply` once the doc holds only committed state, so nothing uncommitted ever leaves
	 * the server. The check and the reply run in one synchronous step.
	 */
	#whenSettled(room: Room, reply: () => void): Promise<void> | void {
		if (room.settled) return reply();
		return (async () => {
			while (!room.settled) {
				await room.nextCommit();
				if (room.failed || this.#closed) return;
			}
			reply();
		})();
	}

	#protocolError(error: unknown): void {
		if (error instanceof FieldRuleError) {
			log('ws.refused_change', { ...this.#fields(), error: error.message });
			this.close(CLOSE_FORBIDDEN_CHANGE, error.message);
			return;
		}
		if (error instanceof PendingError) {
			log('ws.refused_incomplete', { ...this.#fields(), error: error.message });
			this.close(CLOSE_INCOMPLETE_UPDATE, 'update depends on changes the server lacks');
			return;
		}
		log('ws.protocol_error', { ...this.#fields(), error: errorText(error) });
		this.close(CLOSE_PROTOCOL_ERROR, 'protocol error');
	}

	#onClosed(code: number): void {
		if (!this.#closed) log('ws.closed', { ...this.#fields(), code });
		this.#closed = true;
		this.#queue = [];
		this.#detach();
	}

	#detach(): void {
		const room = this.#room;
		this.#room = null;
		if (room) this.#options.rooms.leave(room, this);
		this.#options.onClose(this);
	}

	#fields() {
		return { conn: this.id, user: this.#user.username, doc: this.docName };
	}
}

function expectEnd(decoder: decoding.Decoder): void {
	if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes');
}

function toBytes(data: WebSocket.RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
