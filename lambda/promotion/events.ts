/** What the promotion function accepts: one operation per state that uses it (lambda/shared/workflow/). */
export type { PromotionEvent } from '../shared/workflow/promotion-steps';
