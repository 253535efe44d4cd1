import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PromotionSettings } from '../../../lambda/shared/settings';
import type { JsonPath } from '../../../lambda/shared/workflow/json-path';
import { TRANSIENT_ERRORS } from '../../../lambda/shared/transient-errors';
import { promotionPath as path } from '../../../lambda/shared/workflow/promotion-document';
import { PROMOTION_STEP_PAYLOADS } from '../../../lambda/shared/workflow/promotion-steps';
import { DocumentCondition } from '../rollout/state-machine/document-conditions';
import { catchInto, failWith } from '../rollout/state-machine/steps';
import type { RolloutSteps, StepState } from '../rollout/state-machine/steps';

export interface PromotionDefinitionProps {
  readonly steps: RolloutSteps;
  /** The promotion function (for the approval task, which waits for its token). */
  readonly promotion: lambda.IFunction;
  /** Whether a person approves, and how long they have: what shapes the definition. */
  readonly settings: Pick<PromotionSettings, 'approval' | 'approvalTimeoutHours'>;
}

/** Catch every error into the promotion's `$.error`. */
const CATCH_ALL = catchInto(path('error'));

/**
 * A promotion, as a state machine (JSONPath, no Variables, like the rollout's):
 *
 *   Load Promotion → Soak Before Promotion (until the release has stood for the soak)
 *     → Check Still Released (a rollback or a newer release upstream cancels it)
 *     → [manual] Ask For Approval (waits for its token, or times out) → Check Still Released After Approval
 *     → Start Canary ⟲ (Wait For Fleet, while another rollout holds it)
 *     → Wait For Canary → Check Canary ⟲ → done; refused for a busy fleet → Start Canary again
 *   Anything that ends it without a release → Notify Promotion Ended → Promotion Ended (failed).
 */
export function promotionDefinition(scope: Construct, props: PromotionDefinitionProps): sfn.IChainable {
  const { steps } = props;
  // Each state sends the operation and payload lambda/shared/workflow/promotion-steps.ts lists for it.
  const op = (name: StepState<'promotion'>, resultPath: JsonPath<unknown> | null) =>
    steps.invoke(scope, name, 'promotion', resultPath);

  const ended = failWith(
    scope,
    'Promotion Ended',
    'The environment stays on its release; see the notification.',
    path('error'),
  );
  const notifyEnded = op('Notify Promotion Ended', null);
  // The notification is the only way a person hears of it: if even that fails, still end failed.
  notifyEnded.addCatch(ended, catchInto(path('notifyError'))).next(ended);
  const guarded = (task: sfn.TaskStateBase) => task.addCatch(notifyEnded, CATCH_ALL);

  // ---- the canary, started once the fleet is free, watched until it ends ----
  const startCanary = guarded(op('Start Canary', path('canary')));
  const waitForFleet = new sfn.Wait(scope, 'Wait For Fleet', {
    comment: 'Another rollout holds the fleet: the promotion waits for it, it does not give up.',
    time: sfn.WaitTime.duration(Duration.seconds(300)),
  }).next(startCanary);
  const checkCanary = guarded(op('Check Canary', path('canaryStatus')));
  const waitForCanary = new sfn.Wait(scope, 'Wait For Canary', {
    time: sfn.WaitTime.duration(Duration.seconds(300)),
  }).next(checkCanary);
  const canaryFailed = new sfn.Pass(scope, 'Canary Did Not Release', {
    parameters: {
      'Error.$': path('canaryStatus', 'error'),
      'Cause.$': path('canaryStatus', 'cause'),
    },
    resultPath: path('error'),
  }).next(notifyEnded);
  checkCanary.next(
    new sfn.Choice(scope, 'Canary Done?')
      .when(DocumentCondition.booleanEquals(path('canaryStatus', 'done'), false), waitForCanary)
      .when(
        DocumentCondition.booleanEquals(path('canaryStatus', 'succeeded'), true),
        new sfn.Succeed(scope, 'Promoted'),
      )
      .when(DocumentCondition.booleanEquals(path('canaryStatus', 'retry'), true), waitForFleet)
      .otherwise(canaryFailed),
  );
  startCanary.next(
    new sfn.Choice(scope, 'Canary Started?')
      .when(DocumentCondition.booleanEquals(path('canary', 'started'), true), waitForCanary)
      .otherwise(waitForFleet),
  );

  // ---- the checks, and a person's approval where the environment asks for one ----
  const checkStillReleased = (name: StepState<'promotion'>) => guarded(op(name, path('checked')));
  const firstCheck = checkStillReleased('Check Still Released');
  if (props.settings.approval === 'manual') {
    const ask = new tasks.LambdaInvoke(scope, 'Ask For Approval', {
      lambdaFunction: props.promotion,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject(
        PROMOTION_STEP_PAYLOADS.promotion['Ask For Approval'](sfn.JsonPath.taskToken),
      ),
      resultPath: path('answer'),
      // Unanswered by then: States.Timeout, and the promotion ends saying nobody approved.
      taskTimeout: sfn.Timeout.duration(Duration.hours(props.settings.approvalTimeoutHours)),
      retryOnServiceExceptions: false,
    }).addRetry({
      errors: [...TRANSIENT_ERRORS.filter((e) => e !== 'States.Timeout')],
      maxAttempts: 4,
      jitterStrategy: sfn.JitterType.FULL,
    });
    // A rejection (ApprovalRejected) or no answer in time (States.Timeout) ends the promotion.
    // The request is forgotten by whoever answers it, or refused as expired once it has timed out.
    ask.addCatch(notifyEnded, CATCH_ALL);
    firstCheck.next(ask);
    ask.next(checkStillReleased('Check Still Released After Approval')).next(startCanary);
  } else {
    firstCheck.next(startCanary);
  }

  const soak = new sfn.Wait(scope, 'Soak Before Promotion', {
    comment: 'The release must stand upstream this long before this environment takes it.',
    time: sfn.WaitTime.timestampPath(path('promotion', 'soakUntil')),
  }).next(firstCheck);

  return new sfn.Pass(scope, 'Load Promotion', {
    // Named as before the settings moved to the function's own variables: histories name it.
    comment: 'The release to promote, as the upstream release started it, and the execution.',
    inputPath: sfn.JsonPath.DISCARD,
    parameters: {
      'promotion.$': '$$.Execution.Input',
      execution: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
      },
      canary: { attempt: 0 },
    },
  }).next(soak);
}
