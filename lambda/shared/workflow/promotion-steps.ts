import type { PromotionSettings } from '../settings';
import { template } from './json-path';
import type { PayloadTemplate } from './json-path';
import { promotionPath } from './promotion-document';
import { withExecution } from './step-payloads';
import type { PayloadFor } from './step-payloads';

const step = withExecution(promotionPath('execution'));

/**
 * What each state of the promotion that runs its function sends it, one operation per state: lib/
 * builds each Task from it, and the function's event type is derived from it.
 */
export const PROMOTION_STEP_PAYLOADS = {
  promotion: {
    'Check Still Released': step({ op: 'check', 'promotion.$': promotionPath('promotion') }),
    'Check Still Released After Approval': step({ op: 'check', 'promotion.$': promotionPath('promotion') }),
    /**
     * Waits for its task token, which lib/ hands in as `sfn.JsonPath.taskToken`: CDK accepts a
     * task that waits for a token only where it sees that token in the payload.
     */
    'Ask For Approval': (taskToken: string) =>
      template({
        op: 'request-approval',
        'execution.$': promotionPath('execution'),
        'promotion.$': promotionPath('promotion'),
        taskToken,
      }),
    'Start Canary': step({
      op: 'start-canary',
      'promotion.$': promotionPath('promotion'),
      'canary.$': promotionPath('canary'),
    }),
    'Check Canary': step({
      op: 'canary-status',
      'promotion.$': promotionPath('promotion'),
      'canary.$': promotionPath('canary'),
    }),
    'Notify Promotion Ended': step({
      op: 'notify-outcome',
      'promotion.$': promotionPath('promotion'),
      'error.$': promotionPath('error'),
    }),
  },
} as const satisfies Record<
  'promotion',
  Record<string, PayloadTemplate | ((token: string) => PayloadTemplate)>
>;

type PromotionStepPayloads = typeof PROMOTION_STEP_PAYLOADS;

/** What the promotion state machine sends its function, from any of its states. */
export type PromotionPayload = PayloadFor<PromotionStepPayloads, 'promotion'>;

/** What the promotion function acts on: its payload, and the settings it was deployed with. */
export type PromotionEvent = PromotionPayload extends infer P
  ? P extends unknown
    ? P & { readonly settings: PromotionSettings }
    : never
  : never;
