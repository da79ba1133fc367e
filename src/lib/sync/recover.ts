import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Actor } from '$lib/domain/mutate';
import { rebase, type LeftOut } from '$lib/domain/rebase';
import { writeCatalogEntry } from '$lib/local/db';
import { deleteRanges, type ChangeMarker } from './pending';

/**
 * When the server refuses this device's changes to a doc (4403: offline edits to a problem the
 * city closed meanwhile), the local copy is rebuilt: the server's state, plus every change of
 * this device the record allows, re-made as new operations (src/lib/domain/rebase.ts). The page
 * then reloads into the rebuilt copy, which syncs like any other, and says what was left out.
 */

/** How long to wait for the server's state before giving up (the board stays as it is). */
const FETCH_TIMEOUT_MS = 20_000;
/** Where the outcome waits for the reloaded page. */
const OUTCOME_KEY = 'qingdan.rebased';

export interface RecoveryOutcome {
	doc: string;
	leftOut: LeftOut[];
}

/** The doc as the server holds it: a connection with an empty doc of its own, synced once. */
export async function fetchServerState(serverUrl: string, name: string): Promise<Uint8Array> {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(serverUrl, name, doc, { connect: false, disableBc: true });
	// Not a person at the board: no presence.
	provider.awareness.setLocalState(null);
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('timeout')), FETCH_TIMEOUT_MS);
			provider.on('sync', (synced: boolean) => {
				if (!synced) return;
				clearTimeout(timer);
				resolve();
			});
			provider.connect();
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		provider.destroy();
		doc.destroy();
	}
}

export interface Rebuilt {
	/** The rebuilt doc's whole state. */
	update: Uint8Array;
	/** The re-made changes, pending until the server acknowledges them. */
	marker: ChangeMarker | null;
	leftOut: LeftOut[];
}

/** Rebuilds `local` on top of `server` (nothing is stored yet). */
export function rebuild(server: Uint8Array, local: Y.Doc, actor: Actor): Rebuilt {
	const origin = { qingdan: 'rebase' };
	const rebuilt = rebase(server, local, actor, origin);
	// The marker of the re-made changes: the rebuilt doc's own clock, and what it deleted.
	const client = rebuilt.doc.clientID;
	const made = Y.decodeUpdate(
		Y.encodeStateAsUpdate(rebuilt.doc, Y.encodeStateVectorFromUpdate(server))
	);
	const deletes = deleteRanges(made.ds);
	const clock = Y.getState(rebuilt.doc.store, client);
	const marker: ChangeMarker | null =
		clock > 0 || deletes.length > 0 ? { client, clock, deletes } : null;
	const update = Y.encodeStateAsUpdate(rebuilt.doc);
	rebuilt.doc.destroy();
	return { update, marker, leftOut: rebuilt.leftOut };
}

/** Stores a rebuilt doc as the doc's local copy (the old one has been cleared). */
export async function storeRebuilt(name: string, rebuilt: Rebuilt): Promise<void> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, rebuilt.update);
	const persistence = new IndexeddbPersistence(name, doc);
	await persistence.whenSynced;
	await persistence.destroy();
	doc.destroy();
	const now = new Date().toISOString();
	await writeCatalogEntry({
		name,
		pending: rebuilt.marker ? [rebuilt.marker] : [],
		lastSavedAt: null,
		lastSyncedAt: now,
		lastOpenedAt: now
	});
}

/** Whether this doc was rebuilt a moment ago (a second refusal must not reload in a loop). */
export function recentlyRebuilt(name: string): boolean {
	try {
		const at = Number(sessionStorage.getItem(`${OUTCOME_KEY}.${name}`) ?? 0);
		return Date.now() - at < 60_000;
	} catch {
		return false;
	}
}

export function rememberOutcome(name: string, outcome: RecoveryOutcome): void {
	try {
		sessionStorage.setItem(`${OUTCOME_KEY}.${name}`, String(Date.now()));
		sessionStorage.setItem(OUTCOME_KEY, JSON.stringify(outcome));
	} catch {
		// Private mode or full: the board is still right, only the notice is lost.
	}
}

/** The outcome of a recovery before the last reload, once. */
export function takeOutcome(): RecoveryOutcome | null {
	try {
		const text = sessionStorage.getItem(OUTCOME_KEY);
		sessionStorage.removeItem(OUTCOME_KEY);
		return text ? (JSON.parse(text) as RecoveryOutcome) : null;
	} catch {
		return null;
	}
}
