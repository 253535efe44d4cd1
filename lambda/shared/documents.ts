import type { Colour, ColourMap } from './colours';
import type { ImageReleasedDetail } from './events';

/**
 * The documents that flow through the rollout state machine: the validated request, the fleet
 * record, the plan and each phase's progress. The state machine's Choice states read some of
 * their fields (`plan.kind`, `progress.done`), so they are part of the contract with lib/.
 */

/**
 * `restore` only puts the fleet back in its known-good state (the first step of every run);
 * `replace` replaces named instances of the fleet (launch first, then detach, then terminate).
 */
export type Action = 'phoenix' | 'canary' | 'rollback' | 'restore' | 'replace';

/** Identity of the running execution, from the context object. */
export interface ExecutionRef {
  readonly id: string;
  readonly name: string;
  readonly startedAt: string;
}

/**
 * What started a rollout: a person, the phoenix schedule, the image factory, a promotion, the
 * lock janitor restoring a fleet an ended execution left unsafe, or someone's interactive access
 * to an instance (which is then replaced).
 */
export type Trigger =
  'console' | 'schedule' | 'image-factory' | 'promotion' | 'recovery' | 'interactive-access';

/** The validated, normalized execution input. */
export interface RolloutRequest {
  readonly action: Action;
  readonly imageId?: string;
  /** The instances a replace replaces. */
  readonly instanceIds?: readonly string[];
  readonly reason: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly trigger: Trigger;
}

/** The fleet's runtime record: which colour serves, on which image. */
export interface FleetRecord {
  readonly liveColour: Colour;
  readonly releasedImage: string;
  readonly previousImage?: string;
  readonly releasedAt?: string;
  /** The execution that made this release (an entry it left open is closed as the release it was). */
  readonly releasedBy?: string;
  /** How the release was made: a canary that passed (downstream environments promote it) or a rollback. */
  readonly releasedAction?: 'canary' | 'rollback';
  /** What started the rollout that made it. */
  readonly releasedTrigger?: Trigger;
  /** When the release was announced (`Image Released`): unset, the next rollout announces it. */
  readonly announcedAt?: string;
  readonly versions: ColourMap<string>;
  /** After a promotion the previous colour stays up until `until`, so a rollback is a weight flip. */
  readonly warm?: { readonly colour: Colour; readonly image: string; readonly until: string };
  /** Bumped by every release and rotation; every write of the record is conditional on it. */
  readonly generation: number;
}

export interface LockGrant {
  readonly owner: string;
  readonly expiresAt: number;
  readonly fleet: FleetRecord;
}

interface PlanBase {
  readonly summary: string;
  /** Rough duration if it runs, for dry runs and notifications. */
  readonly estimatedSeconds: number;
}
export interface SkipPlan extends PlanBase {
  readonly kind: 'skip';
  readonly reason: string;
}
export interface RefreshPlan extends PlanBase {
  readonly kind: 'refresh';
  readonly colour: Colour;
  readonly group: string;
  readonly imageId: string;
  readonly instances: number;
  readonly oldestAgeDays: number;
  readonly batches: number;
}
export interface CanaryPlan extends PlanBase {
  readonly kind: 'canary';
  readonly from: { readonly colour: Colour; readonly imageId: string };
  readonly to: { readonly colour: Colour; readonly imageId: string };
  readonly capacity: number;
  readonly steps: number[];
  /** The live colour has no instances yet: bring the new one up and send it everything. */
  readonly initial: boolean;
}
export interface FlipPlan extends PlanBase {
  readonly kind: 'flip';
  readonly from: { readonly colour: Colour; readonly imageId: string };
  readonly to: { readonly colour: Colour; readonly imageId: string };
  /** The warm colour's launch-template version: only its instances count. */
  readonly version: string;
  /** Healthy targets the warm colour needs before it takes all the traffic: the live colour's size. */
  readonly capacity: number;
  /** When the warm colour must already be healthy: the plan's own time (a flip waits for nothing). */
  readonly healthyBy: string;
}
/** One group's part of a replace: its instances to replace, and its size before the surge. */
export interface ReplaceGroup {
  readonly colour: Colour;
  readonly group: string;
  readonly instanceIds: string[];
  /** The group's desired capacity before the replacements launch; it returns to it. */
  readonly desired: number;
}
export interface ReplacePlan extends PlanBase {
  readonly kind: 'replace';
  readonly groups: ReplaceGroup[];
  /** Requested instances no longer in the fleet (terminated meanwhile): nothing to do for them. */
  readonly gone: string[];
}
export type Plan = SkipPlan | RefreshPlan | CanaryPlan | FlipPlan | ReplacePlan;

