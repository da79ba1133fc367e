/**
 * Message types on /sync/<docName>. 0–3 are y-websocket's own; MESSAGE_ACK is ours.
 *
 * A client that sends `[MESSAGE_ACK]` (one varUint) opts in to acknowledgements: the server
 * answers `[MESSAGE_ACK, varUint8Array(Y.encodeSnapshot(snapshot))]` once at opt-in with a
 * snapshot of the whole stored doc, and after each commit that stored updates of this client with
 * the doc's state vector and the deletions those updates carried (small however big the doc).
 * A snapshot is a state vector plus a delete set: the state vector alone cannot acknowledge a
 * deletion, because deleting does not advance clocks. Everything a snapshot lists is stored.
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
/**
 * The server refused a change this user may not make (server/sync/field-rules.ts: only city
 * users and administrators close problems). The app never sends one; the board stops syncing and
 * says so, as retrying would be refused again.
 */
export const CLOSE_FORBIDDEN_CHANGE = 4403;
/**
 * The server refused an update that depends on changes it does not have (Yjs would keep it
 * pending: server/sync/integrability.ts). Nothing of it is stored. A client that reconnects sends
 * what the server lacks in its sync step 2, so the app simply reconnects.
 */
export const CLOSE_INCOMPLETE_UPDATE = 4422;
/** The server's data was replaced from a backup: local copies must be dropped, not merged back. */
export const CLOSE_RESTORED = 4409;
/** The server could not store updates; the client keeps its edits and retries later. */
export const CLOSE_STORAGE_FAILED = 4500;
