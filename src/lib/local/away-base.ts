import Dexie, { type Table } from 'dexie';

/** A doc's state when this device went apart from the server, kept until it caught up again. */
interface AwayBase {
	name: string;
	update: Uint8Array;
}

/** A database of its own, so the shared catalog's schema stays as it is. */
class AwayDatabase extends Dexie {
	bases!: Table<AwayBase, string>;

	constructor() {
		super('qingdan-away');
		this.version(1).stores({ bases: 'name' });
	}
}

let database: AwayDatabase | null = null;

function awayDatabase(): AwayDatabase | null {
	if (typeof indexedDB === 'undefined') return null;
	database ??= new AwayDatabase();
	return database;
}

/** Losing one of these only loses a summary, never an edit: failures are ignored. */
export async function readAwayBase(name: string): Promise<Uint8Array | null> {
	try {
		return (await awayDatabase()?.bases.get(name))?.update ?? null;
	} catch {
		return null;
	}
}

export async function writeAwayBase(name: string, update: Uint8Array): Promise<void> {
	try {
		await awayDatabase()?.bases.put({ name, update });
	} catch {
		// See above.
	}
}

export async function clearAwayBase(name: string): Promise<void> {
	try {
		await awayDatabase()?.bases.delete(name);
	} catch {
		// See above.
	}
}
