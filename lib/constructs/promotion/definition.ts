import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PromotionSettings } from '../../../lambda/shared/settings';
import { TRANSIENT_ERRORS } from '../../../lambda/shared/transient-errors';
import { CATCH_ALL, failWith } from '../rollout/state-machine/steps';
import type { RolloutSteps } from '../rollout/state-machine/steps';

export interface PromotionDefinitionProps {
  readonly steps: RolloutSteps;
  /** The promotion function (for the approval task, which waits for its token). */
  readonly promotion: lambda.IFunction;
  /** Whether a person approves, and how long they have: what shapes the definition. */
  readonly settings: Pick<PromotionSettings, 'approval' | 'approvalTimeoutHours'>;
}

/** What every promotion step receives besides the execution (its settings are its function's own). */
const PROMOTION = { 'promotion.$': '$.promotion' };

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
  const op = (
    name: string,
    operation: string,
    resultPath: string | null,
    payload: Record<string, unknown> = {},
  ) => steps.invoke(scope, name, 'promotion', { op: operation, ...PROMOTION, ...payload }, resultPath);

  const ended = failWith(
    scope,
    'Promotion Ended',
    'The environment stays on its release; see the notification.',
  );
  const notifyEnded = op('Notify Promotion Ended', 'notify-outcome', null, { 'error.$': '$.error' });
  // The notification is the only way a person hears of it: if even that fails, still end failed.
  notifyEnded.addCatch(ended, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' }).next(ended);
  const guarded = (task: sfn.TaskStateBase) => task.addCatch(notifyEnded, CATCH_ALL);

  // ---- the canary, started once the fleet is free, watched until it ends ----
  const startCanary = guarded(op('Start Canary', 'start-canary', '$.canary', { 'canary.$': '$.canary' }));
  const waitForFleet = new sfn.Wait(scope, 'Wait For Fleet', {
    comment: 'Another rollout holds the fleet: the promotion waits for it, it does not give up.',
    time: sfn.WaitTime.duration(Duration.seconds(300)),
  }).next(startCanary);
  const checkCanary = guarded(
    op('Check Canary', 'canary-status', '$.canaryStatus', { 'canary.$': '$.canary' }),
  );
  const waitForCanary = new sfn.Wait(scope, 'Wait For Canary', {
    time: sfn.WaitTime.duration(Duration.seconds(300)),
  }).next(checkCanary);
  const canaryFailed = new sfn.Pass(scope, 'Canary Did Not Release', {
    parameters: { 'Error.$': '$.canaryStatus.error', 'Cause.$': '$.canaryStatus.cause' },
    resultPath: '$.error',
  }).next(notifyEnded);
  checkCanary.next(
    new sfn.Choice(scope, 'Canary Done?')
      .when(sfn.Condition.booleanEquals('$.canaryStatus.done', false), waitForCanary)
      .when(sfn.Condition.booleanEquals('$.canaryStatus.succeeded', true), new sfn.Succeed(scope, 'Promoted'))
      .when(sfn.Condition.booleanEquals('$.canaryStatus.retry', true), waitForFleet)
      .otherwise(canaryFailed),
  );
  startCanary.next(
    new sfn.Choice(scope, 'Canary Started?')
      .when(sfn.Condition.booleanEquals('$.canary.started', true), waitForCanary)
      .otherwise(waitForFleet),
  );

  // ---- the checks, and a person's approval where the environment asks for one ----
  const checkStillReleased = (name: string) => guarded(op(name, 'check', '$.checked'));
  const firstCheck = checkStillReleased('Check Still Released');
  if (props.settings.approval === 'manual') {
    const ask = new tasks.LambdaInvoke(scope, 'Ask For Approval', {
      lambdaFunction: props.promotion,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        op: 'request-approval',
        'execution.$': '$.execution',
        ...PROMOTION,
        taskToken: sfn.JsonPath.taskToken,
      }),
      resultPath: '$.answer',
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
    time: sfn.WaitTime.timestampPath('$.promotion.soakUntil'),
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
