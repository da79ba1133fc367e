// The floor of row 6 (bench/rows/browser.ts): the least a page can do to open a board from
// IndexedDB — the same doc name with y-indexeddb into a bare Y.Doc, until `synced`. Bundled by
// the benchmark with esbuild and served at /__bench/floor.html, the app's own origin.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';

const name = new URLSearchParams(location.search).get('doc') ?? '';
const doc = new Y.Doc();
const local = new IndexeddbPersistence(name, doc);
local.on('synced', () => {
	window.__benchDone = performance.now();
	document.title = `synced ${doc.getMap('problems').size}`;
});

declare global {
	interface Window {
		__benchDone?: number;
	}
}
