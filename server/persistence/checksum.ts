import { createHash } from 'node:crypto';

/**
 * The checksum stored with a snapshot or update row: SHA-256 of its bytes, hex. Synchronous
 * (node:crypto), so it is computed inside the transaction that writes the bytes.
 */
export const checksumOf = (bytes: Uint8Array): string =>
	createHash('sha256').update(bytes).digest('hex');
