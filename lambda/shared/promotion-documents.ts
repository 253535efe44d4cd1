import type { EnvironmentName } from './environments';

/**
 * The documents that flow through the promotion state machine: the release it promotes, what its
 * checks, its approval and its canary return. Its Choice states read some of their fields
 * (`canaryStatus.done`, `canary.started`), so they are part of the contract with lib/.
 */

/** What a promotion execution starts from: the upstream release, as On Upstream Release read it. */
export interface PromotionInput {
  readonly imageId: string;
  readonly from: EnvironmentName;
  readonly releasedAt: string;
  /** When the soak ends: the release time plus the configured soak. */
  readonly soakUntil: string;
  /** The upstream execution that released it. */
  readonly releasedBy: string;
}

/** What Check Still Released returns: the image still runs upstream. */
export interface StillReleased {
  readonly checkedAt: string;
  readonly releasedUpstreamAt: string;
}

/** What a person's approval sends back through the task token (a rejection fails the task instead). */
export interface ApprovalAnswer {
  readonly decision: 'approve';
  /** Who approved, from the caller's identity or `--by`. */
  readonly by: string;
  readonly at: string;
}

export interface CanaryStart {
  readonly started: boolean;
  /** Attempts so far (a canary refused by a rollout that took the fleet first is started again). */
  readonly attempt: number;
  readonly executionArn?: string;
  /** When the fleet is busy: look again after this long. */
  readonly waitSeconds?: number;
  readonly reason: string;
}

/**
 * The promotion's canary as the document holds it: `{ attempt: 0 }` until Start Canary first
 * runs, then what Start Canary returned.
 */
export type CanaryAttempt = Pick<CanaryStart, 'attempt'> & Partial<CanaryStart>;

export interface CanaryStatus {
  readonly done: boolean;
  readonly succeeded?: boolean;
  /** The canary was refused because another rollout took the fleet first: start it again. */
  readonly retry?: boolean;
  readonly error?: string;
  readonly cause?: string;
  readonly waitSeconds: number;
}
