import { mergeSummaries, summarizeAway, type AwayStates, type AwaySummary } from '$lib/domain/away';

/** What others changed on one board while this device was apart, until the person dismisses it. */
export interface AwayReport {
	doc: string;
	summary: AwaySummary;
	/** Shown on the board; a hidden report stays reachable from the sync indicator. */
	open: boolean;
}

class AwayReports {
	#reports = $state.raw<AwayReport[]>([]);

	get all(): readonly AwayReport[] {
		return this.#reports;
	}

	forDoc(doc: string): AwayReport | undefined {
		return this.#reports.find((r) => r.doc === doc);
	}

	/** Adds what one catch-up brought to the doc's report (a report not yet dismissed grows). */
	report(doc: string, states: AwayStates) {
		const summary = summarizeAway(states);
		if (summary.others.length === 0 && summary.conflicts.length === 0) return;
		const earlier = this.forDoc(doc);
		const next = {
			doc,
			summary: earlier ? mergeSummaries(earlier.summary, summary) : summary,
			open: true
		};
		this.#reports = [...this.#reports.filter((r) => r.doc !== doc), next];
	}

	#set(doc: string, open: boolean) {
		this.#reports = this.#reports.map((r) => (r.doc === doc ? { ...r, open } : r));
	}

	show(doc: string) {
		this.#set(doc, true);
	}

	hide(doc: string) {
		this.#set(doc, false);
	}

	dismiss(doc: string) {
		this.#reports = this.#reports.filter((r) => r.doc !== doc);
	}
}

export const away = new AwayReports();
