// Hocuspocus as a user would start it: `new Server(config).listen()`, its defaults otherwise
// (debounce 2 s, unload when the last client leaves), no extensions and so no persistence. Only
// the address is pinned to loopback, the port left to the OS and the start banner turned off.
import { Server } from '@hocuspocus/server';

const server = new Server({
	address: '127.0.0.1',
	port: Number(process.env.PORT ?? 0),
	quiet: true,
	stopOnSignals: true
});
await server.listen();
console.log(`listening ${server.address.port}`);
