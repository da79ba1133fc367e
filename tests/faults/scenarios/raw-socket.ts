import fs from 'node:fs';
import net from 'node:net';
import type { TestServer } from '../../server/harness.ts';

/**
 * WebSocket at the byte level: a handshake over a plain TCP socket, and frames built by hand, so
 * a test can send what no WebSocket library would (bad bits, bad lengths) and can stop reading.
 */

export interface FrameSpec {
	opcode: number;
	payload?: Uint8Array;
	fin?: boolean;
	/** RSV1–3 as the top bits of the first byte (0x40, 0x20, 0x10). */
	rsv?: number;
	/** Clients must mask their frames; false sends an unmasked one. */
	masked?: boolean;
	/** A length to claim instead of the payload's. */
	claimedLength?: bigint;
}

export function frame({
	opcode,
	payload = new Uint8Array(),
	fin = true,
	rsv = 0,
	masked = true,
	claimedLength
}: FrameSpec): Buffer {
	const length = claimedLength ?? BigInt(payload.length);
	const head: number[] = [(fin ? 0x80 : 0) | rsv | opcode];
	const maskBit = masked ? 0x80 : 0;
	if (length < 126n) head.push(maskBit | Number(length));
	else if (length < 65536n) head.push(maskBit | 126, Number(length >> 8n), Number(length & 0xffn));
	else {
		head.push(maskBit | 127);
		for (let shift = 56n; shift >= 0n; shift -= 8n) head.push(Number((length >> shift) & 0xffn));
	}
	const key = [0x12, 0x34, 0x56, 0x78];
	const body = Buffer.from(payload);
	if (masked) {
		head.push(...key);
		for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
	}
	return Buffer.concat([Buffer.from(head), body]);
}

export interface RawSocket {
	socket: net.Socket;
	/** Bytes received after the handshake. */
	received(): number;
	/** Resolves when the server closed the connection (FIN or reset). */
	closed: Promise<void>;
}

/**
 * Opens `/sync/<docName>` with a hand-written upgrade request and resolves once the server
 * answered 101; rejects with the status line otherwise. `localAddress` picks the source address
 * (any 127.x.y.z reaches a server on 127.0.0.1).
 */
export function rawUpgrade(
	server: TestServer,
	docName: string,
	cookie: string | null,
	localAddress = '127.0.0.1'
): Promise<RawSocket> {
	const { port } = new URL(server.url);
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port: Number(port), localAddress });
		let head = Buffer.alloc(0);
		let upgraded = false;
		let count = 0;
		const closed = new Promise<void>((done) => socket.once('close', () => done()));
		socket.on('error', () => {});
		socket.once('close', () => {
			if (!upgraded) reject(new Error('closed before the handshake finished'));
		});
		socket.on('data', (chunk: Buffer) => {
			if (upgraded) {
				count += chunk.length;
				return;
			}
			head = Buffer.concat([head, chunk]);
			const end = head.indexOf('\r\n\r\n');
			if (end < 0) return;
			const status = head.subarray(0, head.indexOf('\r\n')).toString();
			if (!/^HTTP\/1\.1 101 /.test(status)) {
				socket.destroy();
				reject(new Error(status));
				return;
			}
			upgraded = true;
			count += head.length - end - 4;
			resolve({ socket, received: () => count, closed });
		});
		socket.write(
			`GET /sync/${docName} HTTP/1.1\r\n` +
				`Host: 127.0.0.1:${port}\r\n` +
				`Origin: ${server.origin}\r\n` +
				'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
				'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
				(cookie ? `Cookie: ${cookie}\r\n` : '') +
				'\r\n'
		);
	});
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
	return kb / 1024;
}
