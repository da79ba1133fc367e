import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { checkStateVector, checkUpdate } from '../../server/sync/update-check.ts';
import { dice, seeded } from '../faults/scenarios/random.ts';

/** Every kind of update Yjs writes: all content types, deletions, merged and full-state updates. */
function realUpdates(): Uint8Array[] {
	const d = dice(seeded(7));
	const docs = [new Y.Doc(), new Y.Doc()];
	const updates: Uint8Array[] = [];
	for (const doc of docs) doc.on('update', (u: Uint8Array) => updates.push(u));
	for (let i = 0; i < 600; i++) {
		const doc = docs[i % 2]!;
		const problems = doc.getMap<unknown>('problems');
		switch (d.int(9)) {
			case 0:
				problems.set(`k${i}`, {
					nested: [1, 2.5, -3, 2 ** 40, null, true, { deep: ['x'] }],
					bytes: new Uint8Array([1, 2, 3]),
					text: '职工😀'
				});
				break;
			case 1: {
				const text = new Y.Text('标题 hello');
				problems.set(`t${i}`, text);
				text.format(0, 2, { bold: true });
				text.insertEmbed(1, { image: 'x.png' });
				text.delete(3, 2);
				break;
			}
			case 2: {
				const list = new Y.Array<unknown>();
				problems.set(`a${i}`, list);
				list.push([1, 'two', new Uint8Array(2), new Y.Map()]);
				list.delete(0, 1);
				break;
			}
			case 3: {
				const element = new Y.XmlElement('p');
				doc.getXmlFragment('xml').insert(0, [element, new Y.XmlText('x')]);
				element.setAttribute('class', 'c');
				problems.set(`hook${i}`, new Y.XmlHook('h'));
				break;
			}
			case 4: {
				const keys = [...problems.keys()];
				if (keys.length) problems.delete(d.pick(keys));
				break;
			}
			case 5:
				Y.applyUpdate(docs[1 - (i % 2)]!, Y.encodeStateAsUpdate(doc));
				break;
			case 6:
				problems.set('empty', '');
				problems.set('object', {});
				problems.set('list', []);
				break;
			default: {
				const text = doc.getText('notes');
				text.insert(d.int(text.length + 1), '建会入会');
				if (text.length > 8) text.delete(d.int(text.length - 4), 3);
			}
		}
	}
	updates.push(Y.encodeStateAsUpdate(docs[0]!), Y.encodeStateAsUpdate(docs[1]!));
	updates.push(Y.mergeUpdates(updates.slice(0, 200)), Y.encodeStateAsUpdate(new Y.Doc()));
	return updates;
}

/** An update with one legacy JSON item (content ref 2), as old Yjs versions wrote. */
function jsonContentUpdate(values: string[]): Uint8Array {
	const e = encoding.createEncoder();
	for (const n of [1, 1, 42, 0]) encoding.writeVarUint(e, n); // 1 client, 1 struct, id 42, clock 0
	encoding.writeUint8(e, 2); // info: ContentJSON, no origins
	encoding.writeVarUint(e, 1); // parent is a root type, by name
	encoding.writeVarString(e, 'legacy');
	encoding.writeVarUint(e, values.length);
	for (const value of values) encoding.writeVarString(e, value);
	encoding.writeVarUint(e, 0); // empty delete set
	return encoding.toUint8Array(e);
}

function bytes(...values: number[]): Uint8Array {
	const e = encoding.createEncoder();
	for (const value of values) encoding.writeVarUint(e, value);
	return encoding.toUint8Array(e);
}

const rejected = (update: Uint8Array) => {
	try {
		checkUpdate(update);
		return null;
	} catch (error) {
		return (error as Error).message;
	}
};

