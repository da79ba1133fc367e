import type { Awareness } from 'y-protocols/awareness';
import { colorFor } from '$lib/domain/people';

/** Someone on the same board, as the server stamped them (names can't be claimed by others). */
export interface Peer {
	clientId: number;
	username: string;
	name: string;
	color: string;
	/** The problem whose detail panel they have open. */
	editing: string | null;
	self: boolean;
}

function readPeer(clientId: number, state: Record<string, unknown>, self: number): Peer | null {
	const user = state.user as { username?: unknown; name?: unknown; color?: unknown } | undefined;
	if (!user || typeof user.name !== 'string') return null;
	return {
		clientId,
		username: typeof user.username === 'string' ? user.username : user.name,
		name: user.name,
		color: typeof user.color === 'string' ? user.color : colorFor(String(user.name)),
		editing: typeof state.editing === 'string' ? state.editing : null,
		self: clientId === self
	};
}

/** Who is on a board and what each has open (awareness), as reactive state. */
export class PresenceState {
	#peers = $state.raw<Peer[]>([]);
	readonly #awareness: Awareness;
	readonly #onChange = () => this.#read();

	constructor(awareness: Awareness, user: { username: string; name: string }) {
		this.#awareness = awareness;
		awareness.setLocalStateField('user', { ...user, color: colorFor(user.username) });
		awareness.setLocalStateField('editing', null);
		awareness.on('change', this.#onChange);
		this.#read();
	}

	#read() {
		const peers: Peer[] = [];
		this.#awareness.getStates().forEach((state, clientId) => {
			const peer = readPeer(clientId, state, this.#awareness.clientID);
			if (peer) peers.push(peer);
		});
		this.#peers = peers;
	}

	/** One entry per person (a person may have several tabs open), self first. */
	get people(): Peer[] {
		const seen = new Map<string, Peer>();
		for (const p of this.#peers) {
			const known = seen.get(p.username);
			if (!known || (p.self && !known.self)) seen.set(p.username, p);
		}
		return [...seen.values()].sort((a, b) => Number(b.self) - Number(a.self));
	}

	/** Others who have the given problem open. */
	editorsOf(problemId: string): Peer[] {
		return this.#peers.filter((p) => !p.self && p.editing === problemId);
	}

	setEditing(problemId: string | null) {
		this.#awareness.setLocalStateField('editing', problemId);
	}

	destroy() {
		this.#awareness.off('change', this.#onChange);
		this.#awareness.setLocalStateField('editing', null);
	}
}
