import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { CanaryShift } from './canary';
import { FinishRollout } from './finish';
import { PhoenixRotation } from './phoenix';
import { ReplaceInstances } from './replace';
import type { WayBackFleet } from './way-back';
import { StartRollout } from './start';
import type { RolloutSteps } from './steps';
import { WarmFlip } from './warm-flip';

export interface RolloutDefinitionProps {
  /** Builds the Lambda steps (and knows which functions they run). */
  readonly steps: RolloutSteps;
  /** Where outcomes are announced. */
  readonly topic: sns.ITopic;
  /** The listener, target groups and groups the way back puts right, by direct AWS calls. */
  readonly fleet: WayBackFleet;
}

/**
 * The rollout as a state machine (JSONPath, no Variables: the rehearsal executes exactly
 * this), composed of fragments:
 *
 *   start (input, lock, restore, plan) → What Does The Plan Say?
 *     → phoenix rotation | canary shift → release | warm flip → release | replace | nothing to do
 *   → finish (ledger, idle colour, tags, notification, unlock).
 *
 * Any failure after the lock is taken goes through the finish's compensation, so every path
 * ends with traffic on the released image, the lock released, the ledger closed and a
 * notification sent.
 */
export function rolloutDefinition(scope: Construct, props: RolloutDefinitionProps): sfn.IChainable {
  const { steps } = props;
  const finish = new FinishRollout(scope, 'Finish', { steps, topic: props.topic, fleet: props.fleet });
  const onFailure = finish.compensation;
  const canary = new CanaryShift(scope, 'Canary', { steps, onFailure }).next(finish.release);
  const warmFlip = new WarmFlip(scope, 'WarmFlip', { steps, onFailure }).next(finish.release);
  const phoenix = new PhoenixRotation(scope, 'Phoenix', { steps, onFailure }).next(finish);
  const replace = new ReplaceInstances(scope, 'Replace', { steps, onFailure }).next(finish);
  const start = new StartRollout(scope, 'Start', { steps, onFailure });
  const plan = (kind: string) => sfn.Condition.stringEquals('$.plan.kind', kind);
  return start.next(
    new sfn.Choice(scope, 'What Does The Plan Say?')
      .when(sfn.Condition.booleanEquals('$.request.dryRun', true), finish)
      .when(plan('skip'), finish)
      .when(plan('refresh'), phoenix)
      .when(plan('canary'), canary)
      .when(plan('flip'), warmFlip)
      .when(plan('replace'), replace)
      .otherwise(finish),
  );
}
