import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE_STORAGE_FAILED } from '../../src/lib/sync/protocol.ts';
import { errorText, log } from '../log.ts';
import type { DocStore, StoredDoc } from '../persistence/doc-store.ts';
import { encodeAwarenessUpdate, type AwarenessEntry } from './awareness.ts';
import type { AuditRecord } from '../audit/audit-log.ts';
import type { Committable, CommitBatch, Committer } from './committer.ts';
import type { Writer } from './field-rules.ts';
import { runInSlices, runNow } from './budget.ts';
import { encodeStateSteps } from './encode.ts';
import { loadSteps } from './load.ts';
import { Guard, type Admission, type AdmitOptions, type ClientOwners } from './guard.ts';
import {
	ackMessageFor,
	awarenessMessage,
	deleteSetOf,
	updateMessage,
	type AckPart
} from './messages.ts';

/** One end of a room: a WebSocket connection in production, a fake in tests. */
export interface Peer {
	readonly label: string;
	readonly isClosed: boolean;
	/** The peer asked for acknowledgements (MESSAGE_ACK). */
	readonly wantsAcks: boolean;
	send(message: Uint8Array): void;
	/** Sends several messages in order, in as few socket writes as it can (else: send each). */
	sendMany?(messages: Uint8Array[]): void;
	close(code: number, reason: string): void;
}

/**
 * Compact (rewrite the snapshot from the live doc, delete the rows) once this many update rows
 * follow the snapshot — each row is one commit, so this bounds the rows a cold load replays …
 */
export const COMPACT_ROWS = 2_000;
/**
 * … or once the rows hold this many bytes and at least twice the snapshot's size. Rewriting
 * the snapshot writes all of it (twice, with the WAL checkpoint): folding only a tail worth a
 * fraction of it would multiply the bytes written per edit.
 */
export const COMPACT_BYTES = 1024 * 1024;
export const COMPACT_SNAPSHOT_FACTOR = 2;
/**
 * Structs and deletions an update may have to be judged and applied in one step; larger ones go
 * in slices of this many (`receiveInSlices`). A struct costs Yjs 2–30 µs to integrate, twice
 * (scratch copy and doc), so a slice stays within a few ms.
 */
export const SLICE_UNITS = 500;
/** Docs of more structs than this are encoded in steps (encode.ts): ~20 ms at once. */
export const LARGE_DOC_STRUCTS = 50_000;
/** Awareness client ids one peer may hold at once (one per tab is normal). */
const MAX_AWARENESS_CLIENTS_PER_PEER = 8;

interface LargeUpdate {
	since: number;
	bytes: number;
	slices: number;
}

interface AppliedUpdate {
	data: Uint8Array;
	origin: unknown;
}

export interface RoomOptions {
	store: DocStore;
	committer: Committer;
	owners: ClientOwners;
	/** Called once when storage failed and the room must be dropped. */
	onFailed(room: Room, error: unknown): void;
}

/**
 * One loaded doc: the Y.Doc, its awareness, its peers, and its write queue. Updates are applied
 * at once, but leave the server (relay, sync step 2, acks) only after they are committed.
 */
export class Room implements Committable {
	readonly name: string;
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly peers = new Set<Peer>();
	readonly #options: RoomOptions;
	readonly #awarenessOwners = new Map<number, Peer>();
	#queued: AppliedUpdate[] = [];
	#inFlight: AppliedUpdate[] | null = null;
	/** What the queued updates changed, for the audit trail (stored with them). */
	#queuedRecords: AuditRecord[] = [];
	readonly #guard: Guard;
	/** Set while an update that went through the guard is applied to the doc. */
	#applyingAdmitted = false;
	/** Peers that asked for acknowledgements, with their updates committed since the last ack. */
	readonly #awaitingAck = new Map<Peer, AckPart[]>();
	/**
	 * Peers' updates as they sent them, applied but not yet in a commit, then in the commit under
	 * way. An acknowledgement speaks of these, not of the doc's re-encoding: a deletion the doc
	 * had already (two people deleted the same thing) is in the peer's update but not in what the
	 * doc stores anew, and the peer is waiting to hear that it is stored.
	 */
	#received = new Map<Peer, AckPart[]>();
	#receivedInFlight: Map<Peer, AckPart[]> | null = null;
	#commitWaiters: (() => void)[] = [];
	#lastCommittedId: number;
	#rowsSinceSnapshot: number;
	#bytesSinceSnapshot: number;
	#snapshotBytes: number;
	#compacting: Promise<void> | null = null;
	/** Set while an update that is already stored and relayed is applied to the doc. */
	#applyingCommitted = false;
	/** Set while an update that the committer has counted is applied to the doc. */
	#arrivalCounted = false;
	/** While a large update is judged and applied in slices: nothing else touches the doc. */
	#busy: Promise<void> | null = null;
	/** Set while slices of an admitted update are applied; `#sliceChanged` when one brought news. */
	#applyingSliced = false;
	#sliceChanged = false;
	/** A large update queued, then in the commit under way: when it arrived, its size. */
	#largeQueued: LargeUpdate | null = null;
	#largeInFlight: LargeUpdate | null = null;
	#failed = false;
	#destroyed = false;

