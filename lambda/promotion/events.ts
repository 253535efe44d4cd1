import type { CaughtError, ExecutionRef } from '../shared/documents';
import type { PromotionSettings } from '../shared/settings';
import type { CanaryStart, PromotionInput } from '../shared/promotion-documents';

interface Base {
  readonly settings: PromotionSettings;
  readonly execution: ExecutionRef;
  readonly promotion: PromotionInput;
}

/** What the promotion function accepts: one operation per state that uses it. */
export type PromotionEvent =
  | ({ readonly op: 'check' } & Base)
  | ({ readonly op: 'request-approval'; readonly taskToken: string } & Base)
  | ({ readonly op: 'start-canary'; readonly canary?: Pick<CanaryStart, 'attempt'> } & Base)
  | ({ readonly op: 'canary-status'; readonly canary: Pick<CanaryStart, 'executionArn'> } & Base)
  | ({ readonly op: 'notify-outcome'; readonly error: CaughtError } & Base);
