import Dexie, { type Table } from 'dexie';
import type { CardEntry } from '$lib/domain/cards';
import type { ChangeMarker } from '$lib/sync/pending';

/** One document kept on this device (y-indexeddb stores its content under the same name). */
export interface CatalogEntry {
	name: string;
	/** Local changes the server has not acknowledged yet. */
	pending: ChangeMarker[];
	/** When the server last acknowledged everything of this doc (ISO time). */
	lastSavedAt: string | null;
	/** When the doc was last caught up with the server (ISO time); absent in older entries. */
	lastSyncedAt?: string | null;
	lastOpenedAt: string;
}

/** An attachment kept on this device until the server has it (evidence photos taken offline). */
export interface LocalFile {
	sha256: string;
	/** The doc whose card refers to it: uploads need write access to that doc. */
	doc: string;
	name: string;
	type: string;
	size: number;
	data: Blob;
	uploaded: 0 | 1;
}

/** How far the card index has read a doc: the doc's state vector when its entries were last written. */
export interface IndexedDoc {
	name: string;
	stateVector: Uint8Array;
}

class QingdanDatabase extends Dexie {
	catalog!: Table<CatalogEntry, string>;
	files!: Table<LocalFile, string>;
	/** The card index: every live problem of every county doc this device has open (card-index.ts). */
	cards!: Table<CardEntry, [string, string, string]>;
	/** Per doc, the state the card index holds (so an unchanged doc is not indexed again). */
	indexedDocs!: Table<IndexedDoc, string>;

	constructor() {
		super('qingdan');
		this.version(1).stores({ catalog: 'name, lastOpenedAt' });
		this.version(2).stores({ catalog: 'name, lastOpenedAt', files: 'sha256, uploaded' });
		this.version(3).stores({
			catalog: 'name, lastOpenedAt',
			files: 'sha256, uploaded',
			cards: '[campaign+county+id], [campaign+county], campaign, *tokens'
		});
		this.version(4).stores({
			catalog: 'name, lastOpenedAt',
			files: 'sha256, uploaded',
			cards: '[campaign+county+id], [campaign+county], campaign, *tokens',
			indexedDocs: 'name'
		});
	}
}

let database: QingdanDatabase | null = null;

/** The local catalog, or null where IndexedDB is unavailable (the app then works in memory). */
export function localDatabase(): QingdanDatabase | null {
	if (typeof indexedDB === 'undefined') return null;
	database ??= new QingdanDatabase();
	return database;
}

export async function readCatalogEntry(name: string): Promise<CatalogEntry | undefined> {
	try {
		return await localDatabase()?.catalog.get(name);
	} catch {
		return undefined;
	}
}

export async function writeCatalogEntry(entry: CatalogEntry): Promise<void> {
	try {
		await localDatabase()?.catalog.put(entry);
	} catch (error) {
		console.warn('catalog write failed', error);
	}
}
