import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PollLoop } from './poll-loop';
import type { RolloutFragmentProps } from './steps';

/**
 * Phoenix rotation: an instance refresh of the live group onto a new launch-template version,
 * then polled until it has ended: Start Refresh → (Wait For Refresh → Check Refresh → Refresh
 * Done?)*. A refresh that failed or rolled back makes the check fail, into the compensation.
 */
export class PhoenixRotation extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: RolloutFragmentProps) {
    super(scope, id);
    const { steps, onFailure } = props;
    const waitForRefresh = new PollLoop(this, 'Refresh', {
      ...props,
      names: { wait: 'Wait For Refresh', check: 'Check Refresh', choice: 'Refresh Done?' },
      handler: 'check-refresh',
      payload: { 'plan.$': '$.plan', 'progress.$': '$.progress' },
      resultPath: '$.progress',
      until: { doneWhen: sfn.Condition.booleanEquals('$.progress.done', true) },
    });
    const start = steps.guarded(
      this,
      'Start Refresh',
      'start-refresh',
      { 'plan.$': '$.plan' },
      '$.progress',
      onFailure,
    );
    start.next(waitForRefresh);
    this.startState = start;
    this.endStates = waitForRefresh.endStates;
  }
}
