import { isReviewKind, type Review } from '$lib/domain/reviews';
import { formatDate, t } from '$lib/i18n/index.svelte';

/** “双月调度（2022年11月1日 至 2022年12月31日）”. */
export function reviewTitle(review: Pick<Review, 'kind' | 'start' | 'end'>): string {
	return t('reviews.heading', {
		kind: isReviewKind(review.kind) ? t(`reviews.kind.${review.kind}`) : String(review.kind),
		start: formatDate(review.start),
		end: formatDate(review.end)
	});
}

/** An arrow and its words for the change of a number from the previous review. */
export function changeOf(delta: number): { arrow: string; text: string } {
	if (delta > 0) return { arrow: `↑${delta}`, text: t('reviews.up', { count: delta }) };
	if (delta < 0) return { arrow: `↓${-delta}`, text: t('reviews.down', { count: -delta }) };
	return { arrow: '→0', text: t('reviews.same') };
}
