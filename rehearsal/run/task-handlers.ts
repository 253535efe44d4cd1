import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { WAIT_RESOURCE, waitSeconds } from '../asl';
import type { AslDefinition, Retrier, WaitSpec } from '../asl';
import { buildHandler, sdkClients } from '../deployed-handlers';
import type { BuiltHandler } from '../deployed-handlers';
import type { VirtualTime } from '../virtual-time';
import { isSdkIntegration, runSdkIntegration } from './sdk-integrations';

/** The optimized SNS integration: a Task resource that is not a deployed function. */
export const SNS_PUBLISH = 'arn:aws:states:::sns:publish';

/**
 * A deployed function invoked with a task token (its Parameters name the function and its
 * Payload): the task waits for SendTaskSuccess or SendTaskFailure with that token, or its timeout.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 */
export const LAMBDA_WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Every task token the rehearsal hands out starts with this (a stand-in finds it in the payload by it). */
export const TASK_TOKEN_PREFIX = 'rehearsal-task-token:';

export type TaskHandler = (input: unknown) => Promise<unknown>;

/** Where a task waiting for its token hears the answer: the train's Step Functions. */
export interface TaskTokenWaiter {
  /**
   * Resolves with the output SendTaskSuccess sends, rejects with the error SendTaskFailure sends,
   * or with States.Timeout once `timeoutSeconds` of simulated time pass unanswered.
   */
  wait(token: string, timeoutSeconds: number | undefined): Promise<unknown>;
}

/** How the scenario shapes Lambda invocations: their count, injected errors and duration. */
export interface LambdaBehaviour {
  readonly invoked: () => void;
  /** True when the next invocation is to fail with a Lambda service error (consumes it). */
  readonly takeLambdaError: () => boolean;
  /** True when the next invocation is to run out of time after acting (consumes it). */
  readonly takeLambdaTimeout: () => boolean;
  /** Simulated seconds each invocation takes. */
  readonly latency: number;
  /** Answers tasks that wait for a token; without it such a task fails as unsupported. */
  readonly tokens?: TaskTokenWaiter;
}

/**
 * The local stand-ins for every Task of a rewritten definition: the deployed handlers, the SNS
 * and AWS SDK integrations and the rewritten Waits, each taking simulated time as AWS would (a Lambda's
 * duration, a Wait's seconds, the retry backoff) and failing as AWS would report it.
 */
export class TaskStandIns {
  /** Every state with a Retry, and its retriers. */
  readonly retries: ReadonlyMap<string, Retrier[]>;
  private readonly built = new Map<string, BuiltHandler>();

  /**
   * @param definition the definition with its Waits rewritten as Tasks
   * @param waits the rewritten Waits' specs, by state name
   * @param handlerByResource the deployed handler's name, by function ARN
   * @param timeoutByResource the function's timeout in seconds, by function ARN
   * @param environmentByResource the function's environment variables, by function ARN: what
   *   its handler is built from, as a cold start would
   * @param region the region the functions run in (Lambda sets AWS_REGION)
   */
  constructor(
    private readonly definition: AslDefinition,
    private readonly waits: ReadonlyMap<string, WaitSpec>,
    private readonly handlerByResource: ReadonlyMap<string, string>,
    private readonly timeoutByResource: ReadonlyMap<string, number> = new Map(),
    private readonly environmentByResource: ReadonlyMap<string, Record<string, string>> = new Map(),
    private readonly region = 'eu-west-1',
  ) {
    this.retries = new Map(
      Object.entries(definition.States)
        .filter(([, s]) => Array.isArray(s.Retry))
        .map(([name, s]) => [name, s.Retry as Retrier[]]),
    );
  }

