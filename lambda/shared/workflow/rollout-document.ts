import type {
  Announced,
  CanaryPlan,
  CanaryProgress,
  CaughtError,
  ExecutionRef,
  FinishedRollout,
  FleetRecord,
  FlipPlan,
  LockGrant,
  Plan,
  PreparedCanary,
  RefreshPlan,
  RefreshProgress,
  ReplacePlan,
  ReplaceProgress,
  RestoredFleet,
  RetireResult,
  RolloutRequest,
  StartRecorded,
} from '../documents';
import { pathsOf } from './json-path';
import type { Narrowed } from './json-path';

/**
 * The rollout state machine's document: the one JSON object its states pass on, each adding its
 * result at its ResultPath. Every field says which state writes it. Only what Load Settings
 * writes is always there; the rest appears as the execution gets that far.
 */
export interface RolloutDocument {
  /** The execution input as given, not yet trusted (Load Settings). */
  readonly input: unknown;
  /** Load Settings, from the context object. */
  readonly execution: ExecutionRef;
  /** Validate Input. */
  readonly request?: RolloutRequest;
  /** Acquire Lock: the lock, and the fleet record as it was when taken. */
  readonly lock?: LockGrant;
  /** Restore Safe State, each time it looks (Wait For Refresh To Stop loops on `waitSeconds`). */
  readonly restored?: RestoredFleet;
  /** Plan Rollout. */
  readonly plan?: Plan;
  /** Record Start: from here on steps change the fleet, and the way back has something to put back. */
  readonly recorded?: StartRecorded;
  /**
   * The phase under way, rewritten by each of its steps: Start Refresh and Check Refresh; Prepare
   * Canary Colour, Check Canary Health, Shift Traffic and Judge Step; Flip Traffic Back; Start
   * Replacement and Check Replacement.
   */
  readonly progress?: RefreshProgress | PreparedCanary | CanaryProgress | ReplaceProgress;
  /** Check Warm Colour Health (a rollback's flip). */
  readonly warmCheck?: PreparedCanary;
  /** Promote Release: the fleet record the release wrote. */
  readonly released?: FleetRecord;
  /** Record Outcome. */
  readonly finished?: FinishedRollout;
  /** Put Idle Colour To Rest. */
  readonly rested?: RestoredFleet;
  /** Announce Release. */
  readonly announced?: Announced;
  /** Retire Previous Colour, each time it looks (Wait For The Fleet To Retire loops on `waitSeconds`). */
  readonly retired?: RetireResult;
  /**
   * Why the rollout failed: the error a step's catch put here (Validate Input, Acquire Lock and
   * every step from Restore Safe State to Promote Release), or Warm Colour Not Healthy's.
   */
  readonly error?: CaughtError;
  /** The way back's own failure (All Traffic To Blue | Green, Scale Blue | Green Canary To Zero). */
  readonly compensationError?: CaughtError;
  /** Record Outcome's failure. */
  readonly recordError?: CaughtError;
  /** Put Idle Colour To Rest's failure. */
  readonly restError?: CaughtError;
  /** Announce Release's failure. */
  readonly announceError?: CaughtError;
  /** Notify Outcome's failure. */
  readonly notifyError?: CaughtError;
  /** Release Lock's failure. */
  readonly unlockError?: CaughtError;
}

/** Paths into the rollout's document: `rolloutPath('plan', 'kind')` is `'$.plan.kind'`. */
export const rolloutPath = pathsOf<RolloutDocument>();

/**
 * The document once the lock is held: the way back and the finish run only after Acquire Lock
 * (a failure before it ends in Reject Input, Refuse Concurrent Rollout or Could Not Start).
 */
export type LockedDocument = Narrowed<
  RolloutDocument,
  { readonly request: RolloutRequest; readonly lock: LockGrant }
>;
export const lockedPath = pathsOf<LockedDocument>();

/*
 * The document in each branch of What Does The Plan Say?, which sends each kind of plan to its
 * own fragment: there, `plan` is that kind, and `progress` that fragment's.
 */

/** In the phoenix rotation. */
export type PhoenixDocument = Narrowed<
  LockedDocument,
  { readonly plan: RefreshPlan; readonly progress?: RefreshProgress }
>;
export const phoenixPath = pathsOf<PhoenixDocument>();

/** In the canary shift. */
export type CanaryDocument = Narrowed<
  LockedDocument,
  { readonly plan: CanaryPlan; readonly progress?: CanaryProgress }
>;
export const canaryPath = pathsOf<CanaryDocument>();

/**
 * In the canary shift until its first step: Prepare Canary Colour wrote a prepared canary's
 * progress, which Check Canary Health reads and rewrites.
 */
export type PreparingCanaryDocument = Narrowed<CanaryDocument, { readonly progress?: PreparedCanary }>;
export const preparingCanaryPath = pathsOf<PreparingCanaryDocument>();

/** In a rollback's warm flip. */
export type FlipDocument = Narrowed<
  LockedDocument,
  { readonly plan: FlipPlan; readonly progress?: CanaryProgress }
>;
export const flipPath = pathsOf<FlipDocument>();

/** In a replace of named instances. */
export type ReplaceDocument = Narrowed<
  LockedDocument,
  { readonly plan: ReplacePlan; readonly progress?: ReplaceProgress }
>;
export const replacePath = pathsOf<ReplaceDocument>();
