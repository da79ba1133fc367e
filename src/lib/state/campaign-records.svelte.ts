import * as Y from 'yjs';
import {
	addIndicator,
	INDICATORS,
	readIndicators,
	removeIndicator,
	setCountyActual,
	updateIndicator,
	type Indicator,
	type IndicatorInput
} from '$lib/domain/indicators';
import {
	addMember,
	MEMBERS,
	readMembers,
	removeMember,
	updateMember,
	type Member,
	type MemberInput
} from '$lib/domain/members';
import {
	addMilestone,
	MILESTONES,
	readMilestones,
	removeMilestone,
	upcomingMilestones,
	updateMilestone,
	type Milestone,
	type MilestoneInput
} from '$lib/domain/milestones';
import type { Actor } from '$lib/domain/mutate';
import {
	createPractice,
	editPracticeDescription,
	PRACTICES,
	readPractices,
	removePractice,
	setPracticeProblems,
	setPracticeTags,
	updatePractice,
	type NewPractice,
	type Practice,
	type PracticeFields
} from '$lib/domain/practices';
import {
	createRecommendation,
	editRecommendationSummary,
	readRecommendations,
	RECOMMENDATIONS,
	removeRecommendation,
	setRecommendationCounties,
	setRecommendationProblems,
	updateRecommendation,
	type NewRecommendation,
	type Recommendation,
	type RecommendationFields
} from '$lib/domain/recommendations';
import { recordsOf } from '$lib/domain/records';
import type { DocHandle } from '$lib/sync/doc-handle.svelte';

/**
 * One root map of the campaign doc (members, indicators, …) as reactive state: read again as a
 * whole whenever something inside it changes. These maps hold tens of entries, not thousands.
 */
abstract class RecordsState<T> {
	readonly handle: DocHandle;
	#items = $state.raw<T[]>([]);
	readonly #map: Y.Map<unknown>;
	readonly #read: (doc: Y.Doc) => T[];
	readonly #observer = () => (this.#items = this.#read(this.handle.doc));

	constructor(handle: DocHandle, name: string, read: (doc: Y.Doc) => T[]) {
		this.handle = handle;
		this.#read = read;
		this.#map = handle.doc.getMap(name);
		this.#items = read(handle.doc);
		this.#map.observeDeep(this.#observer);
	}

	get items(): T[] {
		return this.#items;
	}

	protected get doc(): Y.Doc {
		return this.handle.doc;
	}

	destroy() {
		this.#map.unobserveDeep(this.#observer);
	}
}

/** A record's Y.Text field, or null while it has none (the first edit creates it). */
function sharedText(doc: Y.Doc, name: string, id: string, key: string): Y.Text | null {
	const map = recordsOf(doc, name).get(id);
	const text = map instanceof Y.Map ? map.get(key) : null;
	return text instanceof Y.Text ? text : null;
}

/** The leadership group (领导小组). */
export class MembersState extends RecordsState<Member> {
	constructor(handle: DocHandle) {
		super(handle, MEMBERS, readMembers);
	}
	add = (input: MemberInput) => addMember(this.doc, input);
	update = (id: string, patch: Partial<MemberInput>) => updateMember(this.doc, id, patch);
	remove = (id: string) => removeMember(this.doc, id);
}

/** Indicators (指标) with each county's actual value. */
export class IndicatorsState extends RecordsState<Indicator> {
	constructor(handle: DocHandle) {
		super(handle, INDICATORS, readIndicators);
	}
	add = (input: IndicatorInput) => addIndicator(this.doc, input);
	update = (id: string, patch: Partial<IndicatorInput>) => updateIndicator(this.doc, id, patch);
	remove = (id: string) => removeIndicator(this.doc, id);
	setActual = (
		id: string,
		county: string,
		value: { actual: number | null; evidence: string },
		actor: Actor
	) => setCountyActual(this.doc, id, county, value, actor);
}

/** The campaign calendar. */
export class MilestonesState extends RecordsState<Milestone> {
	constructor(handle: DocHandle) {
		super(handle, MILESTONES, readMilestones);
	}
	upcoming(today: string, county: string | null = null): Milestone[] {
		return upcomingMilestones(this.items, today, county);
	}
	add = (input: MilestoneInput) => addMilestone(this.doc, input);
	update = (id: string, patch: Partial<MilestoneInput>) => updateMilestone(this.doc, id, patch);
	remove = (id: string) => removeMilestone(this.doc, id);
}

/** Good practices (好经验好做法). */
export class PracticesState extends RecordsState<Practice> {
	constructor(handle: DocHandle) {
		super(handle, PRACTICES, readPractices);
	}
	/** The shared description of a practice, for the collaborative text field. */
	description(id: string): Y.Text | null {
		return sharedText(this.doc, PRACTICES, id, 'description');
	}
	create = (input: NewPractice, actor: Actor) => createPractice(this.doc, input, actor);
	update = (id: string, patch: Partial<PracticeFields>) => updatePractice(this.doc, id, patch);
	editDescription = (id: string, next: string) => editPracticeDescription(this.doc, id, next);
	setTags = (id: string, tags: string[]) => setPracticeTags(this.doc, id, tags);
	setProblems = (id: string, ids: string[]) => setPracticeProblems(this.doc, id, ids);
	remove = (id: string) => removePractice(this.doc, id);
}

/** Policy recommendations (对策建议). */
export class RecommendationsState extends RecordsState<Recommendation> {
	constructor(handle: DocHandle) {
		super(handle, RECOMMENDATIONS, readRecommendations);
	}
	summary(id: string): Y.Text | null {
		return sharedText(this.doc, RECOMMENDATIONS, id, 'summary');
	}
	create = (input: NewRecommendation, actor: Actor) => createRecommendation(this.doc, input, actor);
	update = (id: string, patch: Partial<RecommendationFields>) =>
		updateRecommendation(this.doc, id, patch);
	editSummary = (id: string, next: string) => editRecommendationSummary(this.doc, id, next);
	setCounties = (id: string, counties: string[]) =>
		setRecommendationCounties(this.doc, id, counties);
	setProblems = (id: string, county: string, problemIds: string[]) =>
		setRecommendationProblems(this.doc, id, county, problemIds);
	remove = (id: string) => removeRecommendation(this.doc, id);
}