	/**
	 * A room whose doc is `loaded` from `stored` already (`Room.open`), or is loaded here at once
	 * (for small docs and tests).
	 */
	constructor(name: string, stored: StoredDoc, options: RoomOptions, loaded?: Y.Doc) {
		this.name = name;
		this.#options = options;
		this.doc = loaded ?? new Y.Doc();
		if (!loaded) runNow(loadSteps(name, this.doc, stored));
		this.#guard = new Guard(this.doc, options.owners);
		this.#lastCommittedId = stored.lastId;
		// A damaged piece left out at load counts as a row to fold: the next compaction stores
		// the doc anew from the state it is served with, and the damage is gone.
		this.#rowsSinceSnapshot = stored.updates.length + (stored.damaged?.length ?? 0);
		this.#bytesSinceSnapshot = stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
		this.#snapshotBytes = stored.snapshot?.byteLength ?? 0;
		this.doc.on('update', (update: Uint8Array, origin: unknown) => this.#onUpdate(update, origin));
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.awareness.on('update', this.#onAwarenessUpdate);
	}

	/** Loads the doc in slices (load.ts), other rooms being served meanwhile, then the room. */
	static async open(name: string, stored: StoredDoc, options: RoomOptions): Promise<Room> {
		const doc = new Y.Doc();
		try {
			await runInSlices(loadSteps(name, doc, stored));
		} catch (error) {
			doc.destroy();
			throw error;
		}
		return new Room(name, stored, options, doc);
	}

	get failed(): boolean {
		return this.#failed;
	}

	/** True when the in-memory doc holds nothing that is not committed yet. */
	get settled(): boolean {
		return this.#queued.length === 0 && this.#inFlight === null && this.#busy === null;
	}

	/** A large update is being judged and applied in slices (`receiveInSlices`). */
	get busy(): boolean {
		return this.#busy !== null;
	}

	/**
	 * Whether a small update may be judged in one step: the guard's scratch copy exists, or the
	 * doc is small enough to copy at once. (A large doc is copied in slices, `receiveInSlices`.)
	 */
	get admitsNow(): boolean {
		return this.#guard.hasScratch || structCount(this.doc) <= 4 * SLICE_UNITS;
	}

	/** Resolves when no large update is being judged or applied. */
	async whenIdle(): Promise<void> {
		while (this.#busy) await this.#busy;
	}

	/** Resolves after the next commit of this room finished, well or not. */
	nextCommit(): Promise<void> {
		if (this.settled || this.#failed) return Promise.resolve();
		return new Promise((resolve) => this.#commitWaiters.push(resolve));
	}

	/** Resolves once everything applied so far is committed; false if storage failed. */
	async whenSettled(): Promise<boolean> {
		while (!this.#failed && !this.settled) await this.nextCommit();
		return !this.#failed;
	}

	addPeer(peer: Peer): void {
		this.peers.add(peer);
	}

	removePeer(peer: Peer): void {
		if (!this.peers.delete(peer) || this.#destroyed) return;
		const owned = [...this.#awarenessOwners]
			.filter(([, owner]) => owner === peer)
			.map(([id]) => id);
		for (const id of owned) this.#awarenessOwners.delete(id);
		if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, null);
	}

	/** Applies a peer's (already stamped) awareness entries, ignoring clients other peers own. */
	applyAwareness(peer: Peer, entries: AwarenessEntry[]): void {
		let owned = [...this.#awarenessOwners.values()].filter((owner) => owner === peer).length;
		const accepted = entries.filter((entry) => {
			const owner = this.#awarenessOwners.get(entry.clientID);
			if (owner === peer) return true;
			if (owner !== undefined || owned >= MAX_AWARENESS_CLIENTS_PER_PEER) return false;
			owned++;
			return true;
		});
		if (accepted.length === 0) return;
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), peer);
	}

	/** All current awareness states as one message, or null when there are none. */
	awarenessStatesMessage(): Uint8Array | null {
		const clients = [...this.awareness.getStates().keys()];
		if (clients.length === 0) return null;
		return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
	}

	/**
	 * Judges a writer's update before anything of it is stored, applied or relayed (guard.ts):
	 * throws PendingError or FieldRuleError to refuse it; else returns what it changes, to be
	 * passed to `receiveUpdate` / `receiveSyncUpdate` with it, in the same step.
	 */
	admit(update: Uint8Array, writer: Writer, options: AdmitOptions): Admission {
		return this.#guard.admit(update, writer, options);
	}

	/**
	 * A peer's update (already checked, see update-check.ts, and admitted), and `message`, the sync message it
	 * came in (`[MESSAGE_SYNC, messageYjsUpdate, update]`, nothing else). A lone update is
	 * committed at once, relayed as it came and then applied: nothing waits for a tick, and the
	 * doc's own re-encoding of it is neither needed nor sent. Otherwise (a commit waiting or
	 * running, a stream of updates, the doc holding updates it could not integrate yet) it is
	 * applied and queued for the next commit.
	 */
	receiveUpdate(
		update: Uint8Array,
		message: Uint8Array,
		origin: Peer,
		admission: Admission,
		account: string
	): void {
		if (this.#failed || this.#destroyed) return;
		const records = this.#records(admission, account);
		const store = this.doc.store;
		let id: number | null = null;
		// Whether the committer saw this update (it counts arrivals to tell a stream).
		let counted = false;
		if (this.settled && store.pendingStructs === null && store.pendingDs === null) {
			counted = true;
			try {
				id = this.#options.committer.commitNow(this, update, records);
			} catch (error) {
				log('storage.failed', { docs: this.name, updates: 1, error: errorText(error) });
				this.fail(error);
				return;
			}
		}
		if (id === null) {
			this.#arrivalCounted = counted;
			try {
				this.#applyReceived(update, origin, records);
			} finally {
				this.#arrivalCounted = false;
			}
			return;
		}
		this.#lastCommittedId = id;
		this.#rowsSinceSnapshot++;
		this.#bytesSinceSnapshot += update.byteLength;
		for (const peer of this.peers) if (peer !== origin) peer.send(message);
		this.#applyingCommitted = true;
		this.#applyingAdmitted = true;
		try {
			Y.applyUpdate(this.doc, update, origin);
		} catch (error) {
			// Stored and relayed, but the doc could not take it (update-check.ts lets only
			// well-formed updates through, which Yjs integrates): reload the room from storage.
			log('room.apply_failed', { doc: this.name, error: errorText(error) });
			this.fail(error);
			return;
		} finally {
			this.#applyingCommitted = false;
			this.#applyingAdmitted = false;
		}
		this.#awaitAck(origin, update);
		this.#sendAcks();
		this.#compactIfDue();
	}

	/**
	 * Judges and applies a peer's update in slices (budget.ts, guard.ts `admitSteps`), for
	 * updates too large to take in one step: other rooms, timers and HTTP are served in between,
	 * while this room waits (its other messages, `admit` and replies wait for `whenIdle`).
	 * Once applied, the update is queued as it came, committed as one row, then relayed and
	 * acknowledged like any other. Throws PendingError or FieldRuleError to refuse it (nothing
	 * stored, applied or relayed).
	 */
	async receiveInSlices(
		update: Uint8Array,
		origin: Peer,
		writer: Writer,
		options: AdmitOptions
	): Promise<void> {
		const since = performance.now();
		await this.#exclusive(async () => {
			const admission = await runInSlices(
				this.#guard.admitSteps(update, writer, options, SLICE_UNITS)
			);
			if (this.#failed || this.#destroyed) return;
			const records = this.#records(admission, writer.username);
			const changed = await runInSlices(this.#applySlices(admission.slices ?? [update], origin));
			if (this.#failed || this.#destroyed) return;
			if (changed) {
				this.#queued.push({ data: update, origin });
				this.#queuedRecords.push(...records);
				const slices = admission.slices?.length ?? 1;
				this.#largeQueued = { since, bytes: update.byteLength, slices };
				this.#options.committer.schedule(this);
			}
			const deletions = deleteSetOf(admission.deletes ?? []);
			if (changed || this.#queued.length > 0 || this.#inFlight !== null) {
				addTo(this.#received, origin, deletions);
			} else {
				// Nothing new for the server and nothing waiting: all it says is stored already.
				this.#awaitAck(origin, deletions);
				this.#sendAcks();
			}
		});
	}

	/**
	 * Runs `work` with the room to itself: its messages, admissions and replies wait
	 * (`whenIdle`), so the doc changes only as `work` changes it. Null if the room failed first.
	 */
	async #exclusive<T>(work: () => Promise<T>): Promise<T | null> {
		await this.whenIdle();
		if (this.#failed || this.#destroyed) return null;
		let release = () => {};
		this.#busy = new Promise<void>((resolve) => (release = resolve));
		try {
			return await work();
		} finally {
			this.#busy = null;
			release();
			this.#wakeCommitWaiters();
		}
	}

	/** Whether the doc is large enough that encoding it at once would hold the loop. */
	get isLarge(): boolean {
		return structCount(this.doc) > LARGE_DOC_STRUCTS;
	}

	/**
	 * The doc as an update for a client at `stateVector` (its sync step 2), once the doc holds
	 * only committed state; encoded in steps (encode.ts) with the room to itself. Null if the room
	 * failed or was dropped meanwhile.
	 */
	async stateFor(stateVector: Uint8Array): Promise<Uint8Array | null> {
		for (;;) {
			if (this.#failed || this.#destroyed) return null;
			if (!this.settled) {
				await (this.busy ? this.whenIdle() : this.nextCommit());
				continue;
			}
			const state = await this.#exclusive(async () =>
				this.#queued.length === 0 && this.#inFlight === null
					? await runInSlices(encodeStateSteps(this.doc, stateVector))
					: null
			);
			if (state) return state;
		}
	}

	/** Applies admitted slices; returns whether any brought the doc something new. */
	*#applySlices(slices: Uint8Array[], origin: Peer): Generator<void, boolean> {
		this.#sliceChanged = false;
		for (const slice of slices) {
			if (this.#failed || this.#destroyed) return false;
			this.#applyingSliced = true;
			this.#applyingAdmitted = true;
			try {
				Y.applyUpdate(this.doc, slice, origin);
			} catch (error) {
				// Judged whole on the scratch copy, so this is a bug; the doc may now hold part.
				log('room.apply_failed', { doc: this.name, error: errorText(error) });
				this.fail(error);
				return false;
			} finally {
				this.#applyingSliced = false;
				this.#applyingAdmitted = false;
			}
			yield;
		}
		return this.#sliceChanged;
	}

	takeBatch(): CommitBatch {
		if (this.#failed || this.#queued.length === 0) return { updates: [], records: [] };
		this.#inFlight = this.#queued;
		this.#queued = [];
		this.#largeInFlight = this.#largeQueued;
		this.#largeQueued = null;
		const records = this.#queuedRecords;
		this.#queuedRecords = [];
		this.#receivedInFlight = this.#received;
		this.#received = new Map();
		return { updates: this.#inFlight.map((u) => u.data), records };
	}

	committed(ids: number[]): void {
		const batch = this.#inFlight ?? [];
		this.#inFlight = null;
		if (this.#failed) return;
		this.#lastCommittedId = ids[ids.length - 1] ?? this.#lastCommittedId;
		this.#rowsSinceSnapshot += ids.length;
		this.#relay(batch);
		for (const update of batch) this.#bytesSinceSnapshot += update.data.byteLength;
		this.#awaitAcks(this.#receivedInFlight);
		this.#receivedInFlight = null;
		if (this.#queued.length === 0) {
			// What arrived during the commit and brought nothing new is stored already.
			this.#awaitAcks(this.#received);
			this.#received.clear();
		}
		const large = this.#largeInFlight;
		this.#largeInFlight = null;
		if (large) {
			const ms = Math.round(performance.now() - large.since);
			log('room.large_update', { doc: this.name, bytes: large.bytes, slices: large.slices, ms });
		}
		// Acks and snapshots describe the doc, so only when it equals what is committed; if more
		// arrived meanwhile, the next commit acknowledges both.
		if (this.settled) {
			this.#sendAcks();
			this.#compactIfDue();
		}
		this.#wakeCommitWaiters();
	}

	#compactIfDue(): void {
		if (
			this.#rowsSinceSnapshot >= COMPACT_ROWS ||
			this.#bytesSinceSnapshot >=
				Math.max(COMPACT_BYTES, COMPACT_SNAPSHOT_FACTOR * this.#snapshotBytes)
		) {
			void this.compact();
		}
	}

	commitFailed(error: unknown): void {
		this.#inFlight = null;
		this.#receivedInFlight = null;
		this.fail(error);
	}

	/** Storage failed: nothing more is relayed or acknowledged; peers reconnect to a fresh load. */
	fail(error: unknown): void {
		if (this.#failed) return;
		this.#failed = true;
		this.#queued = [];
		this.#queuedRecords = [];
		this.#options.committer.forget(this);
		log('room.failed', { doc: this.name, peers: this.peers.size, error: errorText(error) });
		for (const peer of [...this.peers]) peer.close(CLOSE_STORAGE_FAILED, 'storage failed');
		this.#wakeCommitWaiters();
		this.#options.onFailed(this, error);
	}

	/**
	 * Writes the live doc as the snapshot and deletes the rows it covers, in one transaction.
	 * Only when the doc equals what is committed; otherwise the next commit tries again.
	 */
	compact(): Promise<void> {
		if (this.#compacting) return this.#compacting;
		if (this.#failed || this.#destroyed || !this.settled || this.#rowsSinceSnapshot === 0) {
			return Promise.resolve();
		}
		this.#compacting = this.#compactNow()
			.catch((error) => log('room.compact_failed', { doc: this.name, error: errorText(error) }))
			.finally(() => (this.#compacting = null));
		return this.#compacting;
	}

	async #compactNow(): Promise<void> {
		let upToId = this.#lastCommittedId;
		let rows = this.#rowsSinceSnapshot;
		let bytes = this.#bytesSinceSnapshot;
		let snapshot: Uint8Array | null;
		if (this.isLarge) {
			// In steps, with the room to itself, so the doc stays what is committed up to `upToId`.
			snapshot = await this.#exclusive(async () => {
				if (this.#queued.length > 0 || this.#inFlight !== null) return null;
				upToId = this.#lastCommittedId;
				rows = this.#rowsSinceSnapshot;
				bytes = this.#bytesSinceSnapshot;
				return runInSlices(encodeStateSteps(this.doc));
			});
			if (!snapshot || rows === 0) return;
		} else {
			snapshot = Y.encodeStateAsUpdate(this.doc);
		}
		await this.#options.store.compact(this.name, snapshot, upToId);
		this.#rowsSinceSnapshot -= rows;
		this.#bytesSinceSnapshot -= bytes;
		this.#snapshotBytes = snapshot.byteLength;
		log('room.compacted', { doc: this.name, rows, snapshotBytes: snapshot.byteLength });
	}

	/** Compacts everything committed so far, waiting for a compaction already running. */
	async compactFully(): Promise<void> {
		if (this.#compacting) await this.#compacting;
		await this.compact();
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#options.committer.forget(this);
		this.awareness.off('update', this.#onAwarenessUpdate);
		this.awareness.destroy();
		this.#guard.destroy();
		this.doc.destroy();
		this.#wakeCommitWaiters();
	}

	#onUpdate(update: Uint8Array, origin: unknown): void {
		if (!this.#applyingAdmitted) this.#guard.follow(update);
		if (this.#applyingSliced) {
			// Queued whole, as it came, once every slice is applied (`receiveInSlices`).
			this.#sliceChanged = true;
			return;
		}
		if (this.#failed || this.#destroyed || this.#applyingCommitted) return;
		this.#queued.push({ data: update, origin });
		this.#options.committer.schedule(this, this.#arrivalCounted);
	}

	/**
	 * Sends every peer the committed updates it does not have (all but its own), each encoded
	 * once; a peer gets a batch in one go, so a commit window costs one socket write per peer.
	 */
	#relay(batch: AppliedUpdate[]): void {
		const messages = batch.map((update) => updateMessage(update.data));
		const origins = new Set(batch.map((update) => update.origin));
		for (const peer of this.peers) {
			const out = origins.has(peer)
				? messages.filter((_, i) => batch[i]!.origin !== peer)
				: messages;
			if (out.length === 1) peer.send(out[0]!);
			else if (out.length > 1 && peer.sendMany) peer.sendMany(out);
			else for (const message of out) peer.send(message);
		}
	}

	/**
	 * A peer's sync step 2 (what it has that the server lacks, after a reconnection): applied, and
	 * committed and acknowledged like its other updates.
	 */
	receiveSyncUpdate(update: Uint8Array, origin: Peer, admission: Admission, account: string): void {
		if (this.#failed || this.#destroyed) return;
		this.#applyReceived(update, origin, this.#records(admission, account));
	}

	#records(admission: Admission, account: string): AuditRecord[] {
		if (admission.changes.length === 0) return [];
		const at = new Date().toISOString();
		return admission.changes.map((change) => ({ ...change, at, account, doc: this.name }));
	}

	/** Applies a peer's update for the next commit, keeping it as sent for the acknowledgement. */
	#applyReceived(update: Uint8Array, origin: Peer, records: AuditRecord[]): void {
		const queued = this.#queued.length;
		this.#applyingAdmitted = true;
		try {
			Y.applyUpdate(this.doc, update, origin);
		} finally {
			this.#applyingAdmitted = false;
		}
		if (this.#queued.length > queued) this.#queuedRecords.push(...records);
		if (this.#queued.length > queued || !this.settled) {
			addTo(this.#received, origin, update);
			return;
		}
		// Nothing new for the server and nothing waiting: all it says is stored already.
		this.#awaitAck(origin, update);
		this.#sendAcks();
	}

	/** Notes a stored update of `peer` for its next acknowledgement, if it asked for them. */
	#awaitAck(peer: Peer, update: AckPart): void {
		if (peer.wantsAcks && this.peers.has(peer)) addTo(this.#awaitingAck, peer, update);
	}

	#awaitAcks(stored: Map<Peer, AckPart[]> | null): void {
		for (const [peer, updates] of stored ?? []) for (const u of updates) this.#awaitAck(peer, u);
	}

	/**
	 * Acknowledges to the peers whose own updates were committed: the doc's state vector and the
	 * deletions of those updates (messages.ts `ackMessageFor`). Not a snapshot of the whole doc:
	 * on a board of 10,000 cards that is ~180 KB and several ms per commit, for every edit.
	 */
	#sendAcks(): void {
		if (this.#awaitingAck.size === 0) return;
		const stateVector = Y.encodeStateVector(this.doc);
		for (const [peer, updates] of this.#awaitingAck) {
			if (this.peers.has(peer)) peer.send(ackMessageFor(stateVector, updates));
		}
		this.#awaitingAck.clear();
	}

	#wakeCommitWaiters(): void {
		const waiters = this.#commitWaiters;
		this.#commitWaiters = [];
		for (const wake of waiters) wake();
	}

	readonly #onAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		const peer = this.peers.has(origin as Peer) ? (origin as Peer) : null;
		// An id stays bound to the connection that first announced it until that connection
		// leaves, also after its state is removed or times out: nobody else can take it over.
		if (peer) {
			for (const id of added.concat(updated)) {
				if (!this.#awarenessOwners.has(id)) this.#awarenessOwners.set(id, peer);
			}
		}
		const message = awarenessMessage(
			awarenessProtocol.encodeAwarenessUpdate(this.awareness, added.concat(updated, removed))
		);
		for (const p of this.peers) p.send(message);
	};
}

/** Structs the doc holds (one per client run Yjs could not merge). */
function structCount(doc: Y.Doc): number {
	let structs = 0;
	for (const list of doc.store.clients.values()) structs += list.length;
	return structs;
}

function addTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
	const list = lists.get(key);
	if (list) list.push(value);
	else lists.set(key, [value]);
}