  /** Handlers for one execution (each counts its own retry attempts). */
  forExecution(vt: VirtualTime, lambda: LambdaBehaviour): Record<string, TaskHandler> {
    const attempts = new Map<string, number>();
    const handlers: Record<string, TaskHandler> = {};
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource === WAIT_RESOURCE) {
        const spec = this.waits.get(name) as WaitSpec;
        handlers[name] = async (input) => {
          await vt.sleep(waitSeconds(spec, input, new Date()));
          return input;
        };
        continue;
      }
      if (resource === LAMBDA_WAIT_FOR_TOKEN) {
        handlers[name] = this.waitForToken(
          name,
          state.TimeoutSeconds as number | undefined,
          vt,
          lambda,
          attempts,
        );
        continue;
      }
      const integration = isSdkIntegration(resource);
      const call =
        resource === SNS_PUBLISH
          ? async (input: unknown) => {
              const p = input as { TopicArn?: string; Subject?: string; Message: string };
              const out = await new SNSClient({}).send(new PublishCommand(p));
              return { MessageId: out.MessageId ?? 'rehearsal' };
            }
          : integration
            ? (input: unknown) => runSdkIntegration(resource, input)
            : this.deployedHandler(resource);
      const isLambda = resource !== SNS_PUBLISH && !integration;
      const timeout = this.timeoutByResource.get(resource) ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
      handlers[name] = async (input) => {
        if (isLambda) {
          lambda.invoked();
          await vt.sleep(lambda.latency);
        }
        try {
          if (isLambda && lambda.takeLambdaError()) {
            throw Object.assign(new Error('Lambda was unable to process the request (injected)'), {
              name: 'Lambda.ServiceException',
            });
          }
          if (isLambda && lambda.takeLambdaTimeout()) await timedOut(() => call(input), vt, timeout, lambda);
          const out = await call(input);
          for (const key of [...attempts.keys()]) if (key.startsWith(`${name}#`)) attempts.delete(key);
          return out;
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          await vt.sleep(this.backoff(name, err.name, attempts));
          throw lambdaStyle(err, isLambda);
        }
      };
    }
    return handlers;
  }

  /**
   * A Lambda invoked with a task token: the invocation fails the task as any invocation would;
   * once it returns, the task waits (asleep in simulated time) for the token's answer.
   */
  /** The deployed handler of the function `arn`, built (once) from the function's variables. */
  private deployedHandler(arn: string): TaskHandler {
    return (input) => {
      let built = this.built.get(arn);
      if (!built) {
        built = buildHandler(
          this.handlerByResource.get(arn) ?? '',
          { ...this.environmentByResource.get(arn), AWS_REGION: this.region },
          sdkClients(this.region),
          () => new Date(),
        );
        this.built.set(arn, built);
      }
      return built(input);
    };
  }

  private waitForToken(
    name: string,
    timeoutSeconds: number | undefined,
    vt: VirtualTime,
    lambda: LambdaBehaviour,
    attempts: Map<string, number>,
  ): TaskHandler {
    return async (input) => {
      const { FunctionName, Payload } = input as { FunctionName?: string; Payload?: unknown };
      const handler = this.handlerByResource.has(String(FunctionName))
        ? this.deployedHandler(String(FunctionName))
        : undefined;
      const tokens = lambda.tokens;
      if (!handler || !tokens)
        throw new Error(
          `state "${name}" waits for a task token of ${String(FunctionName)}, which this rehearsal cannot answer`,
        );
      const token = findToken(Payload);
      if (!token)
        throw Object.assign(
          new Error(`state "${name}" passes no task token ($$.Task.Token) to its function`),
          {
            name: 'States.Runtime',
          },
        );
      lambda.invoked();
      await vt.sleep(lambda.latency);
      try {
        if (lambda.takeLambdaError())
          throw Object.assign(new Error('Lambda was unable to process the request (injected)'), {
            name: 'Lambda.ServiceException',
          });
        await handler(Payload);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        await vt.sleep(this.backoff(name, err.name, attempts));
        throw lambdaStyle(err, true);
      }
      for (const key of [...attempts.keys()]) if (key.startsWith(`${name}#`)) attempts.delete(key);
      // The answer's error and cause reach the state as SendTaskFailure sent them.
      return tokens.wait(token, timeoutSeconds === undefined ? undefined : timeoutSeconds - lambda.latency);
    };
  }

  /**
   * Seconds before the state's retrier for this error retries, counting the attempt; 0 when none
   * will. Each retrier counts its own attempts, as Step Functions does.
   */
  private backoff(state: string, error: string, attempts: Map<string, number>): number {
    const retriers = this.retries.get(state) ?? [];
    const index = retriers.findIndex(
      (r) => r.ErrorEquals.includes(error) || r.ErrorEquals.includes('States.ALL'),
    );
    const retrier = retriers[index];
    if (!retrier) return 0;
    const key = `${state}#${index}`;
    const attempt = attempts.get(key) ?? 0;
    if (attempt >= (retrier.MaxAttempts ?? 3)) return 0;
    attempts.set(key, attempt + 1);
    return retryDelaySeconds(retrier, attempt);
  }
}

/** Lambda's own default function timeout, for a function whose template sets none. */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;

/**
 * An invocation that runs out of time after it acted: the handler runs to the end (its effects
 * apply: the worst case for a retry), its answer is lost, and the invocation fails once the
 * function's timeout is up, as the Lambda runtime reports it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
async function timedOut(
  run: () => Promise<unknown>,
  vt: VirtualTime,
  timeoutSeconds: number,
  lambda: LambdaBehaviour,
): Promise<never> {
  await run().catch(() => undefined);
  await vt.sleep(Math.max(0, timeoutSeconds - lambda.latency));
  throw Object.assign(new Error(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`), {
    name: 'Sandbox.Timedout',
  });
}

/**
 * Simulated seconds Step Functions would pause before retry number `attempt` (from 0): the
 * retrier's interval × backoff^attempt, capped, with full jitter taken at its mean.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export function retryDelaySeconds(retrier: Retrier, attempt: number): number {
  const interval = Math.min(
    (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt,
    retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
  );
  return retrier.JitterStrategy === 'FULL' ? interval / 2 : interval;
}

/**
 * Lambda task failures reach Step Functions with the function's error type as Error and a
 * JSON Cause ({"errorType","errorMessage"}); reproduce that so Catch, Fail and the ledger
 * see what they would in AWS.
 */
function lambdaStyle(err: Error, isLambda: boolean): Error {
  if (!isLambda) return err;
  return Object.assign(new Error(JSON.stringify({ errorType: err.name, errorMessage: err.message })), {
    name: err.name,
  });
}

/** The task token a payload carries, wherever the definition put it. */
function findToken(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload.startsWith(TASK_TOKEN_PREFIX) ? payload : undefined;
  if (payload === null || typeof payload !== 'object') return undefined;
  for (const value of Object.values(payload)) {
    const found = findToken(value);
    if (found) return found;
  }
  return undefined;
}
