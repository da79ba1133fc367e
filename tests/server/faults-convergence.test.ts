import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addMeasure,
	createProblem,
	deleteProblem,
	moveProblem,
	updateProblem,
	type Actor
} from '../../src/lib/domain/commands.ts';
import { readProblem, problemsOf } from '../../src/lib/domain/problem.ts';
import { boardState, expectConverged, expectSoundBoard } from '../faults/scenarios/board.ts';
import { TrackedClient } from '../faults/scenarios/tracked-client.ts';
import { TestServer, waitFor } from './harness.ts';

const DOC = 'county.2022.funing';
// All three write through the administrator's sessions, so their history entries name it (the
// server refuses entries in another name).
const people: Actor[] = [
	{ username: 'admin', name: 'admin', role: 'admin' },
	{ username: 'admin', name: 'admin', role: 'admin' },
	{ username: 'admin', name: 'admin', role: 'admin' }
];
const ORDERS = [
	[0, 1, 2],
	[0, 2, 1],
	[1, 0, 2],
	[1, 2, 0],
	[2, 0, 1],
	[2, 1, 0]
];

let server: TestServer;
let clients: TrackedClient[];

beforeAll(async () => {
	server = await TestServer.start();
	const cookie = await server.adminCookie();
	clients = people.map(() => new TrackedClient(server, DOC, cookie));
	await waitFor(() => clients.every((c) => c.synced), { what: 'three clients to sync' });
});
afterAll(async () => {
	for (const client of clients) client.destroy();
	await server?.dispose();
});

const settled = () =>
	waitFor(() => clients.every((c) => c.synced && c.pendingCount === 0), { what: 'all saved' });

// Guarantee 5, through the real server: three clients go offline, all change the same card, and
// come back one by one, in every order.
describe('three offline clients change the same card', () => {
	it.each(ORDERS)(
		'reconnecting in the order %i, %i, %i: one state, a sound board',
		async (...order) => {
			const where = `order ${order.join(',')}`;
			const [a, b, c] = clients as [TrackedClient, TrackedClient, TrackedClient];
			const card = createProblem(
				a.doc,
				{ title: `卡片 ${where}`, tier: 'union-system' },
				people[0]!
			);
			createProblem(a.doc, { title: `邻居 ${where}`, tier: 'party-gov' }, people[0]!);
			await waitFor(() => clients.every((t) => problemsOf(t.doc).has(card)), { what: 'the card' });
			await settled();
			for (const client of clients) client.provider.disconnect();

			// A renames it, adds a measure and a new card at the end of its column.
			updateProblem(a.doc, card, { title: `改名 ${where}`, status: 'in-progress' }, people[0]!);
			addMeasure(a.doc, card, '甲的举措');
			createProblem(a.doc, { title: `甲新增 ${where}`, tier: 'county-self' }, people[0]!);
			// B moves it to the top of another column and adds a measure.
			moveProblem(b.doc, card, 'party-gov', 0, people[1]!);
			addMeasure(b.doc, card, '乙的举措');
			createProblem(b.doc, { title: `乙新增 ${where}`, tier: 'county-self' }, people[1]!);
			// C moves it elsewhere, adds a measure, then deletes it.
			moveProblem(c.doc, card, 'county-self', 0, people[2]!);
			addMeasure(c.doc, card, '丙的举措');
			deleteProblem(c.doc, card, people[2]!);
			createProblem(c.doc, { title: `丙新增 ${where}`, tier: 'county-self' }, people[2]!);

			for (const i of order) {
				const client = clients[i]!;
				client.provider.connect();
				await waitFor(() => client.synced && client.pendingCount === 0, {
					what: `${where}: client ${i} to be saved`
				});
			}
			await waitFor(() => new Set(clients.map((t) => boardState(t.doc))).size === 1, {
				what: `${where}: convergence`
			});
			const docs = clients.map((t) => t.doc);
			expectConverged(docs, where);
			for (const doc of docs) expectSoundBoard(doc, where);
			const merged = readProblem(card, problemsOf(a.doc).get(card)!);
			expect(merged.deleted, where).toBe(true);
			expect(merged.title, where).toBe(`改名 ${where}`);
			expect(merged.measures.map((m) => m.text).sort(), where).toEqual([
				'丙的举措',
				'乙的举措',
				'甲的举措'
			]);
		}
	);
});