describe('checkUpdate', () => {
	const updates = realUpdates();

	it('accepts every update Yjs writes', () => {
		expect(updates.length).toBeGreaterThan(500);
		for (const update of updates) expect(rejected(update)).toBeNull();
		expect(rejected(jsonContentUpdate(['{"a":1}', 'undefined', '[1,2]']))).toBeNull();
		Y.applyUpdate(new Y.Doc(), jsonContentUpdate(['{"a":1}', 'undefined']));
	});

	it('rejects every strict prefix of a real update', () => {
		const update = Y.encodeStateAsUpdate(new Y.Doc());
		const big = updates.at(-3)!;
		for (const source of [update, big]) {
			for (let end = 0; end < source.length; end += Math.max(1, source.length >> 9)) {
				expect(rejected(source.subarray(0, end)), `prefix of ${end} bytes`).not.toBeNull();
			}
		}
	});

	it('rejects counts that claim more than the message holds, before any allocation', () => {
		for (const count of [27_000_000, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
			expect(rejected(bytes(1, count, 7, 0))).toMatch(/count larger than the message/);
			expect(rejected(bytes(count, 1, 7, 0))).toMatch(/count larger than the message/);
		}
		expect(rejected(bytes(0, 5_000_000, 1, 2))).toMatch(/count larger/);
	});

	it('rejects empty, trailing, overlong, unknown and unsupported input', () => {
		const valid = Y.encodeStateAsUpdate(new Y.Doc());
		expect(rejected(new Uint8Array())).toMatch(/empty/);
		expect(rejected(new Uint8Array([...valid, 0]))).toMatch(/trailing/);
		expect(
			rejected(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
		).toMatch(/too long|out of range/);
		// A struct with content ref 11 (none exists), a type ref 9 (none exists), a subdocument.
		for (const [info, tail, reason] of [
			[11, [], /unknown content/],
			[7, [9], /unknown type/],
			[9, [], /subdocuments/]
		] as const) {
			const e = encoding.createEncoder();
			for (const n of [1, 1, 5, 0]) encoding.writeVarUint(e, n);
			encoding.writeUint8(e, info);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, 'root');
			for (const n of tail) encoding.writeVarUint(e, n);
			encoding.writeVarString(e, 'guid');
			encoding.writeVarUint(e, 0);
			expect(rejected(encoding.toUint8Array(e))).toMatch(reason);
		}
		expect(rejected(jsonContentUpdate(['{not json']))).toMatch(/invalid JSON/);
	});

	it('bounds nesting of values and the range of clocks', () => {
		const nested = (depth: number) => {
			const e = encoding.createEncoder();
			for (const n of [1, 1, 5, 0]) encoding.writeVarUint(e, n);
			encoding.writeUint8(e, 8); // ContentAny
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, 'root');
			encoding.writeVarUint(e, 1);
			for (let i = 0; i < depth; i++) {
				encoding.writeUint8(e, 117); // an array of one item
				encoding.writeVarUint(e, 1);
			}
			encoding.writeUint8(e, 126);
			encoding.writeVarUint(e, 0);
			return encoding.toUint8Array(e);
		};
		expect(rejected(nested(10))).toBeNull();
		expect(rejected(nested(100_000))).toMatch(/nested too deeply/);
		expect(rejected(bytes(1, 1, 5, 2 ** 50, 0, 1, 0))).toMatch(/clock out of range/);
		expect(rejected(bytes(0, 1, 5, 1, 2 ** 49, 1))).toMatch(/out of range/);
	});

	it('takes time linear in the message, whatever it claims', () => {
		const junk = new Uint8Array(16 * 1024 * 1024).fill(0xff);
		const text = new Y.Doc();
		text.getText('t').insert(0, 'x'.repeat(4 * 1024 * 1024));
		const large = Y.encodeStateAsUpdate(text);
		for (const input of [junk, large]) {
			const started = performance.now();
			rejected(input);
			expect(performance.now() - started).toBeLessThan(200);
		}
	});

	it('accepts only what Yjs itself can read (differential fuzz against Y.decodeUpdate)', () => {
		const d = dice(seeded(11));
		let accepted = 0;
		for (let n = 0; n < 20_000; n++) {
			const source = d.pick(updates);
			const mutated = source.slice();
			for (let i = 1 + d.int(3); i > 0; i--) mutated[d.int(mutated.length)] = d.int(256);
			const input = d.rand() < 0.2 ? mutated.subarray(0, d.int(mutated.length)) : mutated;
			if (rejected(input) !== null) continue;
			accepted++;
			expect(
				() => Y.decodeUpdate(input),
				`input ${Buffer.from(input).toString('hex')}`
			).not.toThrow();
		}
		expect(accepted).toBeGreaterThan(100);
	});
});

describe('checkStateVector', () => {
	it('accepts real state vectors and rejects bombs, truncation and trailing bytes', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 1);
		for (const sv of [Y.encodeStateVector(doc), Y.encodeStateVector(new Y.Doc())]) {
			expect(() => checkStateVector(sv)).not.toThrow();
			expect(() => checkStateVector(new Uint8Array([...sv, 1]))).toThrow(/trailing/);
		}
		expect(() => checkStateVector(bytes(2 ** 40, 1, 1))).toThrow(/count larger/);
		expect(() => checkStateVector(new Uint8Array([2, 5]))).toThrow();
		expect(() => checkStateVector(new Uint8Array())).toThrow();
	});
});