/** Progress of an instance refresh between polls. */
export interface RefreshProgress {
  readonly refreshId: string;
  readonly version: string;
  readonly status: string;
  readonly percentageComplete: number;
  readonly done: boolean;
  readonly waitSeconds: number;
  readonly startedAt: string;
}

/** Progress of a canary between states. */
export interface CanaryProgress {
  readonly version: string;
  readonly capacity: number;
  readonly healthy: number;
  readonly ready: boolean;
  readonly deadline: string;
  readonly waitSeconds: number;
  /** Index into the plan's steps of the step now holding (or next to hold) traffic. */
  readonly step: number;
  readonly weight: number;
  readonly stepStartedAt?: string;
  /** The step holds its weights and is judged again after `waitSeconds`, until its bake is over. */
  readonly baking?: boolean;
  readonly done: boolean;
  readonly judgements: StepJudgement[];
}

/**
 * Progress of a replace between polls: replacements launch (the groups surge by the instances
 * they replace), then the replaced instances are detached (deregistered, drained), then
 * terminated.
 */
export interface ReplaceProgress {
  readonly phase: 'launching' | 'detaching' | 'done';
  readonly groups: ReplaceGroup[];
  /** When the replacements must be healthy; past it the replace gives up, the replaced instances kept. */
  readonly deadline: string;
  readonly waitSeconds: number;
  readonly done: boolean;
  /** The replaced instances, terminated. */
  readonly terminated: string[];
}

/** Whether a canary's colour is still being emptied (a colour kept warm) or already launching. */
export type CanaryPhase = 'draining' | 'launching';

/** A canary's progress while its colour comes up (Prepare Canary Colour, Check Canary Health). */
export type PreparedCanary = CanaryProgress & { readonly phase: CanaryPhase };

export interface StepJudgement {
  readonly weight: number;
  readonly verdict: 'pass' | 'fail';
  readonly reasons: string[];
  readonly canary: MetricSummary;
  readonly baseline: MetricSummary;
  readonly alarmsInAlarm: string[];
}

export interface MetricSummary {
  readonly requests: number;
  readonly errors5xx: number;
  readonly errorRatio: number;
  readonly p99LatencySeconds: number | null;
}

export type Outcome = 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'DRY_RUN';

/** A Step Functions error caught into the state document. */
export interface CaughtError {
  readonly Error: string;
  readonly Cause?: string;
}

/** What Restore Safe State (and Put Idle Colour To Rest) found and did. */
export interface RestoredFleet {
  readonly actions: string[];
  /** A dry run: `actions` are what it would have done; nothing was. */
  readonly dryRun?: true;
  /** A refresh of the live group is still being cancelled or rolled back: look again after this. */
  readonly waitSeconds?: number;
  /** The live group runs a launch-template version the fleet record does not name. */
  readonly liveVersion?: { readonly colour: Colour; readonly version: string };
}

/** What Record Start returns: the rollout is past planning. */
export interface StartRecorded {
  readonly recorded: true;
}

/** What Record Outcome returns: the outcome, its notification, and the fleet record as it ends. */
export interface FinishedRollout {
  readonly outcome: Outcome;
  readonly subject: string;
  readonly message: string;
  readonly fleet: FleetRecord;
}

/** What Announce Release returns. */
export type Announced =
  | { readonly announced: true; readonly detail: ImageReleasedDetail }
  | { readonly announced: false; readonly reason: string };

/** What Retire Previous Colour returns; `waitSeconds` asks to be called again after that long. */
export interface RetireResult {
  readonly retired: boolean;
  readonly reason: string;
  readonly waitSeconds?: number;
}
