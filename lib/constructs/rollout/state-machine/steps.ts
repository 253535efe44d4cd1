import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { CaughtError } from '../../../../lambda/shared/documents';
import { FUNCTION_TIMEOUT_ERRORS, TRANSIENT_ERRORS } from '../../../../lambda/shared/transient-errors';
import { pathsBelow } from '../../../../lambda/shared/workflow/json-path';
import type { JsonPath } from '../../../../lambda/shared/workflow/json-path';
import { PROMOTION_STEP_PAYLOADS } from '../../../../lambda/shared/workflow/promotion-steps';
import { rolloutPath } from '../../../../lambda/shared/workflow/rollout-document';
import { ROLLOUT_STEP_PAYLOADS } from '../../../../lambda/shared/workflow/rollout-steps';
import type { StateOf, StepPayloadTable } from '../../../../lambda/shared/workflow/step-payloads';
import { FUNCTION_TIMEOUT } from '../../functions/product-function';
import type { RolloutHandler } from '../rollout-functions';

/**
 * How long a Lambda task waits for its invocation: the function's own timeout, plus room for a
 * cold start's initialization (at most 10 s) and the invocation itself. A function that runs out
 * of time is then reported as a function timeout (retried where safe), and `States.Timeout` only
 * fires when the invocation itself hangs.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html (Init phase: 10 s)
 */
export const TASK_TIMEOUT = FUNCTION_TIMEOUT.plus(Duration.seconds(15));

/**
 * What each state sends each function it runs, the rollout's and the promotion's (both state
 * machines run their steps alike): the contract the functions' event types are derived from.
 */
const STEP_PAYLOADS = { ...ROLLOUT_STEP_PAYLOADS, ...PROMOTION_STEP_PAYLOADS };
type StepPayloads = typeof STEP_PAYLOADS;

/** A function a state machine's states run. */
export type StepFunction = keyof StepPayloads;

/** A state that runs `fn` with a payload the contract lists. */
export type StepState<Fn extends StepFunction> = StateOf<StepPayloads, Fn>;

/** Catch every error, adding it to the document at `resultPath` (never replacing the document). */
export const catchInto = (resultPath: JsonPath<CaughtError | undefined>): sfn.CatchProps => ({
  errors: [sfn.Errors.ALL],
  resultPath,
});

/** Catch every error into the rollout's `$.error`. */
export const CATCH_ALL: sfn.CatchProps = catchInto(rolloutPath('error'));

/** What every fragment that runs once the lock is held needs. */
export interface RolloutFragmentProps {
  /** Builds the Lambda steps. */
  readonly steps: RolloutSteps;
  /** Where a step that fails goes: the compensation, which puts traffic back on the last good fleet. */
  readonly onFailure: sfn.IChainable;
}

/** The function behind each handler (RolloutFunctions). */
export interface RolloutFunctionSource {
  get(handler: RolloutHandler): lambda.IFunction;
}

/** Builds the rollout's Lambda steps, all configured alike. */
export class RolloutSteps {
  private readonly invoked = new Set<RolloutHandler>();

  constructor(private readonly functions: RolloutFunctionSource) {}

  /** The functions the steps built so far run. */
  invokedFunctions(): lambda.IFunction[] {
    return [...this.invoked].map((handler) => this.functions.get(handler));
  }

  /**
   * The state `name` running the function `handler`, with the payload the contract says that
   * state sends it (lambda/shared/workflow/), its result at `resultPath` (null: discarded).
   * Transient errors are retried (backoff with full jitter), and so, twice, is a function that
   * ran out of time: every rollout step is safe to run again after an attempt that acted but
   * timed out (reads and polls; writes that set a state rather than change it; the lock and
   * ledger writes, conditional on their owner or generation; launch-template versions, created
   * with a ClientToken). A timeout that persists fails the step, into the compensation, and the
   * ledger records the error. Anything else is a real failure for the state to catch.
   */
  invoke<Fn extends StepFunction>(
    scope: Construct,
    name: StepState<Fn>,
    handler: Fn,
    resultPath: JsonPath<unknown> | null,
  ): sfn.TaskStateBase {
    const payloads: StepPayloadTable = STEP_PAYLOADS;
    const payload = payloads[handler]?.[name];
    if (typeof payload !== 'object') throw new Error(`no payload for ${name} (${handler})`);
    this.invoked.add(handler);
    return tasks.LambdaInvoke.jsonPath(scope, name, {
      lambdaFunction: this.functions.get(handler),
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: resultPath === null ? sfn.JsonPath.DISCARD : resultPath,
      taskTimeout: sfn.Timeout.duration(TASK_TIMEOUT),
    })
      .addRetry({
        errors: [...TRANSIENT_ERRORS],
        interval: Duration.seconds(2),
        backoffRate: 2,
        maxAttempts: 6,
        maxDelay: Duration.seconds(60),
        jitterStrategy: sfn.JitterType.FULL,
      })
      .addRetry({
        // Each attempt may take the whole function timeout: two more, then the compensation.
        errors: [...FUNCTION_TIMEOUT_ERRORS],
        interval: Duration.seconds(2),
        backoffRate: 2,
        maxAttempts: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
  }

  /** A step that goes to the compensation when it fails. */
  guarded<Fn extends StepFunction>(
    scope: Construct,
    name: StepState<Fn>,
    handler: Fn,
    resultPath: JsonPath<unknown> | null,
    onFailure: sfn.IChainable,
  ): sfn.TaskStateBase {
    return this.invoke(scope, name, handler, resultPath).addCatch(onFailure, CATCH_ALL);
  }
}

/** A Fail state that reports the error and cause caught into the document at `error`. */
export function failWith(
  scope: Construct,
  name: string,
  comment: string,
  error: JsonPath<CaughtError | undefined> = rolloutPath('error'),
): sfn.Fail {
  const caught = pathsBelow(error);
  return new sfn.Fail(scope, name, { comment, errorPath: caught('Error'), causePath: caught('Cause') });
}

/**
 * One way out of a Choice, as an end state a fragment can hand out: `next(x)` adds the branch
 * to x, on `condition` when given, else as the Choice's default.
 */
export function choiceExit(choice: sfn.Choice, condition?: sfn.Condition): sfn.INextable {
  return {
    next(state: sfn.IChainable): sfn.Chain {
      if (condition) choice.when(condition, state);
      else choice.otherwise(state);
      return sfn.Chain.custom(choice, state.endStates, state);
    },
  };
}
