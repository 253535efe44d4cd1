import type {
  DescribeExecutionCommandInput,
  SendTaskFailureCommandInput,
  SendTaskSuccessCommandInput,
  StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { awsError } from '../simulator';
import type { SimSnapshot } from '../simulator';
import type { StepFunctionsApi } from '../simulator/services/step-functions';
import type { VirtualTime } from '../virtual-time';
import type { CompiledMachine } from '../run/compiled-machine';
import { driveExecution } from '../run/execution-driver';
import type { ExecutionLog, ExecutionOutcome } from '../run/execution-driver';
import type { LambdaBehaviour, TaskTokenWaiter } from '../run/task-handlers';

/** What a train's state machine is for. */
export type MachineKind = 'rollout' | 'promotion';

export interface TrainMachine {
  readonly place: EnvironmentName;
  readonly kind: MachineKind;
  readonly compiled: CompiledMachine;
}

/** An execution of one of the train's state machines, as it stands. */
export interface TrainExecution {
  readonly arn: string;
  readonly name: string;
  readonly place: EnvironmentName;
  readonly kind: MachineKind;
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

/** What the train's Step Functions runs executions with. */
export interface TrainStepFunctionsDeps {
  readonly vt: VirtualTime;
  /** Simulated seconds since the train began. */
  readonly seconds: () => number;
  readonly now: () => Date;
  /** The environment's world, as an execution observes it at each transition. */
  readonly snapshot: (place: EnvironmentName) => SimSnapshot;
  /** How the environment's Lambda invocations behave (its faults, the scenario's latency). */
  readonly lambda: (place: EnvironmentName) => Omit<LambdaBehaviour, 'tokens'>;
  /** Runs `body` as the environment's functions run (its AWS calls reach its world). */
  readonly within: <T>(place: EnvironmentName, body: () => T) => T;
  /** Where every state entered, retried or caught is recorded, per environment. */
  readonly log: (place: EnvironmentName) => ExecutionLog;
  /** Step Functions puts each status change on the account's bus. */
  readonly statusChanged: (execution: TrainExecution) => void;
  /** A task's wait for its token ended: answered, or not (timed out, or the rehearsal ended). */
  readonly tokenWaited: (seconds: number, answered: boolean) => void;
}

type Answer =
  | { readonly ok: true; readonly output: unknown }
  | { readonly ok: false; readonly error: string; readonly cause: string };

/**
 * Step Functions for a train: the environments' rollout and promotion state machines, run by
 * the local interpreter in simulated time. StartExecution is idempotent as AWS documents it (the
 * same name and input while running returns that execution; otherwise the name is taken), and a
 * task waiting for its token resumes on SendTaskSuccess or SendTaskFailure, or times out.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 */
export class TrainStepFunctions implements StepFunctionsApi, TaskTokenWaiter {
  readonly executions = new Map<string, TrainExecution>();
  private readonly machines: ReadonlyMap<string, TrainMachine>;
  /** Tokens a task waits on, and the execution waiting. */
  private readonly waiting = new Map<
    string,
    { readonly execution: string; readonly answer: (a: Answer) => void }
  >();
  private readonly timedOut = new Set<string>();
  private readonly stops = new Map<string, () => void>();
  private closed = false;

  constructor(
    machines: readonly TrainMachine[],
    private readonly deps: TrainStepFunctionsDeps,
  ) {
    this.machines = new Map(machines.map((m) => [m.compiled.arn, m]));
  }

  /** The environment's state machine of this kind. */
  machine(place: EnvironmentName, kind: MachineKind): TrainMachine | undefined {
    return [...this.machines.values()].find((m) => m.place === place && m.kind === kind);
  }

  /** Executions waiting for a task token now (a promotion asking for approval). */
  waitingForToken(): ReadonlySet<string> {
    return new Set([...this.waiting.values()].map((w) => w.execution));
  }

  startExecution(input: StartExecutionCommandInput) {
    if (this.closed) throw new Error('the train rehearsal has ended; nothing more starts');
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
    const execution: TrainExecution = {
      arn,
      name,
      place: machine.place,
      kind: machine.kind,
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

  private run(machine: TrainMachine, x: TrainExecution): void {
    const { deps } = this;
    const { compiled } = machine;
    void deps.within(x.place, () =>
      driveExecution(
        compiled.machine,
        { vt: deps.vt, seconds: deps.seconds, snapshot: () => deps.snapshot(x.place) },
        {
          label: `${x.kind}:${x.name}`,
          arn: x.arn,
          name: x.name,
          input: x.input,
          taskHandlers: compiled.tasks.forExecution(deps.vt, { ...deps.lambda(x.place), tokens: this }),
          retryingStates: [...compiled.tasks.retries.keys()],
          timeoutSeconds: compiled.timeoutSeconds,
          stopAtTransition: undefined,
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
}
