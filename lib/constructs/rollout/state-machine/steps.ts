import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_ERRORS, TRANSIENT_ERRORS } from '../../../../lambda/shared/transient-errors';
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
 * What every step payload draws from: the execution. A step's settings are its function's own
 * (its ROLLOUT_SETTINGS variable, written by the stack), never the payload's.
 */
const COMMON = { 'execution.$': '$.execution' };

/** Catch every error, adding it to the document at `$.error` (never replacing the document). */
export const CATCH_ALL: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

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
   * A step running one rollout function with the execution in its payload.
   * Transient errors are retried (backoff with full jitter), and so, twice, is a function that
   * ran out of time: every rollout step is safe to run again after an attempt that acted but
   * timed out (reads and polls; writes that set a state rather than change it; the lock and
   * ledger writes, conditional on their owner or generation; launch-template versions, created
   * with a ClientToken). A timeout that persists fails the step, into the compensation, and the
   * ledger records the error. Anything else is a real failure for the state to catch.
   */
  invoke(
    scope: Construct,
    name: string,
    handler: RolloutHandler,
    payload: Readonly<Record<string, unknown>>,
    resultPath: string | null,
  ): sfn.TaskStateBase {
    this.invoked.add(handler);
    return tasks.LambdaInvoke.jsonPath(scope, name, {
      lambdaFunction: this.functions.get(handler),
      payload: sfn.TaskInput.fromObject({ ...COMMON, ...payload }),
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
  guarded(
    scope: Construct,
    name: string,
    handler: RolloutHandler,
    payload: Readonly<Record<string, unknown>>,
    resultPath: string | null,
    onFailure: sfn.IChainable,
  ): sfn.TaskStateBase {
    return this.invoke(scope, name, handler, payload, resultPath).addCatch(onFailure, CATCH_ALL);
  }
}

/** A Fail state that reports the error and cause caught into the document. */
export const failWith = (scope: Construct, name: string, comment: string): sfn.Fail =>
  new sfn.Fail(scope, name, { comment, errorPath: '$.error.Error', causePath: '$.error.Cause' });

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
