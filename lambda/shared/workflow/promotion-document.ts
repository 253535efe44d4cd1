import type { CaughtError, ExecutionRef } from '../documents';
import type {
  ApprovalAnswer,
  CanaryAttempt,
  CanaryStatus,
  PromotionInput,
  StillReleased,
} from '../promotion-documents';
import { pathsOf } from './json-path';

/**
 * The promotion state machine's document: the one JSON object its states pass on. Every field
 * says which state writes it; what Load Promotion writes is always there.
 */
export interface PromotionDocument {
  /** The release to promote: the execution input On Upstream Release started it with (Load Promotion). */
  readonly promotion: PromotionInput;
  /** Load Promotion, from the context object. */
  readonly execution: ExecutionRef;
  /** `{ attempt: 0 }` from Load Promotion, then Start Canary's result at each attempt. */
  readonly canary: CanaryAttempt;
  /** Check Still Released, and Check Still Released After Approval. */
  readonly checked?: StillReleased;
  /** Ask For Approval: what the approver sent back with the task token. */
  readonly answer?: ApprovalAnswer;
  /** Check Canary, each time it looks. */
  readonly canaryStatus?: CanaryStatus;
  /** Why the promotion ends without a release: a step's catch, or Canary Did Not Release's. */
  readonly error?: CaughtError;
  /** Notify Promotion Ended's failure. */
  readonly notifyError?: CaughtError;
}

/** Paths into the promotion's document: `promotionPath('canary', 'started')` is `'$.canary.started'`. */
export const promotionPath = pathsOf<PromotionDocument>();
