import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { pathsBelow } from '../../../../lambda/shared/workflow/json-path';
import type { JsonPath } from '../../../../lambda/shared/workflow/json-path';
import { choiceExit } from './steps';
import type { RolloutFragmentProps, StepFunction, StepState } from './steps';

/** When a poll loop stops: when the check says it is done, or unless it asks to wait again. */
export type PollUntil = { readonly doneWhen: sfn.Condition } | { readonly waitAgainWhen: sfn.Condition };

export interface PollLoopProps<Fn extends StepFunction> extends RolloutFragmentProps {
  /** State names, as the console shows them; the check sends what the contract lists for it. */
  readonly names: { readonly wait: string; readonly check: StepState<Fn>; readonly choice: string };
  /** The function that looks at the fleet. */
  readonly handler: Fn;
  /** Where its result goes; the wait reads `waitSeconds` there. */
  readonly resultPath: JsonPath<{ readonly waitSeconds?: number } | undefined>;
  readonly until: PollUntil;
  /**
   * Look before the first wait (a fleet that is already settled then passes without waiting).
   * @default false - wait first: the step before the loop just started something
   */
  readonly checkFirst?: boolean;
}

/**
 * The one poll loop of the workflow: Wait → Check → Choice → back to the Wait, or on. The wait
 * lasts as long as the check computed the fleet should still need, not a fixed short interval,
 * so a loop costs few transitions. A failed check goes to the compensation like any step.
 */
export class PollLoop<Fn extends StepFunction> extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: PollLoopProps<Fn>) {
    super(scope, id);
    const { names, until } = props;
    const wait = new sfn.Wait(this, names.wait, {
      time: sfn.WaitTime.secondsPath(pathsBelow(props.resultPath)('waitSeconds')),
    });
    const check = props.steps.guarded(this, names.check, props.handler, props.resultPath, props.onFailure);
    const choice = new sfn.Choice(this, names.choice);
    wait.next(check).next(choice);
    if ('doneWhen' in until) {
      choice.otherwise(wait);
      this.endStates = [choiceExit(choice, until.doneWhen)];
    } else {
      choice.when(until.waitAgainWhen, wait);
      this.endStates = [choiceExit(choice)];
    }
    this.startState = props.checkFirst ? check : wait;
  }
}
