import * as Y from 'yjs';
import {
	addMeasure,
	addProgressNote,
	createProblem,
	editDescription,
	moveProblem,
	setCoOwners,
	setMeasureDone,
	updateProblem,
	type Actor
} from '../src/lib/domain/commands.ts';
import { TIERS, type Tier } from '../src/lib/domain/model.ts';
import { problemsOf } from '../src/lib/domain/problem.ts';
import { SAMPLE_PROBLEMS } from '../server/demo/sample.ts';

/**
 * Realistic county docs for the benchmark, written with the domain operations people use (so
 * every card has a real history: created, described, assigned, measures ticked, notes added),
 * cycling through the demo's sample problems.
 */

/**
 * Every change is written as the benchmark's account (the server's administrator, `admin`): the
 * server takes a history entry only when it names the account that writes it.
 */
const OFFICE: Actor = { username: 'admin', name: 'admin' };
const START = Date.parse('2022-03-01T09:00:00+08:00');

export interface CountyFixture {
	/** The whole doc as one update (what a snapshot holds). */
	update: Uint8Array;
	ids: string[];
	cards: number;
}

/** Cards one author creates; larger boards are written by several (as happens in real use). */
const CARDS_PER_AUTHOR = 1_000;

/**
 * A county doc with `cards` problems, written by one author per 1,000 cards (each its own Y.Doc,
 * merged at the end): creating a card re-reads its column, so one author for 10,000 cards
 * would take minutes of the benchmark's budget.
 */
export function buildCountyDoc(cards: number): CountyFixture {
	const doc = new Y.Doc();
	const ids: string[] = [];
	for (let first = 0; first < cards; first += CARDS_PER_AUTHOR) {
		const author = new Y.Doc();
		ids.push(...writeCards(author, first, Math.min(cards, first + CARDS_PER_AUTHOR)));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(author));
		author.destroy();
	}
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return { update, ids, cards };
}

function writeCards(doc: Y.Doc, from: number, to: number): string[] {
	const ids: string[] = [];
	for (let i = from; i < to; i++) {
		const sample = SAMPLE_PROBLEMS[i % SAMPLE_PROBLEMS.length]!;
		const now = new Date(START + i * 60_000);
		const id = createProblem(
			doc,
			{ title: `${sample.title}（${i + 1}）`, tier: sample.tier, focus: sample.focus },
			OFFICE,
			now
		);
		ids.push(id);
		if (sample.description) editDescription(doc, id, sample.description, now);
		updateProblem(
			doc,
			id,
			{
				owner: sample.owner,
				assignee: sample.assignee,
				leader: sample.leader,
				goal: sample.goal ?? null,
				due: sample.dueInDays === null ? '' : '2022-12-31'
			},
			OFFICE,
			now
		);
		if (sample.coOwners.length) setCoOwners(doc, id, sample.coOwners, now);
		for (const [text, done] of sample.measures) {
			const measure = addMeasure(doc, id, text, now);
			if (done) setMeasureDone(doc, id, measure, true, now);
		}
		for (const note of sample.notes) addProgressNote(doc, id, note, OFFICE, now);
	}
	return ids;
}

/** A client's copy of a fixture: its own Y.Doc (own client id) that records its edits. */
export class Editor {
	readonly doc = new Y.Doc();
	readonly #ids: string[];
	readonly #name: string;
	#captured: Uint8Array[] = [];
	#seq = 0;

	constructor(fixture: CountyFixture, name: string) {
		Y.applyUpdate(this.doc, fixture.update);
		this.#ids = fixture.ids;
		this.#name = name;
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== 'remote') this.#captured.push(update);
		});
	}

	/** Drags a card to another column (a card move, as on the board); returns its update. */
	move(): Uint8Array {
		const n = this.#seq++;
		const id = this.#ids[(n * 7919) % this.#ids.length]!;
		const tier: Tier = TIERS[n % TIERS.length]!;
		return this.#capture(() => moveProblem(this.doc, id, tier, n % 5, OFFICE));
	}

	/** One of the everyday edits: a move, a reassignment, or typing into a description. */
	edit(): Uint8Array {
		const n = this.#seq;
		switch (n % 4) {
			case 0:
			case 1:
				return this.move();
			case 2: {
				this.#seq++;
				const id = this.#ids[(n * 104729) % this.#ids.length]!;
				return this.#capture(() =>
					updateProblem(this.doc, id, { assignee: `${this.#name}-${n}` }, OFFICE)
				);
			}
			default: {
				this.#seq++;
				const id = this.#ids[(n * 15485863) % this.#ids.length]!;
				const text = problemsOf(this.doc).get(id)?.get('description');
				const current = text instanceof Y.Text ? text.toString() : '';
				return this.#capture(() => editDescription(this.doc, id, `${current}进展${n}。`));
			}
		}
	}

	#capture(edit: () => void): Uint8Array {
		this.#captured = [];
		edit();
		if (this.#captured.length !== 1) {
			throw new Error(`an edit made ${this.#captured.length} updates instead of one`);
		}
		return this.#captured[0]!;
	}

	destroy(): void {
		this.doc.destroy();
	}
}
