/** Shared shapes and helpers of the dashboard's SVG charts. */

/** One series of a chart: a colour and a pattern, so that meaning never rests on colour alone. */
export interface ChartSeries {
	key: string;
	label: string;
	color: string;
	pattern?: 'solid' | 'hatch' | 'dots' | 'cross';
}

/** How a series is painted in the chart `id`: its colour, or its pattern from `Patterns.svelte`. */
export function seriesFill(id: string, s: ChartSeries): string {
	return s.pattern && s.pattern !== 'solid' ? `url(#${id}-${s.key})` : s.color;
}

/** One row (bars) or column group (columns): a value per series, each may link somewhere. */
export interface ChartCategory {
	key: string;
	label: string;
	values: number[];
	hrefs?: (string | null)[];
}

/** Round numbers for an axis from 0 to at least `max`, about `count` steps. */
export function niceTicks(max: number, count = 4): number[] {
	if (max <= 0) return [0, 1];
	const raw = max / count;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
	const whole = Math.max(1, Math.round(step));
	const ticks: number[] = [];
	for (let v = 0; v < max + whole; v += whole) ticks.push(v);
	return ticks;
}

/** One drawn bar or column: where it is, how it is filled, its tooltip and where it links. */
export interface ChartBar {
	key: string;
	x: number;
	y: number;
	width: number;
	height: number;
	fill: string;
	tip: string;
	href: string | null;
}
