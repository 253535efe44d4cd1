import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { RolloutHandler } from '../../../../lib/constructs/rollout/rollout-functions';
import { RolloutSteps } from '../../../../lib/constructs/rollout/state-machine/steps';
import type { AslState } from '../rollout-template';

/** A fragment's world: a bare stack, steps on stand-in functions, and the states around it. */
export interface Harness {
  readonly stack: Stack;
  readonly steps: RolloutSteps;
  /** Where failures go (a Pass named Compensate). */
  readonly compensate: sfn.Pass;
  /** What follows the fragment (a Succeed named Next). */
  readonly next: sfn.Succeed;
  readonly topic: sns.ITopic;
  /** The ARN of a handler's stand-in function. */
  arnOf(handler: RolloutHandler): string;
  /** The states reachable from `start`, as Amazon States Language with tokens resolved. */
  states(start: sfn.IChainable): Record<string, AslState>;
}

/** No synth happens here: fragments are rendered straight from their state graph. */
export function harness(): Harness {
  const stack = new Stack(new App(), 'Fragments');
  const arnOf = (handler: RolloutHandler) => `arn:aws:lambda:eu-west-1:111111111111:function:${handler}`;
  const functions = new Map<RolloutHandler, lambda.IFunction>();
  const steps = new RolloutSteps({
    get(handler) {
      const fn = functions.get(handler) ?? lambda.Function.fromFunctionArn(stack, handler, arnOf(handler));
      functions.set(handler, fn);
      return fn;
    },
  });
  return {
    stack,
    steps,
    compensate: new sfn.Pass(stack, 'Compensate'),
    next: new sfn.Succeed(stack, 'Next'),
    topic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111111111111:rollouts'),
    arnOf,
    states(start) {
      const graph = new sfn.StateGraph(start.startState, 'fragment');
      return (stack.resolve(graph.toGraphJson()) as { States: Record<string, AslState> }).States;
    },
  };
}
