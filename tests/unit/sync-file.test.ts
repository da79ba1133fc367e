import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createProblem } from '../../src/lib/domain/commands';
import { readProblems } from '../../src/lib/domain/problem';
import {
	AckedState,
	foreignMarkersOf,
	stillPending,
	type ChangeMarker
} from '../../src/lib/sync/pending';
import {
	decodeSyncFile,
	encodeSyncFile,
	fromBase64,
	readSyncFile,
	sha256Hex,
	SYNC_FILE_MAX_BYTES,
	SyncFileError,
	syncFileName,
	toBase64,
	type AttachmentRules,
	type SyncFileProblem
} from '../../src/lib/domain/sync-file';
import { alice, newDoc } from './support';

const by = { username: 'zhangxin', name: '张鑫' };

function fileWith(docs: unknown, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		format: 'qingdan-changes',
		version: 2,
		exportedAt: '2022-11-05T06:30:00.000Z',
		exportedBy: by,
		docs,
		attachments: [],
		...extra
	});
}

async function errorOf(text: string, rules?: AttachmentRules): Promise<SyncFileError> {
	try {
		await readSyncFile(text, rules);
	} catch (error) {
		if (error instanceof SyncFileError) return error;
		throw error;
	}
	throw new Error('the file was accepted');
}

const problemOf = async (text: string, rules?: AttachmentRules): Promise<SyncFileProblem> =>
	(await errorOf(text, rules)).problem;

describe('sync file', () => {
	test('round trip: the update read back applies to another doc', () => {
		const doc = newDoc(1);
		createProblem(doc, { title: '职工书屋缺书' }, alice);
		const text = encodeSyncFile({
			exportedAt: '2022-11-05T06:30:00.000Z',
			exportedBy: by,
			docs: [
				{ name: 'county.2022.haigang', update: Y.encodeStateAsUpdate(doc) },
				{ name: 'county.2022.shanhai', update: new Uint8Array() }
			]
		});
		const file = decodeSyncFile(text);
		expect(file.exportedBy).toEqual(by);
		expect(file.docs.map((d) => d.name)).toEqual(['county.2022.haigang']);
		const other = newDoc(2);
		Y.applyUpdate(other, file.docs[0]!.update);
		expect(readProblems(other).map((p) => p.title)).toEqual(['职工书屋缺书']);
	});

	test('base64 is strict and survives large and binary content', () => {
		const bytes = new Uint8Array(100_000).map((_, i) => (i * 37) % 256);
		expect(fromBase64(toBase64(bytes))).toEqual(bytes);
		expect(fromBase64('abc')).toBeNull();
		expect(fromBase64('ab c')).toBeNull();
		expect(fromBase64('ab==')).toEqual(new Uint8Array([105]));
		expect(fromBase64('a===')).toBeNull();
		expect(fromBase64('ab=c')).toBeNull();
		expect(fromBase64('')).toEqual(new Uint8Array());
		expect(fromBase64('YWJjé===')).toBeNull();
		// Every length's tail, against Node's own encoder.
		for (let length = 0; length < 40; length++) {
			const some = bytes.subarray(length, length * 2);
			const theirs = Buffer.from(some).toString('base64');
			expect(toBase64(some)).toBe(theirs);
			expect(fromBase64(theirs)).toEqual(some);
		}
		// Photo-sized content: the check must not overflow the stack (a repeated regex group did).
		const photo = new Uint8Array(12 * 1024 * 1024);
		for (let i = 0; i < photo.length; i++) photo[i] = (i * 131) % 251;
		const decoded = fromBase64(toBase64(photo));
		expect(decoded && Buffer.from(decoded).equals(Buffer.from(photo))).toBe(true);
		expect(fromBase64(`${toBase64(photo).slice(0, -4)}A*A=`)).toBeNull();
	});

	test('clear errors for broken, foreign and unsafe files', async () => {
		const good = toBase64(new Uint8Array([0, 0]));
		expect(await problemOf('{"format": "qingdan-changes", ')).toBe('json');
		expect(await problemOf('[]')).toBe('format');
		expect(await problemOf(JSON.stringify({ format: 'other', version: 1 }))).toBe('format');
		expect(await problemOf(fileWith([], { version: 3 }))).toBe('version');
		expect(await problemOf(fileWith([], { exportedBy: 'x' }))).toBe('author');
		expect(await problemOf(fileWith([], { exportedAt: 'yesterday' }))).toBe('author');
		expect(await problemOf(fileWith({}))).toBe('docs');
		expect(await problemOf(fileWith([{ name: '../etc/passwd', update: good }]))).toBe('doc-name');
		expect(await problemOf(fileWith([{ name: 'county.2022', update: good }]))).toBe('doc-name');
		expect(await problemOf(fileWith(['county.2022.haigang']))).toBe('doc-name');
		expect(
			await problemOf(fileWith([{ name: 'county.2022.haigang', update: 'not base64!' }]))
		).toBe('base64');
		expect(await problemOf(fileWith([{ name: 'county.2022.haigang', update: '' }]))).toBe('base64');
		expect(
			await problemOf(
				fileWith([
					{ name: 'county.2022.haigang', update: good },
					{ name: 'county.2022.haigang', update: good }
				])
			)
		).toBe('duplicate');
		expect(await problemOf('x'.repeat(SYNC_FILE_MAX_BYTES + 1))).toBe('too-large');
	});

	test('the error names the doc at fault', () => {
		try {
			decodeSyncFile(fileWith([{ name: 'county.2022.haigang', update: '%%%%' }]));
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(SyncFileError);
			expect((error as SyncFileError).doc).toBe('county.2022.haigang');
			expect((error as SyncFileError).message).toContain('county.2022.haigang');
		}
	});

	test('version 1 files, from before attachments, still import', async () => {
		const doc = newDoc(1);
		createProblem(doc, { title: '旧格式的更改' }, alice);
		const update = toBase64(Y.encodeStateAsUpdate(doc));
		const old = JSON.stringify({
			format: 'qingdan-changes',
			version: 1,
			exportedAt: '2022-11-05T06:30:00.000Z',
			exportedBy: by,
			docs: [{ name: 'county.2022.haigang', update }]
		});
		const file = await readSyncFile(old);
		expect(file.attachments).toEqual([]);
		expect(file.docs[0]!.update).toEqual(fromBase64(update));
		// A version 1 file's stray "attachments" are not read: that version had none.
		const stray = JSON.parse(old);
		stray.attachments = 'whatever';
		expect((await readSyncFile(JSON.stringify(stray))).attachments).toEqual([]);
	});

	test('file names are safe', () => {
		expect(syncFileName('zhangxin', '20221105-1430')).toBe('qingdan-zhangxin-20221105-1430.qdsync');
		expect(syncFileName('../x y', '1')).toBe('qingdan-xy-1.qdsync');
		expect(syncFileName('张', '1')).toBe('qingdan-changes-1.qdsync');
	});
});

