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
	SyncFileError,
	syncFileName,
	toBase64,
	type SyncFileProblem
} from '../../src/lib/domain/sync-file';
import { alice, newDoc } from './support';

const by = { username: 'zhangxin', name: '张鑫' };

function fileWith(docs: unknown, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		format: 'qingdan-changes',
		version: 1,
		exportedAt: '2022-11-05T06:30:00.000Z',
		exportedBy: by,
		docs,
		...extra
	});
}

function problemOf(text: string): SyncFileProblem {
	try {
		decodeSyncFile(text);
	} catch (error) {
		if (error instanceof SyncFileError) return error.problem;
		throw error;
	}
	throw new Error('the file was accepted');
}

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
	});

	test('clear errors for broken, foreign and unsafe files', () => {
		const good = toBase64(new Uint8Array([0, 0]));
		expect(problemOf('{"format": "qingdan-changes", ')).toBe('json');
		expect(problemOf('[]')).toBe('format');
		expect(problemOf(JSON.stringify({ format: 'other', version: 1 }))).toBe('format');
		expect(problemOf(fileWith([], { version: 2 }))).toBe('version');
		expect(problemOf(fileWith([], { exportedBy: 'x' }))).toBe('author');
		expect(problemOf(fileWith([], { exportedAt: 'yesterday' }))).toBe('author');
		expect(problemOf(fileWith({}))).toBe('docs');
		expect(problemOf(fileWith([{ name: '../etc/passwd', update: good }]))).toBe('doc-name');
		expect(problemOf(fileWith([{ name: 'county.2022', update: good }]))).toBe('doc-name');
		expect(problemOf(fileWith(['county.2022.haigang']))).toBe('doc-name');
		expect(problemOf(fileWith([{ name: 'county.2022.haigang', update: 'not base64!' }]))).toBe(
			'base64'
		);
		expect(problemOf(fileWith([{ name: 'county.2022.haigang', update: '' }]))).toBe('base64');
		expect(
			problemOf(
				fileWith([
					{ name: 'county.2022.haigang', update: good },
					{ name: 'county.2022.haigang', update: good }
				])
			)
		).toBe('duplicate');
		expect(problemOf('x'.repeat(16 * 1024 * 1024 + 1))).toBe('too-large');
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
