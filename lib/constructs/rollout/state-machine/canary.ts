import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PollLoop } from './poll-loop';
import { choiceExit } from './steps';
import type { RolloutFragmentProps } from './steps';

export interface CanaryShiftProps extends RolloutFragmentProps {
  /** Seconds each step holds its weights before it is judged. */
  readonly bakeSeconds: number;
}

/**
 * Canary shift: bring the idle colour up on the new image, wait until its targets are healthy,
 * then move traffic to it step by step, each step baked and judged: Prepare Canary Colour →
 * (Wait For Canary Instances → Check Canary Health → Canary Healthy?)* → (Shift Traffic → Bake
 * Step → Judge Step → More Steps?)*. Ends once the last step is judged good; a bad step fails
 * the judge, into the compensation.
 */
export class CanaryShift extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: CanaryShiftProps) {
    super(scope, id);
    const { steps, onFailure } = props;
    const stepPayload = { 'plan.$': '$.plan', 'progress.$': '$.progress' };
    const shift = steps.guarded(this, 'Shift Traffic', 'shift-traffic', stepPayload, '$.progress', onFailure);
    const judge = steps.guarded(this, 'Judge Step', 'judge-canary', stepPayload, '$.progress', onFailure);
    const moreSteps = new sfn.Choice(this, 'More Steps?').otherwise(shift);
    shift
      .next(
        new sfn.Wait(this, 'Bake Step', { time: sfn.WaitTime.duration(Duration.seconds(props.bakeSeconds)) }),
      )
      .next(judge)
      .next(moreSteps);

    const waitForInstances = new PollLoop(this, 'CanaryInstances', {
      ...props,
      names: { wait: 'Wait For Canary Instances', check: 'Check Canary Health', choice: 'Canary Healthy?' },
      handler: 'check-canary',
      payload: stepPayload,
      resultPath: '$.progress',
      until: { doneWhen: sfn.Condition.booleanEquals('$.progress.ready', true) },
    }).next(shift);
    const prepare = steps.guarded(
      this,
      'Prepare Canary Colour',
      'prepare-canary',
      { 'plan.$': '$.plan' },
      '$.progress',
      onFailure,
    );
    prepare.next(waitForInstances);
    this.startState = prepare;
    this.endStates = [choiceExit(moreSteps, sfn.Condition.booleanEquals('$.progress.done', true))];
  }
}
