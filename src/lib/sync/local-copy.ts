import type { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';

const UPDATES_STORE = 'updates';

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

function transactionDone(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
	});
}

/** Resolves once every write queued on the database so far has finished. */
export async function whenWritten(db: IDBDatabase): Promise<void> {
	// A read-write transaction starts only after every earlier one over the same store has ended.
	await transactionDone(db.transaction(UPDATES_STORE, 'readwrite'));
}

export type LocalLoad =
	| { kind: 'loaded' }
	| { kind: 'unavailable' }
	/** The stored copy could not be read whole: `kept` of its `total` updates were applied. */
	| { kind: 'damaged'; kept: number; total: number };

/**
 * Waits for y-indexeddb to load a doc's local copy and finds out whether it could. y-indexeddb
 * applies the stored updates inside its first read-write transaction and never reports a failure
 * (the promise just rejects unheard), so a transaction queued behind it tells: when it runs,
 * either the copy was applied (`synced`) or applying it threw.
 */
export async function loadLocalCopy(local: IndexeddbPersistence, doc: Y.Doc): Promise<LocalLoad> {
	let db: IDBDatabase;
	try {
		db = await local._db;
		await whenWritten(db);
	} catch {
		return { kind: 'unavailable' };
	}
	if (local.synced) return { kind: 'loaded' };
	return salvage(db, doc, local);
}

/**
 * Applies every stored update that can be applied, one by one, and rewrites the store as one
 * clean update of the result, so that the next start loads normally and nothing readable is lost.
 */
async function salvage(db: IDBDatabase, doc: Y.Doc, origin: unknown): Promise<LocalLoad> {
	const read = db.transaction(UPDATES_STORE, 'readonly');
	const updates = await requestResult(read.objectStore(UPDATES_STORE).getAll());
	let kept = 0;
	for (const update of updates) {
		if (!(update instanceof Uint8Array)) continue;
		try {
			// The origin is y-indexeddb's own, so these updates are not written back one by one.
			Y.applyUpdate(doc, update, origin);
			kept++;
		} catch {
			// Unreadable: skipped; the server's copy fills in what the device had synced.
		}
	}
	const write = db.transaction(UPDATES_STORE, 'readwrite');
	const store = write.objectStore(UPDATES_STORE);
	store.clear();
	store.add(Y.encodeStateAsUpdate(doc));
	await transactionDone(write).catch(() => undefined);
	return { kind: 'damaged', kept, total: updates.length };
}

/** Whether this device holds a copy of a doc (false where there is no way to tell). */
export async function hasLocalCopy(name: string): Promise<boolean> {
	if (typeof indexedDB === 'undefined') return false;
	// Opening a database that does not exist would create it, so ask for the list instead.
	const listed = await indexedDB.databases?.().catch(() => null);
	return listed?.some((d) => d.name === name) ?? false;
}

/** Bytes of a doc's stored updates on this device, or null where there is none or no way to tell. */
export async function localCopySize(name: string): Promise<number | null> {
	if (!(await hasLocalCopy(name))) return null;
	const db = await requestResult(indexedDB.open(name)).catch(() => null);
	if (!db) return null;
	try {
		if (!db.objectStoreNames.contains(UPDATES_STORE)) return null;
		const read = db.transaction(UPDATES_STORE, 'readonly');
		const updates = await requestResult(read.objectStore(UPDATES_STORE).getAll());
		return updates.reduce<number>(
			(sum, update) => sum + (update instanceof Uint8Array ? update.byteLength : 0),
			0
		);
	} catch {
		return null;
	} finally {
		db.close();
	}
}
