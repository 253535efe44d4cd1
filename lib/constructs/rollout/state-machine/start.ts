import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PollLoop } from './poll-loop';
import { CATCH_ALL, failWith } from './steps';
import type { RolloutFragmentProps } from './steps';

export type StartRolloutProps = RolloutFragmentProps;

/**
 * From the input to a plan recorded in the ledger: Load Settings → Validate Input → Acquire
 * Lock → Restore Safe State ⟲ (until no refresh is stopping) → Plan Rollout → Record Start.
 * Nothing changes before the input is valid and the lock is held; from the restore on, a
 * failure goes to the compensation.
 */
export class StartRollout extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: StartRolloutProps) {
    super(scope, id);
    const { steps, onFailure } = props;
    const load = sfn.Pass.jsonPath(this, 'Load Settings', {
      // The name predates the settings' move to each function's own variables; kept, because the
      // console graph, execution histories and operators' saved queries name it.
      comment: 'The input and the execution: what the steps receive (their settings are their own).',
      // The input comes from the context object, not from a Path on the state input: a Path on a
      // null or empty input fails the execution (States.Runtime) before Validate Input can refuse
      // it as InvalidInput. A null InputPath hands the state {} instead of the raw input.
      // @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
      // @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
      inputPath: sfn.JsonPath.DISCARD,
      parameters: {
        'input.$': '$$.Execution.Input',
        execution: {
          'id.$': '$$.Execution.Id',
          'name.$': '$$.Execution.Name',
          'startedAt.$': '$$.Execution.StartTime',
        },
      },
    });
    const couldNotStart = failWith(this, 'Could Not Start', 'Nothing was changed.');
    const validate = steps
      .invoke(this, 'Validate Input', 'validate-input', { 'input.$': '$.input' }, '$.request')
      .addCatch(failWith(this, 'Reject Input', 'The input is invalid; nothing was changed.'), {
        errors: ['InvalidInput'],
        resultPath: '$.error',
      })
      .addCatch(couldNotStart, CATCH_ALL);
    const acquire = steps
      .invoke(this, 'Acquire Lock', 'ledger', { op: 'acquire', 'request.$': '$.request' }, '$.lock')
      .addCatch(
        failWith(this, 'Refuse Concurrent Rollout', 'Another rollout holds this fleet; nothing was changed.'),
        {
          errors: ['RolloutInProgress'],
          resultPath: '$.error',
        },
      )
      .addCatch(couldNotStart, CATCH_ALL);
    // A refresh it cancelled (or found rolling back) still changes the live group for a while:
    // look again until it has stopped, so nothing is planned against a moving fleet.
    const restore = new PollLoop(this, 'Restore', {
      ...props,
      names: { wait: 'Wait For Refresh To Stop', check: 'Restore Safe State', choice: 'Fleet Settled?' },
      handler: 'restore-safe-state',
      payload: { 'fleet.$': '$.lock.fleet', 'dryRun.$': '$.request.dryRun' },
      resultPath: '$.restored',
      until: { waitAgainWhen: sfn.Condition.isPresent('$.restored.waitSeconds') },
      checkFirst: true,
    });
    const plan = steps.guarded(
      this,
      'Plan Rollout',
      'plan-rollout',
      { 'request.$': '$.request', 'fleet.$': '$.lock.fleet' },
      '$.plan',
      onFailure,
    );
    // `$.recorded` marks the document of a rollout past planning: from here on, steps change
    // the fleet, and the way back has something to put back.
    const recordStart = steps.guarded(
      this,
      'Record Start',
      'ledger',
      { op: 'start', 'request.$': '$.request', 'plan.$': '$.plan', 'fleet.$': '$.lock.fleet' },
      '$.recorded',
      onFailure,
    );
    load.next(validate).next(acquire).next(restore).next(plan).next(recordStart);
    this.startState = load;
    this.endStates = [recordStart];
  }
}
