import type { Server } from 'node:net';
import { log } from '../log.ts';

/**
 * Caps the TCP connections one address may hold open, whatever they are (idle keep-alive,
 * half-sent requests, WebSockets): a thousand sockets that never authenticate cost a bounded
 * amount of memory, and the connections beyond the cap are closed as they arrive. Behind a
 * reverse proxy every connection comes from the proxy, so the proxy must do this instead.
 */
export function limitConnectionsPerAddress(server: Server, max: number): void {
	const open = new Map<string, number>();
	const refusing = new Set<string>();
	server.on('connection', (socket) => {
		const address = socket.remoteAddress ?? 'unknown';
		const count = open.get(address) ?? 0;
		if (count >= max) {
			// One line when an address reaches the cap, not one per refused connection.
			if (!refusing.has(address)) log('net.refused', { address, open: count, max });
			refusing.add(address);
			socket.destroy();
			return;
		}
		open.set(address, count + 1);
		socket.once('close', () => {
			const left = (open.get(address) ?? 1) - 1;
			if (left > 0) open.set(address, left);
			else open.delete(address);
			if (left < max) refusing.delete(address);
		});
	});
}
