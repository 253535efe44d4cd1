import type { ColourMap } from './colours';
import type { EnvironmentName } from './environments';
import type { Severity } from './severities';

/**
 * What the rollout's steps know about their environment, fixed at deploy time. The workflow
 * construct builds it at synth; each step's function is deployed with the slice it acts on
 * (lambda/shared/step-settings.ts), and the whole is the environment's deployment description
 * (lambda/shared/deployment.ts).
 */

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

export interface DownstreamEnvironment {
  readonly environment: EnvironmentName;
  readonly soakMinutes: number;
  readonly approval: 'automatic' | 'manual';
}

export interface WorkflowSettings {
  readonly environment: EnvironmentName;
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
  /** The state machine's own timeout: a step that waits never waits past it. */
  readonly timeoutSeconds: number;
  readonly freezeWindows: FreezeWindow[];
  /** Environment whose successful releases gate this one's canaries. */
  readonly promoteFrom?: EnvironmentName;
  /** The environments that take this one's releases, and how: what a release notification says comes next. */
  readonly downstream: readonly DownstreamEnvironment[];
  /** Which images this environment runs at all. */
  readonly images: ImageTrust;
}

/**
 * The images an environment trusts: owned by one of `owners` (the image factory's account and
 * any the configuration adds), announced by the image factory, and scanned with no finding at or
 * above `failOnSeverity`.
 */
export interface ImageTrust {
  readonly owners: readonly string[];
  readonly failOnSeverity: Severity;
}

/**
 * What every promotion step knows about its environment, fixed at deploy time: the promotion
 * function's own `PROMOTION_SETTINGS` variable, written by the stack.
 */
export const PROMOTION_SETTINGS_VARIABLE = 'PROMOTION_SETTINGS';

/** The promotion's settings (see {@link PROMOTION_SETTINGS_VARIABLE}). */
export interface PromotionSettings {
  readonly environment: EnvironmentName;
  /** The environment whose releases this one takes. */
  readonly from: EnvironmentName;
  readonly soakMinutes: number;
  readonly approval: 'automatic' | 'manual';
  readonly approvalTimeoutHours: number;
  /** The environment's table (lock, ledger, promotion records). */
  readonly table: string;
  /** The environment's rollout state machine, which a promotion starts a canary on. */
  readonly rolloutStateMachineArn: string;
  /** The environment's notification topic. */
  readonly topicArn: string;
}
