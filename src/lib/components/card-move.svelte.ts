import { on } from 'svelte/events';
import type { Tier } from '$lib/domain/model';
import type { Placement } from '$lib/domain/navigation';

/** Mouse and pen drags start once the pointer has travelled this far (px). */
const DRAG_DISTANCE = 5;
/** A finger starts a drag by resting on a card this long (ms)… */
const LONG_PRESS_MS = 350;
/** …without moving further than this (px); moving sooner is a scroll. */
const TOUCH_SLOP = 10;
/** Near this distance from a scrolling edge (px) the board scrolls by itself. */
const EDGE = 48;
const MAX_SCROLL_STEP = 18;

/**
 * Moving a card by pointer or keyboard: which card travels and where it would land. One pointer
 * implementation serves mouse, pen and touch (HTML5 drag and drop does not work with fingers):
 * a mouse drags after a few pixels, a finger after a long press; near an edge the board scrolls.
 * The landing place is counted among the other cards of a column, as `moveProblem` expects.
 */
export class CardMove {
	#carrying = $state<string | null>(null);
	#target = $state<Placement | null>(null);
	#ondrop: (id: string, target: Placement) => void;
	#stopPointer: (() => void) | null = null;

	constructor(ondrop: (id: string, target: Placement) => void) {
		this.#ondrop = ondrop;
	}

	/** The card being dragged or carried, if any. */
	get carrying() {
		return this.#carrying;
	}

	/** Where the card would land if dropped now. */
	get target() {
		return this.#target;
	}

	/**
	 * Attach to the element around the columns: while a finger drags a card the page must not
	 * scroll. The listener has to be there before the touch starts for the browser to wait for it.
	 */
	readonly board = (node: HTMLElement) =>
		on(node, 'touchmove', (e) => this.#carrying && e.cancelable && e.preventDefault(), {
			passive: false
		});

	/** Picks a card up from the keyboard: it stays in place until dropped. */
	pickUp(id: string, from: Placement) {
		this.#stopPointer?.();
		this.#carrying = id;
		this.#target = from;
	}

	/** Moves the carried card's landing place (keyboard). */
	aim(target: Placement) {
		this.#target = target;
		void Promise.resolve().then(() =>
			document
				.querySelector('[data-testid="drop-target"]')
				?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
		);
	}

	/** Drops the carried card where it is aimed. Returns the card and place, or null. */
	drop(): { id: string; target: Placement } | null {
		const id = this.#carrying;
		const target = this.#target;
		this.cancel();
		return id && target ? { id, target } : null;
	}

	cancel() {
		this.#stopPointer?.();
		this.#carrying = null;
		this.#target = null;
	}

	/** Starts watching a press on a card; it becomes a drag once the pointer says so. */
	press(event: PointerEvent, id: string) {
		if (!event.isPrimary || event.button !== 0 || this.#carrying) return;
		const card = event.currentTarget as HTMLElement;
		const touch = event.pointerType === 'touch';
		const start = { x: event.clientX, y: event.clientY };
		let point = start;
		let ghost: HTMLElement | null = null;
		let placer: Placer | null = null;
		let timer: ReturnType<typeof setTimeout> | undefined;
		let frame = 0;

		const begin = () => {
			this.#carrying = id;
			ghost = makeGhost(card, start);
			placer = new Placer(id);
			window.getSelection()?.removeAllRanges();
			navigator.vibrate?.(10);
			follow();
		};
		const follow = () => {
			// Only the compositor moves the ghost (its own layer): nothing of the board repaints.
			if (ghost)
				ghost.style.transform = `translate(${point.x - start.x}px, ${point.y - start.y}px) rotate(2deg)`;
			this.#target = placer?.at(point.x, point.y) ?? null;
		};
		const scroll = () => {
			frame = 0;
			if (this.#carrying !== id) return;
			if (autoScroll(point.x, point.y)) follow();
			frame = requestAnimationFrame(scroll);
		};

		const stops = [
			on(window, 'pointermove', (e) => {
				if (e.pointerId !== event.pointerId) return;
				point = { x: e.clientX, y: e.clientY };
				const moved = Math.hypot(point.x - start.x, point.y - start.y);
				if (this.#carrying === id) {
					follow();
					if (!frame) frame = requestAnimationFrame(scroll);
				} else if (touch) {
					if (moved > TOUCH_SLOP) stop();
				} else if (moved > DRAG_DISTANCE) {
					begin();
				}
			}),
			on(window, 'pointerup', (e) => {
				if (e.pointerId !== event.pointerId) return;
				const dragged = this.#carrying === id;
				const target = this.#target;
				stop();
				if (!dragged) return;
				swallowNextClick();
				if (target) this.#ondrop(id, target);
			}),
			on(window, 'pointercancel', () => stop()),
			on(window, 'keydown', (e) => {
				if (e.key === 'Escape' && this.#carrying === id) {
					e.preventDefault();
					stop();
				}
			}),
			// A finger resting on a card must not open the browser's menu.
			on(window, 'contextmenu', (e) => e.preventDefault())
		];
		const stop = () => {
			clearTimeout(timer);
			cancelAnimationFrame(frame);
			for (const off of stops) off();
			ghost?.remove();
			placer?.stop();
			if (this.#stopPointer === stop) this.#stopPointer = null;
			if (this.#carrying === id) {
				this.#carrying = null;
				this.#target = null;
			}
		};
		this.#stopPointer?.();
		this.#stopPointer = stop;
		if (touch) timer = setTimeout(begin, LONG_PRESS_MS);
	}
}

/**
 * Where a card dropped at (x, y) lands: the column under the point, between the cards there.
 * The middles of a column's cards are measured once per drag (and again after any scroll or a
 * change of the cards shown), not on every pointer move: reading boxes after the drop line moved
 * would force a layout of the board per move, and the line's own shift would feed back.
 */
class Placer {
	#columns = new Map<HTMLElement, { count: number; middles: number[] }>();
	readonly #id: string;
	readonly #stop: () => void;

	constructor(id: string) {
		this.#id = id;
		this.#stop = on(window, 'scroll', () => this.#columns.clear(), {
			capture: true,
			passive: true
		});
	}

	at(x: number, y: number): Placement | null {
		const column = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-tier]');
		if (!column) return null;
		const cards = column.querySelectorAll<HTMLElement>('[data-problem-id]');
		let known = this.#columns.get(column);
		if (!known || known.count !== cards.length) {
			const middles: number[] = [];
			for (const card of cards) {
				if (card.dataset.problemId === this.#id) continue;
				const box = card.getBoundingClientRect();
				middles.push(box.top + box.height / 2);
			}
			known = { count: cards.length, middles };
			this.#columns.set(column, known);
		}
		let index = 0;
		while (index < known.middles.length && y > known.middles[index]!) index++;
		return { tier: column.dataset.tier as Tier, index };
	}

	stop() {
		this.#stop();
		this.#columns.clear();
	}
}

