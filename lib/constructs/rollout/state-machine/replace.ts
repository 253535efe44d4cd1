import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { replacePath as path } from '../../../../lambda/shared/workflow/rollout-document';
import { DocumentCondition } from './document-conditions';
import { PollLoop } from './poll-loop';
import type { RolloutFragmentProps } from './steps';

/**
 * Replacing named instances: Start Replacement (each group grows by the instances it replaces)
 * → (Wait For Replacements → Check Replacement → Replacement Done?)*, where the check detaches the
 * replaced instances once their replacements are healthy targets, then terminates them once the
 * group has let them go. Healthy serving capacity never drops below what the fleet had.
 */
export class ReplaceInstances extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: RolloutFragmentProps) {
    super(scope, id);
    const { steps, onFailure } = props;
    const start = steps.guarded(this, 'Start Replacement', 'replace-instances', path('progress'), onFailure);
    const poll = new PollLoop(this, 'Replacement', {
      ...props,
      names: { wait: 'Wait For Replacements', check: 'Check Replacement', choice: 'Replacement Done?' },
      handler: 'replace-instances',
      resultPath: path('progress'),
      until: { doneWhen: DocumentCondition.booleanEquals(path('progress', 'done'), true) },
    });
    start.next(poll);
    this.startState = start;
    this.endStates = poll.endStates;
  }
}
