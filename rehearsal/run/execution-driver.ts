import type { StateMachine } from 'aws-local-stepfunctions';
import { describeError } from '../../lambda/ledger/operations';
import type { SimSnapshot } from '../simulator';
import type { VirtualTime } from '../virtual-time';
import { TASK_TOKEN_PREFIX } from './task-handlers';
import type { TaskHandler } from './task-handlers';

/** One execution's ending, as Step Functions would report it. */
export interface ExecutionOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  error?: string;
  cause?: string;
  output?: unknown;
}

export interface TimelineEvent {
  t: number;
  execution: string;
  state: string;
  kind: 'entered' | 'retried' | 'caught' | 'failed';
  snapshot: SimSnapshot;
}

/** What a run records of all its executions, in the order things happened. */
export interface ExecutionLog {
  readonly timeline: TimelineEvent[];
  /** States entered or retried, by every execution of the run (a Catch is not a transition). */
  transitions: number;
}

/** Where an execution runs: simulated time, and the world it observes at every transition. */
export interface ExecutionClock {
  readonly vt: VirtualTime;
  /** Simulated seconds since the run began. */
  readonly seconds: () => number;
  readonly snapshot: () => SimSnapshot;
  /** The simulated wall-clock time (the context object's StartTime). */
  readonly now: () => Date;
}

export interface ExecutionRequest {
  readonly label: string;
  readonly arn: string;
  readonly name: string;
  readonly input: unknown;
  /** The local stand-in for every Task state, by state name (this execution's own). */
  readonly taskHandlers: Record<string, TaskHandler>;
  /** States with a Retry: the interpreter's own pause is zeroed, the stand-ins sleep instead. */
  readonly retryingStates: readonly string[];
  /** The state machine's TimeoutSeconds. */
  readonly timeoutSeconds: number | undefined;
  /** Stop this execution, as StopExecution would, once it has made this many transitions. */
  readonly stopAtTransition: number | undefined;
  /** Called once the execution has ended, while it still counts as running in virtual time. */
  readonly onEnded: (outcome: ExecutionOutcome) => void;
  /** Called once it runs, with what stops it as StopExecution would. */
  readonly onStarted?: (stop: () => void) => void;
}

/**
 * Runs one execution of the local state machine in virtual time: with the context object
 * Step Functions would give it, stopped at its timeout or at the scenario's stop fault, its
 * event log turned into timeline events, and its ending reported as Step Functions would.
 */
export function driveExecution(
  machine: StateMachine,
  clock: ExecutionClock,
  request: ExecutionRequest,
  log: ExecutionLog,
): Promise<ExecutionOutcome> {
  const { vt, seconds } = clock;
  return vt.run(async (): Promise<ExecutionOutcome> => {
    const { arn, label, input } = request;
    let tokens = 0;
    const execution = machine.run(input as never, {
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: arn,
          Name: request.name,
          StartTime: clock.now().toISOString(),
          Input: input as never,
        },
        StateMachine: {
          Id: arn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
          Name: arn.split(':')[6] ?? 'rollout',
        },
        // Read by a task that waits for its token: a fresh one each time, as each attempt gets.
        Task: {
          get Token() {
            tokens++;
            return `${TASK_TOKEN_PREFIX}${arn}#${tokens}`;
          },
        },
      },
      overrides: {
        taskResourceLocalHandlers: request.taskHandlers as never,
        retryIntervalOverrides: Object.fromEntries(request.retryingStates.map((k) => [k, 0])),
      },
    });
    let ended: 'ABORTED' | 'TIMED_OUT' | undefined;
    let transitions = 0;
    request.onStarted?.(() => {
      if (!ended) {
        ended = 'ABORTED';
        execution.abort();
      }
    });
    const cancelTimeout = request.timeoutSeconds
      ? vt.at(seconds() + request.timeoutSeconds, () => {
          if (!ended) {
            ended = 'TIMED_OUT';
            execution.abort();
          }
        })
      : () => undefined;
    const logs = (async () => {
      for await (const ev of execution.eventLogs) {
        const kind =
          ev.type === 'StateEntered'
            ? 'entered'
            : ev.type === 'StateRetried'
              ? 'retried'
              : ev.type === 'StateCaught'
                ? 'caught'
                : undefined;
        if (!kind || !('state' in ev)) continue;
        if (kind !== 'caught') {
          log.transitions++;
          transitions++;
        }
        log.timeline.push({
          t: seconds(),
          execution: label,
          state: ev.state.name,
          kind,
          snapshot: clock.snapshot(),
        });
        const stopAt = request.stopAtTransition;
        if (stopAt !== undefined && transitions >= stopAt && !ended) {
          ended = 'ABORTED';
          execution.abort();
        }
      }
    })();
    let outcome: ExecutionOutcome;
    try {
      const output = await execution.result.finally(cancelTimeout);
      await logs;
      outcome = ended ? stopped(ended, request.timeoutSeconds) : { status: 'SUCCEEDED', output };
    } catch (e) {
      await logs.catch(() => undefined);
      const failure = (e as { cause?: { name?: string; message?: string } }).cause;
      outcome = ended
        ? stopped(ended, request.timeoutSeconds)
        : {
            status: 'FAILED',
            error: failure?.name ?? (e as Error).name,
            cause: readableCause(failure?.message ?? String(e)),
          };
    }
    request.onEnded(outcome);
    return outcome;
  });
}

/** How Step Functions reports an execution that was stopped or timed out. */
function stopped(status: 'ABORTED' | 'TIMED_OUT', timeoutSeconds: number | undefined): ExecutionOutcome {
  return status === 'TIMED_OUT'
    ? {
        status,
        error: 'States.Timeout',
        cause: `the execution exceeded its ${timeoutSeconds ?? 0} s timeout`,
      }
    : { status, error: 'States.Aborted', cause: 'the execution was stopped' };
}

/** The message inside a Lambda-style JSON cause, else the cause as is. */
const readableCause = (cause: string) => describeError({ Error: '', Cause: cause });
