import { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TRANSIENT_ERRORS } from '../../../lambda/shared/transient-errors';
import type { RolloutFunctions, RolloutHandler } from './rollout-functions';

export interface RolloutDefinitionProps {
  readonly functions: RolloutFunctions;
  readonly topic: sns.ITopic;
  /** The WorkflowSettings object (with tokens) every step receives. */
  readonly settings: Record<string, unknown>;
  /** Seconds each canary step holds its weights before it is judged. */
  readonly canaryBakeSeconds: number;
}

/** Paths every step payload draws from. */
const COMMON = { 'settings.$': '$.settings', 'execution.$': '$.execution' };

/**
 * The rollout as a state machine (JSONPath, no Variables: the rehearsal executes exactly
 * this). Shape:
 *
 *   Load Settings → Validate Input → Acquire Lock → Restore Safe State ⟲ (until no refresh is stopping)
 *     → Plan Rollout → Record Start
 *     → phoenix: Start Refresh ⟲ (Wait For Refresh → Check Refresh)
 *     → canary:  Prepare Canary Colour ⟲ (Wait → Check Canary Health)
 *                ⟲ (Shift Traffic → Bake Step → Judge Step) → Promote Release
 *     → rollback while warm: Check Warm Colour Health → Flip Traffic Back → Promote Release
 *   → Record Outcome → Put Idle Colour To Rest → Tag Released Image → Notify Outcome → Release Lock
 *     → fail, or keep the old colour warm and retire it
 *     (a lock that could not be released fails the execution, so the lock janitor releases it).
 *
 * Any failure after the lock is taken goes through "Return Traffic To Last Good Fleet" and the
 * same finishing steps, so every path ends with traffic on the released image, the lock
 * released, the ledger closed and a notification sent. Polls wait as long as the fleet should
 * need (computed by the step), not a fixed short interval.
 */
