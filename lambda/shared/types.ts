/**
 * The documents that flow through the rollout state machine. The workflow construct builds
 * `WorkflowSettings` at synth (it is embedded in the definition, so the rehearsal runs with
 * exactly what is deployed); every handler receives the parts it needs in its payload.
 */

export type Colour = 'blue' | 'green';
/** `restore` only puts the fleet back in its known-good state (the first step of every run). */
export type Action = 'phoenix' | 'canary' | 'rollback' | 'restore';

export const otherColour = (c: Colour): Colour => (c === 'blue' ? 'green' : 'blue');

export interface ColourMap<T> {
  readonly blue: T;
  readonly green: T;
}

export interface RefreshSettings {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmupSeconds: number;
  readonly checkpointPercentages: number[];
  readonly checkpointDelaySeconds: number;
  readonly bakeTimeSeconds: number;
}

export interface CanarySettings {
  readonly steps: number[];
  readonly bakeSeconds: number;
  readonly healthyDeadlineSeconds: number;
  readonly max5xxRatio: number;
  readonly max5xxRatioIncrease: number;
  readonly maxP99LatencySeconds: number;
  readonly maxLatencyRatio: number;
  readonly minRequests: number;
}

export interface FreezeWindow {
  readonly start: string;
  readonly end: string;
  readonly reason: string;
}

export interface WorkflowSettings {
  readonly environment: string;
  readonly groups: ColourMap<string>;
  readonly targetGroups: ColourMap<string>;
  /** CloudWatch dimension values (`targetgroup/...`, `app/...`). */
  readonly targetGroupDimensions: ColourMap<string>;
  readonly loadBalancerDimension: string;
  readonly listenerArn: string;
  readonly launchTemplateId: string;
  /** Alarms judging each colour (the canary checks the canary colour's). */
  readonly alarms: ColourMap<string[]>;
  /** Alarms passed to an instance refresh's AlarmSpecification. */
  readonly refreshAlarms: ColourMap<string[]>;
  readonly table: string;
  readonly parameters: {
    readonly releasedImage: string;
    readonly listenerWeights: string;
    readonly launchTemplateVersions: ColourMap<string>;
  };
  readonly capacity: { readonly min: number; readonly desired: number; readonly max: number };
  /** What an instance takes from launch to a healthy target; the first guess for poll waits. */
  readonly expectedBootSeconds: number;
  readonly maxInstanceAgeDays: number;
  readonly refresh: RefreshSettings;
  readonly canary: CanarySettings;
  readonly rollbackSteps: number[];
  readonly scaleDownDelaySeconds: number;
  readonly lockTtlSeconds: number;
  readonly freezeWindows: FreezeWindow[];
  /** Environment whose successful releases gate this one's canaries. */
  readonly promoteFrom?: string;
}

/** Identity of the running execution, from the context object. */
export interface ExecutionRef {
  readonly id: string;
  readonly name: string;
  readonly startedAt: string;
}

/** The validated, normalized execution input. */
export interface RolloutRequest {
  readonly action: Action;
  readonly imageId?: string;
  readonly reason: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly trigger: 'console' | 'schedule' | 'image-builder';
}

/** The fleet's runtime record: which colour serves, on which image. */
export interface FleetRecord {
  readonly liveColour: Colour;
  readonly releasedImage: string;
  readonly previousImage?: string;
  readonly releasedAt?: string;
  /** The execution that made this release (an entry it left open is closed as the release it was). */
  readonly releasedBy?: string;
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
export type Plan = SkipPlan | RefreshPlan | CanaryPlan | FlipPlan;

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
  readonly done: boolean;
  readonly judgements: StepJudgement[];
}

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
