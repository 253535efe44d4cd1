import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { canaryPath as path } from '../../../../lambda/shared/workflow/rollout-document';
import { DocumentCondition } from './document-conditions';
import { PollLoop } from './poll-loop';
import { choiceExit } from './steps';
import type { RolloutFragmentProps } from './steps';

export type CanaryShiftProps = RolloutFragmentProps;

/**
 * Canary shift: bring the idle colour up on the new image, wait until its targets are healthy,
 * then move traffic to it step by step, each step judged while it bakes: Prepare Canary Colour →
 * (Wait For Canary Instances → Check Canary Health → Canary Healthy?)* → (Shift Traffic → (Bake
 * Step → Judge Step → More Steps?)*)*. The judge looks every CANARY_CHECK_SECONDS until the step
 * has baked its time (it says how long to wait next), so a regression that starts mid-step fails
 * the judge within about a minute of its alarm, into the compensation, instead of at the end of
 * the bake. Polled rather than woken by the alarm's state-change event through a task token: the
 * same judge and the same Wait the rehearsal runs, no EventBridge rule per execution to create
 * and clean up, and a few cents of transitions per prod canary. Ends once the last step is judged
 * good after its bake.
 */
export class CanaryShift extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: CanaryShiftProps) {
    super(scope, id);
    const { steps, onFailure } = props;
    const shift = steps.guarded(this, 'Shift Traffic', 'shift-traffic', path('progress'), onFailure);
    const judge = steps.guarded(this, 'Judge Step', 'judge-canary', path('progress'), onFailure);
    const bake = new sfn.Wait(this, 'Bake Step', {
      time: sfn.WaitTime.secondsPath(path('progress', 'waitSeconds')),
    });
    const moreSteps = new sfn.Choice(this, 'More Steps?')
      .when(DocumentCondition.booleanEquals(path('progress', 'baking'), true), bake)
      .otherwise(shift);
    shift.next(bake).next(judge).next(moreSteps);

    const waitForInstances = new PollLoop(this, 'CanaryInstances', {
      ...props,
      names: { wait: 'Wait For Canary Instances', check: 'Check Canary Health', choice: 'Canary Healthy?' },
      handler: 'check-canary',
      resultPath: path('progress'),
      until: { doneWhen: DocumentCondition.booleanEquals(path('progress', 'ready'), true) },
    }).next(shift);
    const prepare = steps.guarded(
      this,
      'Prepare Canary Colour',
      'prepare-canary',
      path('progress'),
      onFailure,
    );
    prepare.next(waitForInstances);
    this.startState = prepare;
    this.endStates = [choiceExit(moreSteps, DocumentCondition.booleanEquals(path('progress', 'done'), true))];
  }
}
