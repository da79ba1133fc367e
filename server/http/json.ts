import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiErrorCode, ApiErrorParams } from '../../src/lib/domain/error-codes.ts';

/** The largest JSON body the API reads. */
export const MAX_JSON_BYTES = 64 * 1024;

/**
 * An error answered as `{"error": <plain English>, "code", "params"?}`: the code (from
 * src/lib/domain/error-codes.ts) and its params are what the app words in the person's language.
 */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: ApiErrorCode,
		message: string,
		readonly headers: OutgoingHttpHeaders = {},
		readonly params?: ApiErrorParams
	) {
		super(message);
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: OutgoingHttpHeaders = {}
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...headers,
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store'
	});
	res.end(text);
}

export function sendEmpty(
	res: ServerResponse,
	status: number,
	headers: OutgoingHttpHeaders = {}
): void {
	res.writeHead(status, { ...headers, 'Cache-Control': 'no-store' });
	res.end();
}

export function sendError(res: ServerResponse, error: HttpError): void {
	const { message, code, params } = error;
	sendJson(
		res,
		error.status,
		params ? { error: message, code, params } : { error: message, code },
		error.headers
	);
}

/** Reads a JSON object body of at most MAX_JSON_BYTES. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
	const declared = Number(req.headers['content-length']);
	if (declared > MAX_JSON_BYTES) throw tooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.byteLength;
		if (size > MAX_JSON_BYTES) throw tooLarge();
		chunks.push(chunk);
	}
	let body: unknown;
	try {
		body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'bad_json', 'The request body is not valid JSON.');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new HttpError(400, 'bad_json', 'The request body must be a JSON object.');
	}
	return body as Record<string, unknown>;
}

const tooLarge = () =>
	new HttpError(
		413,
		'too_large',
		`The request body is larger than ${MAX_JSON_BYTES} bytes.`,
		{ Connection: 'close' },
		{ maxBytes: MAX_JSON_BYTES }
	);
