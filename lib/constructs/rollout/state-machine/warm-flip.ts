import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { flipPath as path } from '../../../../lambda/shared/workflow/rollout-document';
import { DocumentCondition } from './document-conditions';
import type { RolloutFragmentProps } from './steps';

/**
 * Rollback while the previous colour is still warm: all traffic back to it at once, which is
 * only safe when every target it needs is already healthy. Check Warm Colour Health → Warm
 * Colour Healthy? → Flip Traffic Back; a colour short of healthy targets fails the rollout
 * (CanaryUnhealthy) without moving any traffic.
 */
export class WarmFlip extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: RolloutFragmentProps) {
    super(scope, id);
    const { steps, onFailure } = props;
    const flip = steps.guarded(this, 'Flip Traffic Back', 'shift-traffic', path('progress'), onFailure);
    // The health check of a canary launch, with the plan's time as its deadline.
    const check = steps.guarded(
      this,
      'Check Warm Colour Health',
      'check-canary',
      path('warmCheck'),
      onFailure,
    );
    const notHealthy = new sfn.Pass(this, 'Warm Colour Not Healthy', {
      result: sfn.Result.fromObject({
        Error: 'CanaryUnhealthy',
        Cause: 'the warm colour has fewer healthy targets than the live colour; traffic was not moved',
      }),
      resultPath: path('error'),
    });
    check.next(
      new sfn.Choice(this, 'Warm Colour Healthy?')
        .when(DocumentCondition.booleanEquals(path('warmCheck', 'ready'), true), flip)
        .otherwise(notHealthy.next(onFailure)),
    );
    this.startState = check;
    this.endStates = [flip];
  }
}