export function buildRolloutDefinition(scope: Construct, props: RolloutDefinitionProps): sfn.IChainable {
  const fn = (name: RolloutHandler) => props.functions.get(name);
  const invoke = (
    id: string,
    handler: RolloutHandler,
    payload: Record<string, unknown>,
    resultPath: string | null,
  ) =>
    tasks.LambdaInvoke.jsonPath(scope, id, {
      lambdaFunction: fn(handler),
      payload: sfn.TaskInput.fromObject({ ...COMMON, ...payload }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: resultPath === null ? sfn.JsonPath.DISCARD : resultPath,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    }).addRetry({
      errors: [...TRANSIENT_ERRORS],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
      maxDelay: Duration.seconds(60),
      jitterStrategy: sfn.JitterType.FULL,
    });
  const failWith = (id: string, comment: string) =>
    new sfn.Fail(scope, id, { comment, errorPath: '$.error.Error', causePath: '$.error.Cause' });
  const catchAll = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

  // ---- finishing: every path after the lock ends here ----
  const rolloutFailed = failWith(
    'Rollout Failed',
    'Traffic is on the released image; see the ledger and the notification.',
  );
  const retire = invoke('Retire Previous Colour', 'retire-colour', { 'fleet.$': '$.released' }, '$.retired');
  retire.addCatch(new sfn.Succeed(scope, 'Rollout Done Without Retiring'), catchAll);
  retire.next(new sfn.Succeed(scope, 'Rollout Done After Retiring'));
  const keepWarm = new sfn.Wait(scope, 'Keep Previous Colour Warm', {
    comment: 'The previous colour stays up so a rollback is an instant weight flip.',
    time: sfn.WaitTime.timestampPath('$.released.warm.until'),
  }).next(retire);
  // The lock janitor hears only of failed, stopped and timed-out executions: one that ended
  // SUCCEEDED still holding its lock would keep the fleet locked until the lock expired.
  const lockNotReleased = new sfn.Fail(scope, 'Lock Not Released', {
    comment: 'The rollout finished and notified, but its lock could not be released.',
    error: 'LockNotReleased',
    cause:
      'the rollout finished (see its notification) but could not release the fleet lock; ' +
      'ending failed hands the lock to the lock janitor',
  });
  const outcome = new sfn.Choice(scope, 'Did It Fail?')
    .when(sfn.Condition.isPresent('$.error'), rolloutFailed)
    .when(sfn.Condition.isPresent('$.unlockError'), lockNotReleased)
    .when(sfn.Condition.isPresent('$.released.warm'), keepWarm)
    .otherwise(new sfn.Succeed(scope, 'Rollout Done'));
  const releaseLock = invoke('Release Lock', 'ledger', { op: 'unlock' }, null);
  releaseLock.addCatch(outcome, { errors: [sfn.Errors.ALL], resultPath: '$.unlockError' }).next(outcome);
  const notify = tasks.SnsPublish.jsonPath(scope, 'Notify Outcome', {
    topic: props.topic,
    subject: sfn.JsonPath.stringAt('$.finished.subject'),
    message: sfn.TaskInput.fromJsonPathAt('$.finished.message'),
    resultPath: sfn.JsonPath.DISCARD,
  })
    .addRetry({
      // Step Functions names an integration's errors `SNS.<exception>`; the unprefixed names
      // are the SDK's, as the rehearsal raises them.
      // @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
      // @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (Throttled, KMSThrottling, InternalError)
      errors: [
        ...TRANSIENT_ERRORS,
        'SNS.SdkClientException',
        'SNS.ThrottledException',
        'SNS.KMSThrottlingException',
        'SNS.InternalErrorException',
      ],
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    })
    .addCatch(releaseLock, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' })
    .next(releaseLock);
  // A colour kept warm by an earlier release is retired by that release's execution when its
  // time is up, unless another rollout holds the lock then: this one. So, while it still holds
  // the lock, every rollout leaves the idle colour at rest unless it is still to be kept warm.
  const putIdleToRest = invoke(
    'Put Idle Colour To Rest',
    'restore-safe-state',
    { 'fleet.$': '$.finished.fleet', 'dryRun.$': '$.request.dryRun' },
    '$.rested',
  );
  // Every rollout, not only a release, writes the release's tags (the same whenever written):
  // one stopped between Promote Release and here left the released image without them.
  const tag = invoke(
    'Tag Released Image',
    'tag-release',
    { 'before.$': '$.lock.fleet', 'after.$': '$.finished.fleet', 'dryRun.$': '$.request.dryRun' },
    '$.tagged',
  );
  tag.addCatch(notify, { errors: [sfn.Errors.ALL], resultPath: '$.tagError' }).next(notify);
  putIdleToRest.addCatch(tag, { errors: [sfn.Errors.ALL], resultPath: '$.restError' }).next(tag);
  const recordOutcome = invoke(
    'Record Outcome',
    'ledger',
    // The whole document: which of plan, error and progress exist depends on the path taken.
    { op: 'finish', 'document.$': '$' },
    '$.finished',
  );
  recordOutcome
    .addCatch(releaseLock, { errors: [sfn.Errors.ALL], resultPath: '$.recordError' })
    .next(putIdleToRest);

  // ---- compensation ----
  const compensate = invoke(
    'Return Traffic To Last Good Fleet',
    'restore-safe-state',
    { 'fleet.$': '$.lock.fleet', 'dryRun.$': '$.request.dryRun' },
    '$.compensation',
  );
  compensate
    .addCatch(recordOutcome, { errors: [sfn.Errors.ALL], resultPath: '$.compensationError' })
    .next(recordOutcome);
  const guarded = (task: sfn.TaskStateBase): sfn.TaskStateBase => {
    task.addCatch(compensate, catchAll);
    return task;
  };

  // ---- release (canary success or warm flip) ----
  const promote = guarded(
    invoke(
      'Promote Release',
      'ledger',
      {
        op: 'release',
        'request.$': '$.request',
        'plan.$': '$.plan',
        'fleet.$': '$.lock.fleet',
        'version.$': '$.progress.version',
      },
      '$.released',
    ),
  ).next(recordOutcome);

  // ---- canary ----
  const shift = guarded(
    invoke(
      'Shift Traffic',
      'shift-traffic',
      { 'plan.$': '$.plan', 'progress.$': '$.progress' },
      '$.progress',
    ),
  );
  const judge = guarded(
    invoke('Judge Step', 'judge-canary', { 'plan.$': '$.plan', 'progress.$': '$.progress' }, '$.progress'),
  );
  shift
    .next(
      new sfn.Wait(scope, 'Bake Step', {
        time: sfn.WaitTime.duration(Duration.seconds(props.canaryBakeSeconds)),
      }),
    )
    .next(judge)
    .next(
      new sfn.Choice(scope, 'More Steps?')
        .when(sfn.Condition.booleanEquals('$.progress.done', true), promote)
        .otherwise(shift),
    );
  // Poll loops: Wait (as long as the step says) → check → Choice → back to the Wait, or on.
  const pollLoop = (
    names: { wait: string; check: string; choice: string },
    handler: RolloutHandler,
    flag: string,
    then: sfn.IChainable,
  ) => {
    const wait = new sfn.Wait(scope, names.wait, {
      time: sfn.WaitTime.secondsPath('$.progress.waitSeconds'),
    });
    const check = guarded(
      invoke(names.check, handler, { 'plan.$': '$.plan', 'progress.$': '$.progress' }, '$.progress'),
    );
    wait
      .next(check)
      .next(
        new sfn.Choice(scope, names.choice)
          .when(sfn.Condition.booleanEquals(`$.progress.${flag}`, true), then)
          .otherwise(wait),
      );
    return wait;
  };
  const waitForCanary = pollLoop(
    { wait: 'Wait For Canary Instances', check: 'Check Canary Health', choice: 'Canary Healthy?' },
    'check-canary',
    'ready',
    shift,
  );
  const prepare = guarded(
    invoke('Prepare Canary Colour', 'prepare-canary', { 'plan.$': '$.plan' }, '$.progress'),
  ).next(waitForCanary);

  // ---- rollback while the previous colour is warm ----
  const flip = guarded(
    invoke('Flip Traffic Back', 'shift-traffic', { 'plan.$': '$.plan' }, '$.progress'),
  ).next(promote);
  // The warm colour takes all the traffic at once, so only when every target it needs is
  // already healthy: the check's deadline is the plan's time (CanaryUnhealthy otherwise).
  const checkWarm = guarded(
    invoke(
      'Check Warm Colour Health',
      'check-canary',
      {
        'plan.$': '$.plan',
        progress: {
          phase: 'launching',
          'version.$': '$.plan.version',
          'capacity.$': '$.plan.capacity',
          'deadline.$': '$.plan.healthyBy',
          healthy: 0,
          ready: false,
          waitSeconds: 0,
          step: 0,
          weight: 0,
          done: false,
          judgements: [],
        },
      },
      '$.warmCheck',
    ),
  ).next(
    new sfn.Choice(scope, 'Warm Colour Healthy?')
      .when(sfn.Condition.booleanEquals('$.warmCheck.ready', true), flip)
      .otherwise(
        new sfn.Pass(scope, 'Warm Colour Not Healthy', {
          result: sfn.Result.fromObject({
            Error: 'CanaryUnhealthy',
            Cause: 'the warm colour has fewer healthy targets than the live colour; traffic was not moved',
          }),
          resultPath: '$.error',
        }).next(compensate),
      ),
  );

  // ---- phoenix ----
  const waitForRefresh = pollLoop(
    { wait: 'Wait For Refresh', check: 'Check Refresh', choice: 'Refresh Done?' },
    'check-refresh',
    'done',
    recordOutcome,
  );
  const startRefresh = guarded(
    invoke('Start Refresh', 'start-refresh', { 'plan.$': '$.plan' }, '$.progress'),
  ).next(waitForRefresh);

  // ---- start ----
  const route = new sfn.Choice(scope, 'What Does The Plan Say?')
    .when(sfn.Condition.booleanEquals('$.request.dryRun', true), recordOutcome)
    .when(sfn.Condition.stringEquals('$.plan.kind', 'skip'), recordOutcome)
    .when(sfn.Condition.stringEquals('$.plan.kind', 'refresh'), startRefresh)
    .when(sfn.Condition.stringEquals('$.plan.kind', 'canary'), prepare)
    .when(sfn.Condition.stringEquals('$.plan.kind', 'flip'), checkWarm)
    .otherwise(recordOutcome);
  const recordStart = guarded(
    invoke(
      'Record Start',
      'ledger',
      { op: 'start', 'request.$': '$.request', 'plan.$': '$.plan', 'fleet.$': '$.lock.fleet' },
      null,
    ),
  ).next(route);
  const plan = guarded(
    invoke('Plan Rollout', 'plan-rollout', { 'request.$': '$.request', 'fleet.$': '$.lock.fleet' }, '$.plan'),
  ).next(recordStart);
  const restore = guarded(
    invoke(
      'Restore Safe State',
      'restore-safe-state',
      { 'fleet.$': '$.lock.fleet', 'dryRun.$': '$.request.dryRun' },
      '$.restored',
    ),
  );
  // A refresh it cancelled (or found rolling back) still changes the live group for a while:
  // look again until it has stopped, so nothing is planned against a moving fleet.
  restore.next(
    new sfn.Choice(scope, 'Fleet Settled?')
      .when(
        sfn.Condition.isPresent('$.restored.waitSeconds'),
        new sfn.Wait(scope, 'Wait For Refresh To Stop', {
          time: sfn.WaitTime.secondsPath('$.restored.waitSeconds'),
        }).next(restore),
      )
      .otherwise(plan),
  );

  const couldNotStart = failWith('Could Not Start', 'Nothing was changed.');
  const acquire = invoke('Acquire Lock', 'ledger', { op: 'acquire', 'request.$': '$.request' }, '$.lock')
    .addCatch(
      failWith('Refuse Concurrent Rollout', 'Another rollout holds this fleet; nothing was changed.'),
      {
        errors: ['RolloutInProgress'],
        resultPath: '$.error',
      },
    )
    .addCatch(couldNotStart, catchAll)
    .next(restore);
  const validate = invoke('Validate Input', 'validate-input', { 'input.$': '$.input' }, '$.request')
    .addCatch(failWith('Reject Input', 'The input is invalid; nothing was changed.'), {
      errors: ['InvalidInput'],
      resultPath: '$.error',
    })
    .addCatch(couldNotStart, catchAll)
    .next(acquire);

  return sfn.Pass.jsonPath(scope, 'Load Settings', {
    comment: 'The environment the rollout runs in, fixed at deploy time.',
    // The input comes from the context object, not from a Path on the state input: a Path on a
    // null or empty input fails the execution (States.Runtime) before Validate Input can refuse
    // it as InvalidInput. A null InputPath hands the state {} instead of the raw input.
    // @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    // @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
    inputPath: sfn.JsonPath.DISCARD,
    parameters: {
      'input.$': '$$.Execution.Input',
      settings: props.settings,
      execution: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
      },
    },
  }).next(validate);
}