/** A copy of the card that follows the pointer. */
function makeGhost(card: HTMLElement, start: { x: number; y: number }): HTMLElement {
	const box = card.getBoundingClientRect();
	const ghost = card.cloneNode(true) as HTMLElement;
	for (const attribute of ['data-problem-id', 'data-testid', 'id', 'tabindex', 'role']) {
		ghost.removeAttribute(attribute);
	}
	ghost.setAttribute('aria-hidden', 'true');
	ghost.classList.add('drag-ghost');
	Object.assign(ghost.style, {
		position: 'fixed',
		left: `${box.left}px`,
		top: `${box.top}px`,
		width: `${box.width}px`,
		margin: '0',
		zIndex: '1000',
		pointerEvents: 'none',
		transform: 'rotate(2deg)',
		willChange: 'transform',
		boxShadow: 'var(--shadow-lg)',
		opacity: '0.95'
	});
	ghost.style.transformOrigin = `${start.x - box.left}px ${start.y - box.top}px`;
	document.body.append(ghost);
	return ghost;
}

/** Scrolls whatever the point is near the edge of (a column, the row of columns, the page). */
function autoScroll(x: number, y: number): boolean {
	const speed = (distance: number) =>
		distance < EDGE ? Math.ceil(((EDGE - distance) / EDGE) * MAX_SCROLL_STEP) : 0;
	let scrolled = false;
	const nudge = (element: Element, dx: number, dy: number) => {
		const before = [element.scrollLeft, element.scrollTop];
		element.scrollBy(dx, dy);
		if (element.scrollLeft !== before[0] || element.scrollTop !== before[1]) scrolled = true;
	};
	for (
		let element = document.elementFromPoint(x, y);
		element && element !== document.documentElement;
		element = element.parentElement
	) {
		const style = getComputedStyle(element);
		const box = element.getBoundingClientRect();
		const canX = /auto|scroll/.test(style.overflowX) && element.scrollWidth > element.clientWidth;
		const canY = /auto|scroll/.test(style.overflowY) && element.scrollHeight > element.clientHeight;
		const dx = canX ? speed(x - box.left) * -1 || speed(box.right - x) : 0;
		const dy = canY ? speed(y - box.top) * -1 || speed(box.bottom - y) : 0;
		if (dx || dy) nudge(element, dx, dy);
	}
	const page = document.scrollingElement;
	if (page) {
		const dy = speed(y) * -1 || speed(window.innerHeight - y);
		const dx = speed(x) * -1 || speed(window.innerWidth - x);
		if (dx || dy) nudge(page, dx, dy);
	}
	return scrolled;
}

/** After a drag the browser still sends a click to where the pointer went up: not an open. */
function swallowNextClick() {
	const off = on(
		window,
		'click',
		(e) => {
			e.stopPropagation();
			e.preventDefault();
		},
		{ capture: true }
	);
	setTimeout(off, 0);
}
