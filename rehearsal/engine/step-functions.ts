import type {
  DescribeExecutionCommandInput,
  SendTaskFailureCommandInput,
  SendTaskSuccessCommandInput,
  StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { awsError } from '../simulator';
import type { SimSnapshot } from '../simulator';
import type { StepFunctionsApi } from '../simulator/services/step-functions';
import type { VirtualTime } from '../virtual-time';
import { driveExecution } from '../run/execution-driver';
import type { ExecutionLog, ExecutionOutcome } from '../run/execution-driver';
import type { LambdaBehaviour, TaskTokenWaiter } from '../run/task-handlers';
import type { MachineKind, MachineSpec } from './stack';

/** Who started an execution: the scenario (its input, a person's execution) or a deployed function. */
export type StartedBy = string;

/** An execution of one of the product's state machines, as it stands. */
export interface Execution {
  readonly arn: string;
  readonly name: string;
  /** The environment whose state machine it is. */
  readonly place: string;
  readonly kind: MachineKind;
  /** The handler of the function that started it, or who else did. */
  readonly startedBy: StartedBy;
  readonly stateMachineArn: string;
  readonly input: unknown;
  /** Simulated seconds since the train began. */
  readonly startedAt: number;
  readonly startDate: Date;
  status: ExecutionOutcome['status'] | 'RUNNING';
  endedAt?: number;
  stopDate?: Date;
  error?: string;
  cause?: string;
  output?: unknown;
}

/** What the product's Step Functions runs executions with. */
export interface StepFunctionsDeps {
  readonly vt: VirtualTime;
  /** Simulated seconds since the run began. */
  readonly seconds: () => number;
  readonly now: () => Date;
  /** The environment's fleet, as an execution observes it at each transition. */
  readonly snapshot: (place: string) => SimSnapshot;
  /** How the environment's Lambda invocations behave (its faults, the scenario's latency). */
  readonly lambda: (place: string) => Omit<LambdaBehaviour, 'tokens'>;
  /** Where every state entered, retried or caught is recorded, per environment. */
  readonly log: (place: string) => ExecutionLog;
  /** An execution to stop once it has made this many transitions (the scenario's stop fault). */
  readonly stopAtTransition: (execution: Execution) => number | undefined;
  /** How an execution is labelled in its environment's timeline. */
  readonly label: (execution: Execution) => string;
  /** Step Functions puts each status change on the account's bus. */
  readonly statusChanged: (execution: Execution) => void;
  /** A task's wait for its token ended: answered, or not (timed out, or the rehearsal ended). */
  readonly tokenWaited: (seconds: number, answered: boolean) => void;
}

type Answer =
  | { readonly ok: true; readonly output: unknown }
  | { readonly ok: false; readonly error: string; readonly cause: string };

/**
 * Step Functions for a rehearsal: every environment's rollout and promotion state machines, run
 * by the local interpreter in simulated time. StartExecution is idempotent as AWS documents it (the
 * same name and input while running returns that execution; otherwise the name is taken), and a
 * task waiting for its token resumes on SendTaskSuccess or SendTaskFailure, or times out.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 */
export class ProductStepFunctions implements TaskTokenWaiter {
  readonly executions = new Map<string, Execution>();
  private readonly machines: ReadonlyMap<string, MachineSpec>;
  /** Tokens a task waits on, and the execution waiting. */
  private readonly waiting = new Map<
    string,
    { readonly execution: string; readonly answer: (a: Answer) => void }
  >();
  private readonly timedOut = new Set<string>();
  private readonly stops = new Map<string, () => void>();
  private readonly outcomes = new Map<string, Promise<ExecutionOutcome>>();
  private closed = false;

  constructor(
    machines: readonly MachineSpec[],
    private readonly deps: StepFunctionsDeps,
  ) {
    this.machines = new Map(machines.map((m) => [m.compiled.arn, m]));
  }

  /** The environment's state machine of this kind. */
  machine(place: string, kind: MachineKind): MachineSpec | undefined {
    return [...this.machines.values()].find((m) => m.stack === place && m.kind === kind);
  }

  /** Step Functions as the function or person `startedBy` calls it. */
  as(startedBy: StartedBy): StepFunctionsApi {
    return {
      startExecution: (input) => this.startExecution(input, startedBy),
      describeExecution: (input) => this.describeExecution(input),
      sendTaskSuccess: (input) => this.sendTaskSuccess(input),
      sendTaskFailure: (input) => this.sendTaskFailure(input),
    };
  }

  /** Executions waiting for a task token now (a promotion asking for approval). */
  waitingForToken(): ReadonlySet<string> {
    return new Set([...this.waiting.values()].map((w) => w.execution));
  }

  startExecution(input: StartExecutionCommandInput, startedBy: StartedBy) {
    if (this.closed) throw new Error('the rehearsal has ended; nothing more starts');
    const machine = this.machines.get(input.stateMachineArn ?? '');
    if (!machine)
      throw awsError(
        'sfn',
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${input.stateMachineArn}'`,
      );
    const name = input.name ?? '';
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw awsError('sfn', 'InvalidName', `Invalid Name: '${name}'`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.input ?? '{}');
    } catch {
      throw awsError('sfn', 'InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const arn = `${machine.compiled.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(parsed))
        return { executionArn: arn, startDate: existing.startDate };
      throw awsError('sfn', 'ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution: Execution = {
      arn,
      name,
      place: machine.stack,
      kind: machine.kind,
      startedBy,
      stateMachineArn: machine.compiled.arn,
      input: parsed,
      startedAt: this.deps.seconds(),
      startDate: this.deps.now(),
      status: 'RUNNING',
    };
    this.executions.set(arn, execution);
    this.deps.statusChanged(execution);
    this.run(machine, execution);
    return { executionArn: arn, startDate: execution.startDate };
  }

  describeExecution(input: DescribeExecutionCommandInput) {
    const x = this.executions.get(input.executionArn ?? '');
    if (!x)
      throw awsError('sfn', 'ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    return {
      executionArn: x.arn,
      stateMachineArn: x.stateMachineArn,
      name: x.name,
      status: x.status,
      startDate: x.startDate,
      input: JSON.stringify(x.input),
      ...(x.stopDate ? { stopDate: x.stopDate } : {}),
      ...(x.output !== undefined ? { output: JSON.stringify(x.output) } : {}),
      ...(x.error ? { error: x.error } : {}),
      ...(x.cause ? { cause: x.cause } : {}),
    };
  }

  sendTaskSuccess(input: SendTaskSuccessCommandInput) {
    let output: unknown;
    try {
      output = JSON.parse(input.output ?? '');
    } catch {
      throw awsError('sfn', 'InvalidOutput', 'Invalid Output: not JSON');
    }
    this.answer(input.taskToken, { ok: true, output });
    return {};
  }

  sendTaskFailure(input: SendTaskFailureCommandInput) {
    this.answer(input.taskToken, { ok: false, error: input.error ?? '', cause: input.cause ?? '' });
    return {};
  }

  /** A task's wait for its token: the answer, or States.Timeout once `timeoutSeconds` pass. */
  wait(token: string, timeoutSeconds: number | undefined): Promise<unknown> {
    // No timeout set: Step Functions waits up to the execution's own limit (a year).
    const sleep = this.deps.vt.interruptibleSleep(timeoutSeconds ?? 365 * 86_400);
    let answer: Answer | undefined;
    const since = this.deps.seconds();
    this.waiting.set(token, {
      execution: token.replace(/^[^:]*:/, '').replace(/#\d+$/, ''),
      answer: (a) => {
        answer = a;
        sleep.wake();
      },
    });
    return sleep.done.then(() => {
      this.waiting.delete(token);
      this.deps.tokenWaited(this.deps.seconds() - since, answer !== undefined && !this.closed);
      if (!answer) {
        this.timedOut.add(token);
        throw Object.assign(new Error('the task timed out waiting for its token'), {
          name: 'States.Timeout',
        });
      }
      if (answer.ok) return answer.output;
      throw Object.assign(new Error(answer.cause), { name: answer.error });
    });
  }

  /** Stops an execution as StopExecution would (it ends ABORTED). */
  stop(executionArn: string): void {
    this.stops.get(executionArn)?.();
  }

  /**
   * The rehearsal ends: every execution still running is stopped (as StopExecution would, once
   * the result has been read), every task waiting for a token stops waiting, and nothing more starts.
   */
  close(): void {
    this.closed = true;
    for (const [token, w] of [...this.waiting]) {
      this.waiting.delete(token);
      w.answer({ ok: false, error: 'States.Aborted', cause: 'the rehearsal ended' });
    }
    for (const stop of [...this.stops.values()]) stop();
  }

  private answer(token: string | undefined, a: Answer): void {
    const w = this.waiting.get(token ?? '');
    if (w) {
      this.waiting.delete(token ?? '');
      w.answer(a);
      return;
    }
    if (this.timedOut.has(token ?? '')) throw awsError('sfn', 'TaskTimedOut', 'Task Timed Out');
    throw awsError('sfn', 'InvalidToken', 'Invalid Token');
  }

  private run(machine: MachineSpec, x: Execution): void {
    const { deps } = this;
    const { compiled } = machine;
    this.outcomes.set(
      x.arn,
      driveExecution(
        compiled.machine,
        { vt: deps.vt, seconds: deps.seconds, snapshot: () => deps.snapshot(x.place), now: deps.now },
        {
          label: deps.label(x),
          arn: x.arn,
          name: x.name,
          input: x.input,
          taskHandlers: compiled.tasks.forExecution(deps.vt, { ...deps.lambda(x.place), tokens: this }),
          retryingStates: [...compiled.tasks.retries.keys()],
          timeoutSeconds: compiled.timeoutSeconds,
          stopAtTransition: deps.stopAtTransition(x),
          onStarted: (stop) => this.stops.set(x.arn, stop),
          onEnded: (outcome) => {
            this.stops.delete(x.arn);
            x.status = outcome.status;
            x.endedAt = deps.seconds();
            x.stopDate = deps.now();
            if (outcome.error) x.error = outcome.error;
            if (outcome.cause) x.cause = outcome.cause;
            if (outcome.output !== undefined) x.output = outcome.output;
            if (!this.closed) deps.statusChanged(x);
          },
        },
        deps.log(x.place),
      ),
    );
  }

  /** How the execution ended (resolves once it has). */
  outcome(executionArn: string): Promise<ExecutionOutcome> {
    const outcome = this.outcomes.get(executionArn);
    if (!outcome) return Promise.reject(new Error(`no execution ${executionArn} in this rehearsal`));
    return outcome;
  }
}
