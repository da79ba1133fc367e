/** JSON with object keys sorted, so two docs that hold the same value give the same text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => {
		if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
			return Object.fromEntries(
				Object.keys(v as object)
					.sort()
					.map((k) => [k, (v as Record<string, unknown>)[k]])
			);
		}
		if (v instanceof Uint8Array) return Array.from(v);
		return v;
	});
}
