import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TRANSIENT_ERRORS } from '../../../../lambda/shared/transient-errors';
import { CATCH_ALL, failWith } from './steps';
import type { RolloutSteps } from './steps';
import { ReturnToLastGoodFleet } from './way-back';
import type { WayBackFleet } from './way-back';

export interface FinishRolloutProps {
  readonly steps: RolloutSteps;
  /** Where the outcome is announced. */
  readonly topic: sns.ITopic;
  /** What the way back puts right. */
  readonly fleet: WayBackFleet;
}

/** Record the error a finishing step caught at `resultPath` and go on: bookkeeping never fails a rollout. */
const caughtAt = (resultPath: string): sfn.CatchProps => ({ errors: [sfn.Errors.ALL], resultPath });

/**
 * Every path after the lock ends here: Record Outcome → Put Idle Colour To Rest → Announce
 * Release → Notify Outcome → Release Lock → Did It Fail?, then fail, or keep the old colour warm
 * and retire it. Three ways in:
 * - the start state, for a rollout that ends as planned (or had nothing to do);
 * - {@link release}: Promote Release first (a canary that passed, a warm flip);
 * - {@link compensation}: Return Traffic To Last Good Fleet first (any failure, by direct AWS
 *   calls that need no Lambda), so a failed rollout still ends with traffic on the released
 *   image, the lock released, the ledger closed and a notification sent.
 */
export class FinishRollout extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  /** Nothing follows: every path ends in Succeed or Fail. */
  readonly endStates: sfn.INextable[] = [];
  /** Record the release (the new image and colour), then finish. */
  readonly release: sfn.State;
  /** Put traffic back on the last good fleet (no Lambda involved), then finish. */
  readonly compensation: sfn.IChainable;

  constructor(scope: Construct, id: string, props: FinishRolloutProps) {
    super(scope, id);
    const { steps } = props;
    const recordOutcome = steps.invoke(
      this,
      'Record Outcome',
      'ledger',
      // The whole document: which of plan, error and progress exist depends on the path taken.
      { op: 'finish', 'document.$': '$' },
      '$.finished',
    );
    // A colour kept warm by an earlier release is retired by that release's execution when its
    // time is up, unless another rollout holds the lock then: this one. So, while it still holds
    // the lock, every rollout leaves the idle colour at rest unless it is still to be kept warm.
    const putIdleToRest = steps.invoke(
      this,
      'Put Idle Colour To Rest',
      'restore-safe-state',
      { 'fleet.$': '$.finished.fleet', 'dryRun.$': '$.request.dryRun' },
      '$.rested',
    );
    // Every rollout, not only a release, announces a release not yet announced: one stopped
    // between Promote Release and here left it unannounced (the next environment would never
    // promote it, the image factory never keep it).
    const tag = steps.invoke(
      this,
      'Announce Release',
      'announce-release',
      { 'dryRun.$': '$.request.dryRun' },
      '$.announced',
    );
    const notify = this.notify(props.topic);
    const releaseLock = steps.invoke(this, 'Release Lock', 'ledger', { op: 'unlock' }, null);
    const outcome = this.outcome(steps);

    recordOutcome.addCatch(releaseLock, caughtAt('$.recordError')).next(putIdleToRest);
    putIdleToRest.addCatch(tag, caughtAt('$.restError')).next(tag);
    tag.addCatch(notify, caughtAt('$.announceError')).next(notify);
    notify.addCatch(releaseLock, caughtAt('$.notifyError')).next(releaseLock);
    releaseLock.addCatch(outcome, caughtAt('$.unlockError')).next(outcome);

    this.compensation = new ReturnToLastGoodFleet(this, 'WayBack', {
      onError: recordOutcome,
      fleet: props.fleet,
    }).next(recordOutcome);
    const promote = steps.guarded(
      this,
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
      this.compensation,
    );
    promote.next(recordOutcome);
    this.release = promote;
    this.startState = recordOutcome;
  }

  private notify(topic: sns.ITopic): sfn.TaskStateBase {
    return tasks.SnsPublish.jsonPath(this, 'Notify Outcome', {
      topic,
      subject: sfn.JsonPath.stringAt('$.finished.subject'),
      message: sfn.TaskInput.fromJsonPathAt('$.finished.message'),
      resultPath: sfn.JsonPath.DISCARD,
    }).addRetry({
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
    });
  }

  /** How the execution ends, once the lock is released (or could not be). */
  private outcome(steps: RolloutSteps): sfn.Choice {
    const retire = steps.invoke(
      this,
      'Retire Previous Colour',
      'retire-colour',
      { 'fleet.$': '$.released' },
      '$.retired',
    );
    // A retirement that failed past its retries must not end quietly with the old colour up and
    // paid for: ending FAILED shows it (console, ExecutionsFailed) and hands it to the lock
    // janitor, whose restore retires a colour kept warm past its time.
    retire.addCatch(
      new sfn.Fail(this, 'Retirement Failed', {
        comment: 'The rollout finished and notified, but the previous colour could not be retired.',
        error: 'RetirementFailed',
        cause:
          'the rollout finished (see its notification) but retiring the previous colour failed; ' +
          'the lock janitor restores the fleet, which retires it',
      }),
      CATCH_ALL,
    );
    // Another execution holds the fleet: look again when the retirement says (a dry run holding
    // the lock would otherwise leave the colour up with nobody to retire it).
    const waitForLock = new sfn.Wait(this, 'Wait For The Fleet To Retire', {
      time: sfn.WaitTime.secondsPath('$.retired.waitSeconds'),
    }).next(retire);
    retire.next(
      new sfn.Choice(this, 'Colour Retired?')
        .when(sfn.Condition.isPresent('$.retired.waitSeconds'), waitForLock)
        .otherwise(new sfn.Succeed(this, 'Rollout Done After Retiring')),
    );
    const keepWarm = new sfn.Wait(this, 'Keep Previous Colour Warm', {
      comment: 'The previous colour stays up so a rollback is an instant weight flip.',
      time: sfn.WaitTime.timestampPath('$.released.warm.until'),
    }).next(retire);
    // The lock janitor hears only of failed, stopped and timed-out executions: one that ended
    // SUCCEEDED still holding its lock would keep the fleet locked until the lock expired.
    const lockNotReleased = new sfn.Fail(this, 'Lock Not Released', {
      comment: 'The rollout finished and notified, but its lock could not be released.',
      error: 'LockNotReleased',
      cause:
        'the rollout finished (see its notification) but could not release the fleet lock; ' +
        'ending failed hands the lock to the lock janitor',
    });
    return new sfn.Choice(this, 'Did It Fail?')
      .when(
        sfn.Condition.isPresent('$.error'),
        failWith(
          this,
          'Rollout Failed',
          'Traffic is on the released image; see the ledger and the notification.',
        ),
      )
      .when(sfn.Condition.isPresent('$.unlockError'), lockNotReleased)
      .when(sfn.Condition.isPresent('$.released.warm'), keepWarm)
      .otherwise(new sfn.Succeed(this, 'Rollout Done'));
  }
}
