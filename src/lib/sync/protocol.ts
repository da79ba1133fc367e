/**
 * Message types on /sync/<docName>. 0–3 are y-websocket's own; MESSAGE_ACK is ours.
 *
 * A client that sends `[MESSAGE_ACK]` (one varUint) opts in to acknowledgements: from then on the
 * server sends `[MESSAGE_ACK, varUint8Array(Y.encodeSnapshot(Y.snapshot(roomDoc)))]` right after
 * each commit to SQLite, and once at opt-in. A snapshot is the state vector plus the delete set:
 * the state vector alone cannot acknowledge a deletion, because deleting does not advance clocks.
 * Stock y-websocket clients never opt in and never see this message.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_ACK = 100;

/** WebSocket close codes the server uses, and what the client makes of them. */
export const CLOSE_TOO_LARGE = 1009;
export const CLOSE_PROTOCOL_ERROR = 1002;
/** The session ended or the user lost access while connected: the client asks to sign in again. */
export const CLOSE_UNAUTHORIZED = 4401;
/** The server's data was replaced from a backup: local copies must be dropped, not merged back. */
export const CLOSE_RESTORED = 4409;
/** The server could not store updates; the client keeps its edits and retries later. */
export const CLOSE_STORAGE_FAILED = 4500;
