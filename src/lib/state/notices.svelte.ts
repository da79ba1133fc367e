/** Short messages for everyone: a toast with an optional action, and a screen-reader announcement. */
export interface Toast {
	id: number;
	text: string;
	action?: { label: string; run: () => void };
}

class Notices {
	#toasts = $state.raw<Toast[]>([]);
	#announcement = $state('');
	#next = 1;

	get toasts() {
		return this.#toasts;
	}

	get announcement() {
		return this.#announcement;
	}

	toast(text: string, action?: Toast['action'], ms = 8_000) {
		const id = this.#next++;
		this.#toasts = [...this.#toasts, { id, text, action }];
		setTimeout(() => this.dismiss(id), ms);
		this.announce(text);
	}

	dismiss(id: number) {
		this.#toasts = this.#toasts.filter((t) => t.id !== id);
	}

	/** Says something to screen readers through the polite live region. */
	announce(text: string) {
		// Clearing first makes a repeated message be read again.
		this.#announcement = '';
		queueMicrotask(() => (this.#announcement = text));
	}
}

export const notices = new Notices();
