import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^17, r = 8, p = 1 needs 128 MiB and about a third of a second per hash. */
const LOG2_N = 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_MEMORY = 256 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
			error ? reject(error) : resolve(key)
		)
	);
}

/** Hashes a password as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64), parameters included. */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(SALT_BYTES);
	const key = await derive(password, salt, {
		N: 2 ** LOG2_N,
		r: BLOCK_SIZE,
		p: PARALLELISM,
		maxmem: MAX_MEMORY
	});
	return [
		'scrypt',
		LOG2_N,
		BLOCK_SIZE,
		PARALLELISM,
		salt.toString('base64'),
		key.toString('base64')
	].join('$');
}

/** Checks a password against a stored hash in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
	const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
	// Refuse parameters we would never write, so a tampered row cannot make us burn memory.
	if (
		![logN, r, p].every(Number.isInteger) ||
		logN < 10 ||
		logN > 20 ||
		r < 1 ||
		r > 16 ||
		p !== 1
	) {
		return false;
	}
	const salt = Buffer.from(parts[4]!, 'base64');
	const expected = Buffer.from(parts[5]!, 'base64');
	if (expected.length !== KEY_BYTES) return false;
	const key = await derive(password, salt, { N: 2 ** logN, r, p, maxmem: MAX_MEMORY });
	return timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | null = null;

/** Burns the same time as a real check, so unknown usernames are not told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
	await verifyPassword(password, await dummyHash);
	return false;
}
