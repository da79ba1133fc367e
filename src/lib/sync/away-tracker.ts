import { equalFlat } from 'lib0/array';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { AwayStates } from '../domain/away';
import { clearAwayBase, readAwayBase, writeAwayBase } from '../local/away-base';
import { awayStates } from './away-states';

/** A shorter time apart without edits of ours is a blip of the network, not worth a summary. */
const BLIP_MS = 30_000;

/** Whether `state` holds everything `base` does: false when this device's copy was dropped since. */
function contains(state: Uint8Array, base: Uint8Array): boolean {
	const have = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state));
	for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(base))) {
		if ((have.get(client) ?? 0) < clock) return false;
	}
	return true;
}

/**
 * Watches one doc across a time apart from the server. It keeps the state the doc had when the
 * connection dropped (also in IndexedDB, so a reload offline keeps it), our state when the
 * server's changes start to come in, and those changes; when the first sync after reconnecting
 * completes it hands the four readings `summarizeAway` needs.
 */
export class AwayTracker {
	readonly #name: string;
	readonly #doc: Y.Doc;
	readonly #provider: WebsocketProvider;
	readonly #onCatchUp: (states: AwayStates) => void;
	#base: Uint8Array | null = null;
	#ours: Uint8Array | null = null;
	#theirs: Uint8Array[] = [];
	#hadSync = false;
	#apartAt = 0;

	constructor(
		name: string,
		doc: Y.Doc,
		provider: WebsocketProvider,
		onCatchUp: (states: AwayStates) => void
	) {
		this.#name = name;
		this.#doc = doc;
		this.#provider = provider;
		this.#onCatchUp = onCatchUp;
		void readAwayBase(name).then((stored) => {
			if (stored && !this.#base && !this.#hadSync) this.#base = stored;
		});
		provider.on('status', ({ status }) => {
			if (status === 'disconnected') this.#apart();
		});
		provider.on('sync', (synced) => {
			if (!synced) return;
			this.#finish();
			this.#hadSync = true;
		});
		doc.on('beforeTransaction', (tr: Y.Transaction) => {
			if (this.#base && !this.#ours && tr.origin === provider) {
				this.#ours = Y.encodeStateAsUpdate(doc);
			}
		});
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (this.#base && origin === provider) this.#theirs.push(update);
		});
	}

	/** The doc left the server after being in sync with it; the first drop counts. */
	#apart() {
		if (this.#base || !this.#hadSync) return;
		this.#base = Y.encodeStateAsUpdate(this.#doc);
		this.#apartAt = Date.now();
		this.#ours = null;
		this.#theirs = [];
		void writeAwayBase(this.#name, this.#base);
	}

	/** Names of the people online on this doc by their client id (from presence). */
	#names(): Map<number, string> {
		const names = new Map<number, string>();
		this.#provider.awareness.getStates().forEach((state, client) => {
			const name: unknown = state.user?.name;
			if (typeof name === 'string' && name) names.set(client, name.slice(0, 100));
		});
		return names;
	}

	#finish() {
		const base = this.#base;
		if (!base) return;
		const ours = this.#ours;
		const theirs = this.#theirs;
		this.#base = null;
		this.#ours = null;
		this.#theirs = [];
		void clearAwayBase(this.#name);
		if (!ours || theirs.length === 0 || !contains(ours, base)) return;
		const blip =
			Date.now() - this.#apartAt < BLIP_MS &&
			equalFlat(Y.encodeStateVectorFromUpdate(base), Y.encodeStateVectorFromUpdate(ours));
		if (blip) return;
		this.#onCatchUp(awayStates(base, ours, theirs, this.#doc, this.#names()));
	}
}