describe('importing a file on a device', () => {
	test('the changes it brings count as unsynced until the server has them', () => {
		const author = newDoc(1);
		createProblem(author, { title: '职工书屋缺书' }, alice);
		const file = decodeSyncFile(
			encodeSyncFile({
				exportedAt: '2022-11-05T06:30:00.000Z',
				exportedBy: by,
				docs: [{ name: 'county.2022.haigang', update: Y.encodeStateAsUpdate(author) }]
			})
		);
		const device = newDoc(2);
		const markers: ChangeMarker[] = [];
		device.on('afterTransaction', (tr: Y.Transaction) => markers.push(...foreignMarkersOf(tr)));
		const apply = () => device.transact(() => Y.applyUpdate(device, file.docs[0]!.update), 'file');
		apply();
		expect(markers).toEqual([{ client: 1, clock: Y.getState(author.store, 1), deletes: [] }]);

		const server = newDoc(3);
		expect(stillPending(markers, new AckedState(Y.snapshot(server)))).toHaveLength(1);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
		expect(stillPending(markers, new AckedState(Y.snapshot(server)))).toEqual([]);

		// The same file again brings nothing: no new markers.
		apply();
		expect(markers).toHaveLength(1);
	});
});

describe('attachments in a sync file', () => {
	const HAIGANG = 'county.2022.haigang';
	const PHOTO = new Uint8Array(5000).map((_, i) => (i * 31 + 7) % 256);
	const docs = [{ name: HAIGANG, update: new Uint8Array([0, 0]) }];

	async function photo(overrides: Record<string, unknown> = {}) {
		return {
			sha256: await sha256Hex(PHOTO),
			doc: HAIGANG,
			name: '维修后.png',
			type: 'image/png',
			size: PHOTO.byteLength,
			data: toBase64(PHOTO),
			...overrides
		};
	}

	const withAttachments = (attachments: unknown) =>
		fileWith([{ name: HAIGANG, update: toBase64(new Uint8Array([0, 0])) }], { attachments });

	test('round trip: the bytes, hash, name, type and doc come back as written', async () => {
		const sha256 = await sha256Hex(PHOTO);
		expect(sha256).toMatch(/^[0-9a-f]{64}$/);
		const text = encodeSyncFile({
			exportedAt: '2022-11-05T06:30:00.000Z',
			exportedBy: by,
			docs,
			attachments: [
				{ sha256, doc: HAIGANG, name: '维修后.png', type: 'image/png', size: 5000, data: PHOTO }
			]
		});
		expect(JSON.parse(text).version).toBe(2);
		const file = await readSyncFile(text);
		expect(file.attachments).toEqual([
			{ sha256, doc: HAIGANG, name: '维修后.png', type: 'image/png', size: 5000, data: PHOTO }
		]);
	});

	test('an attachment of a doc left out of the file is left out too', async () => {
		const text = encodeSyncFile({
			exportedAt: '2022-11-05T06:30:00.000Z',
			exportedBy: by,
			docs: [{ name: HAIGANG, update: new Uint8Array() }],
			attachments: [
				{
					sha256: await sha256Hex(PHOTO),
					doc: HAIGANG,
					name: 'a.png',
					type: 'image/png',
					size: 5000,
					data: PHOTO
				}
			]
		});
		expect(JSON.parse(text).attachments).toEqual([]);
	});

	test('each bad attachment refuses the file, naming the attachment and why', async () => {
		const other = new Uint8Array([1, 2, 3]);
		const cases: [unknown, SyncFileProblem, string][] = [
			['not a list', 'attachments', 'attachments'],
			[[await photo({ sha256: 'ABC' })], 'attachment', 'SHA-256'],
			[[await photo({ sha256: (await sha256Hex(PHOTO)).toUpperCase() })], 'attachment', 'hex'],
			[[await photo({ name: '' })], 'attachment', 'name'],
			[[await photo({ name: 'a\nb.png' })], 'attachment', 'control'],
			[[await photo({ name: 'x'.repeat(201) })], 'attachment', 'too long'],
			[[await photo(), await photo()], 'attachment', 'twice'],
			[[await photo({ doc: 'county.2022.qinglong' })], 'attachment-doc', 'county.2022.qinglong'],
			[[await photo({ doc: undefined })], 'attachment-doc', 'not in the file'],
			[[await photo({ type: 'image/png; x=1' })], 'attachment-type', 'image/png; x=1'],
			[[await photo({ type: 42 })], 'attachment-type', 'not accepted'],
			[[await photo({ size: -1 })], 'attachment', 'size'],
			[[await photo({ size: '5000' })], 'attachment', 'size'],
			[[await photo({ size: 4999 })], 'attachment-size', '5000 bytes, not 4999'],
			[[await photo({ data: 'not base64!' })], 'attachment', 'base64'],
			[[await photo({ data: undefined })], 'attachment', 'base64'],
			// The right size and a well-formed hash, but of other bytes: altered on the way.
			[
				[await photo({ data: toBase64(other), size: 3 })],
				'attachment-hash',
				'does not match its SHA-256'
			]
		];
		for (const [attachments, problem, why] of cases) {
			const error = await errorOf(withAttachments(attachments));
			const label = JSON.stringify(attachments).slice(0, 80);
			expect(error.problem, label).toBe(problem);
			expect(error.message, label).toContain(why);
			if (problem !== 'attachments') expect(error.attachment, label).not.toBe('');
		}
		const named = await errorOf(withAttachments([await photo({ size: 4999 })]));
		expect(named.attachment).toBe('维修后.png');
		expect(named.message).toContain('维修后.png');
	});

	test("the importer's own limits: size and media types", async () => {
		const strict: AttachmentRules = { maxBytes: 4096, acceptsType: (t) => t === 'image/png' };
		const big = await errorOf(withAttachments([await photo()]), strict);
		expect(big.problem).toBe('attachment-size');
		expect(big.message).toContain('at most 4096');
		const pdfOnly: AttachmentRules = {
			maxBytes: 1 << 20,
			acceptsType: (t) => t === 'application/pdf'
		};
		expect(await problemOf(withAttachments([await photo()]), pdfOnly)).toBe('attachment-type');
		const file = await readSyncFile(withAttachments([await photo()]), {
			maxBytes: 5000,
			acceptsType: (t) => t === 'image/png'
		});
		expect(file.attachments).toHaveLength(1);
	});
});
