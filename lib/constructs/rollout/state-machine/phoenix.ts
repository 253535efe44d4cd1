import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { phoenixPath as path } from '../../../../lambda/shared/workflow/rollout-document';
import { DocumentCondition } from './document-conditions';
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
      resultPath: path('progress'),
      until: { doneWhen: DocumentCondition.booleanEquals(path('progress', 'done'), true) },
    });
    const start = steps.guarded(this, 'Start Refresh', 'start-refresh', path('progress'), onFailure);
    start.next(waitForRefresh);
    this.startState = start;
    this.endStates = waitForRefresh.endStates;
  }
}
