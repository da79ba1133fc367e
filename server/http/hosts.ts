import type { IncomingMessage } from 'node:http';

/** Names a browser uses for this machine itself; a rebinding attacker's name is none of them. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A Host header: a DNS name or IPv4 address, or a bracketed IPv6 address, and a port. */
const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Why a request was refused for its Host, in both languages (shown as it is). */
export const WRONG_HOST_MESSAGE =
	'此服务器不接受发往该地址的请求，请使用管理员公布的网址。 ' +
	'This server does not answer requests addressed to that host name; use the address your administrator published.';

/**
 * Which `Host` a request may name. A page on another site can make the browser send requests
 * to this server under that site's name (DNS rebinding) — same-origin for the browser, so the
 * Origin checks pass; only the Host header tells. With `PUBLIC_URL` set, its host and port are
 * the only name served; without it, only loopback names (any port).
 */
export class AllowedHosts {
	readonly #publicUrl: URL | null;

	constructor(publicUrl: URL | null) {
		this.#publicUrl = publicUrl;
	}

	allows(req: IncomingMessage): boolean {
		const host = req.headers.host;
		if (!host || !HOST_HEADER.test(host)) return false;
		const publicUrl = this.#publicUrl;
		if (publicUrl) {
			// Parsed with the public scheme, so `example.org:443` equals `https://example.org`.
			return new URL(`${publicUrl.protocol}//${host}`).host === publicUrl.host;
		}
		return LOOPBACK_NAMES.has(new URL(`http://${host}`).hostname);
	}

	/** PUBLIC_URL's origin, the only one same-site requests carry; null when it is not set. */
	get publicOrigin(): string | null {
		return this.#publicUrl?.origin ?? null;
	}
}
