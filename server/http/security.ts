import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * True when the request carries an `Origin` that is not this server: not `publicOrigin` (from
 * PUBLIC_URL) when given, else not the Host header's. Requests without `Origin` (curl, the CLI,
 * same-origin GETs) pass.
 */
export function isCrossOrigin(req: IncomingMessage, publicOrigin: string | null = null): boolean {
	const origin = req.headers.origin;
	if (origin === undefined) return false;
	if (publicOrigin !== null) return origin !== publicOrigin;
	const host = req.headers.host;
	if (!host) return true;
	try {
		const from = new URL(origin);
		if (from.protocol !== 'http:' && from.protocol !== 'https:') return true;
		return new URL(`${from.protocol}//${host}`).host !== from.host;
	} catch {
		return true;
	}
}

/** The Content-Security-Policy, allowing the app's own inline scripts by hash. */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
	const scripts = ["'self'", ...scriptHashes.map((hash) => `'sha256-${hash}'`)].join(' ');
	return [
		"default-src 'self'",
		`script-src ${scripts}`,
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		// 'self' covers the same host's ws: and wss: (CSP Level 3), and nothing else.
		"connect-src 'self'",
		"worker-src 'self'",
		"manifest-src 'self'",
		"frame-ancestors 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"object-src 'none'"
	].join('; ');
}

/** Headers every response carries, API and static alike (and WebSocket refusals). */
export function securityHeaders(csp: string): Record<string, string> {
	return {
		'Content-Security-Policy': csp,
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'same-origin',
		'X-Frame-Options': 'DENY'
	};
}

export function setSecurityHeaders(res: ServerResponse, csp: string): void {
	for (const [name, value] of Object.entries(securityHeaders(csp))) res.setHeader(name, value);
}
