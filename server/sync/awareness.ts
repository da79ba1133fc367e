import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { User } from '../../src/lib/domain/model.ts';
import { ProtocolError } from './protocol-error.ts';

/** The largest awareness state (its JSON) one client may publish. */
export const MAX_AWARENESS_STATE_BYTES = 16 * 1024;

export interface AwarenessEntry {
	clientID: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/** Who a client is, as the server tells everyone else; clients cannot choose this. */
export interface AwarenessUser {
	username: string;
	name: string;
	role: string;
	color: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes an awareness update (count, then clientID, clock, JSON state per entry). */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientID = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const json = decoding.readVarUint8Array(decoder);
		if (json.byteLength > MAX_AWARENESS_STATE_BYTES) {
			throw new ProtocolError(`awareness state of ${json.byteLength} bytes`);
		}
		const state: unknown = JSON.parse(utf8.decode(json));
		if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
			throw new ProtocolError('awareness state is not an object');
		}
		entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
	}
	if (decoding.hasContent(decoder))
		throw new ProtocolError('trailing bytes after awareness update');
	return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientID);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return encoding.toUint8Array(encoder);
}

/** Replaces whatever `user` a client claimed with the signed-in user. */
export function stampUser(entries: AwarenessEntry[], user: AwarenessUser): AwarenessEntry[] {
	return entries.map((entry) =>
		entry.state === null ? entry : { ...entry, state: { ...entry.state, user } }
	);
}

export function awarenessUser(user: User): AwarenessUser {
	return {
		username: user.username,
		name: user.displayName,
		role: user.role,
		color: colorFor(user.username)
	};
}

/** A stable, readable colour per username: a hue from a hash, fixed saturation and lightness. */
export function colorFor(username: string): string {
	let hash = 2166136261;
	for (const char of username) {
		hash ^= char.codePointAt(0)!;
		hash = Math.imul(hash, 16777619);
	}
	return hslToHex((hash >>> 0) % 360, 0.65, 0.45);
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
	const a = saturation * Math.min(lightness, 1 - lightness);
	const channel = (n: number) => {
		const k = (n + hue / 30) % 12;
		const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
		return Math.round(value * 255)
			.toString(16)
			.padStart(2, '0');
	};
	return `#${channel(0)}${channel(8)}${channel(4)}`;
}
