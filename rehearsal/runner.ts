import { withGlobal } from '@sinonjs/fake-timers';
import type { Clock } from '@sinonjs/fake-timers';
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { StateMachine } from 'aws-local-stepfunctions';
import { describeError } from '../lambda/ledger/operations';
import { DynamoDbLedgerStore } from '../lambda/aws/dynamodb';
import type { WorkflowSettings } from '../lambda/shared/settings';
import type { FleetRecord } from '../lambda/shared/documents';
import { releaseAbandonedLock } from '../lambda/triggers/abandoned-lock';
import { assertFaithful, rewriteWaits, WAIT_RESOURCE, waitSeconds } from './asl';
import type { AslDefinition, Retrier, WaitSpec } from './asl';
import { SimulatedDeployment } from './deployment';
import type { CfnTemplate } from './deployment';
import { STATE_MACHINE_HANDLERS } from './handlers';
import { floorSeconds } from './floor';
import { assertRehearsalProcess } from './process';
import { parseNextExecution } from './scenario';
import type { NextExecutionInput, Scenario } from './scenario';
import { FleetSimulator } from './simulator';
import type { SimSnapshot } from './simulator';
import { VirtualTime } from './virtual-time';
import { buildWorld, seededVersions, settingsOf } from './scenario-world';

const SNS_PUBLISH = 'arn:aws:states:::sns:publish';

/** One execution's ending, as Step Functions would report it. */
export interface ExecutionOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  error?: string;
  cause?: string;
  output?: unknown;
}

export interface TimelineEvent {
  t: number;
  execution: 'main' | 'second';
  state: string;
  kind: 'entered' | 'retried' | 'caught' | 'failed';
  snapshot: SimSnapshot;
}

/** The rehearsal's result (the documented contract, plus the timeline for pictures). */
export interface RehearsalResult {
  status: ExecutionOutcome['status'];
  error?: string;
  cause?: string;
  simulatedSeconds: number;
  floorSeconds: number;
  live: {
    image: string;
    weights: { blue: number; green: number };
    trafficByImage: Record<string, number>;
    instancesByImage: Record<string, number>;
  };
  instancesReplaced: number;
  minHealthyFraction: number;
  transitions: number;
  lambdaInvocations: number;
  apiCalls: Record<string, number>;
  secondExecution?: { status: string; error?: string; cause?: string };
}

export interface RehearsalRun {
  result: RehearsalResult;
  /** Every state entered, retried or caught; `t` is seconds since this run began. */
  timeline: TimelineEvent[];
  /** The world after every step of this run; `t` is seconds since the world began. */
  samples: SimSnapshot[];
  /** Every message the topic received, earlier runs on the same world included. */
  notifications: Array<{ subject?: string; message: string; at: Date }>;
  /** The simulated account, as this run left it (a later `runAfter` moves it on). */
  simulator: FleetSimulator;
  /** The scenario this run executed (after `runAfter`: the first run's, with this run's input and faults). */
  scenario: Scenario;
  /** The ARNs of the executions this run started. */
  executions: { main: string; second?: string };
}

/** The world's steps a run has seen: every snapshot, and the lowest healthy serving share. */
interface Sampling {
  readonly samples: SimSnapshot[];
  minHealthy: number;
}

/** How many runs each simulated world has seen, so every execution on it has its own name. */
const runsOnWorld = new WeakMap<FleetSimulator, number>();

/**
 * A compiled environment: its synthesized definition, checked and rewritten once (building
 * the local state machine validates the definition, which takes up to a second), ready to
 * run any number of scenarios.
 */
export class Rehearsal {
  readonly settings: WorkflowSettings;
  private readonly machine: StateMachine;
  private readonly waits: Map<string, WaitSpec>;
  private readonly retries: Map<string, Retrier[]>;
  private readonly handlerByResource = new Map<string, string>();
  private readonly definition: AslDefinition;

  constructor(
    readonly environment: string,
    readonly deployment: SimulatedDeployment,
  ) {
    assertRehearsalProcess();
    const smId = deployment.ofType('AWS::StepFunctions::StateMachine')[0];
    if (!smId) throw new Error(`the ${environment} template has no state machine`);
    const body = deployment.properties(smId).DefinitionString;
    const original = JSON.parse(String(body)) as AslDefinition;
    for (const fnId of deployment.ofType('AWS::Lambda::Function')) {
      const name = deployment.resource(fnId).Metadata?.['immutable:handler'];
      if (typeof name === 'string' && name in STATE_MACHINE_HANDLERS)
        this.handlerByResource.set(deployment.arnOf(fnId), name);
    }
    assertFaithful(original, (r) => r === SNS_PUBLISH || this.handlerByResource.has(r));
    this.settings = settingsOf(original);
    const { definition, waits } = rewriteWaits(original);
    this.definition = definition;
    this.waits = waits;
    this.retries = new Map(
      Object.entries(definition.States)
        .filter(([, s]) => Array.isArray(s.Retry))
        .map(([name, s]) => [name, s.Retry as Retrier[]]),
    );
    this.machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  }

  /** Build from a synthesized template (the stack's `Template.toJSON()` or the cloud assembly file). */
  static fromTemplate(environment: string, template: CfnTemplate): Rehearsal {
    return new Rehearsal(environment, new SimulatedDeployment(template));
  }

  /** The state machine's timeout, in seconds. */
  get timeoutSeconds(): number | undefined {
    return this.definition.TimeoutSeconds;
  }

  /**
   * The fewest retries any state makes (MaxAttempts, 3 when left out): transient failures up
   * to this many in a run cannot exhaust any state's retries, whatever states they hit.
   */
  get fewestRetries(): number {
    const attempts = [...this.retries.values()].flat().map((r) => r.MaxAttempts ?? 3);
    return Math.min(...attempts);
  }

  async run(scenario: Scenario): Promise<RehearsalRun> {
    const sim = new FleetSimulator(buildWorld(this.deployment, this.settings, scenario));
    return this.runOn(sim, scenario);
  }

  /**
   * Start a fresh execution on the world `previous` left behind (the same fleet, table,
   * parameters, topic and clock), `afterSeconds` after it ended: what an operator does after
   * stopping an execution, or the next scheduled rotation. The world moves on: a run's
   * `simulator` is the one every later run on it continues. The result's `floorSeconds` is
   * reckoned from the first run's scenario (its fleet as it was then), with this input.
   */
  async runAfter(previous: RehearsalRun, next: NextExecutionInput): Promise<RehearsalRun> {
    if (previous.scenario.environment !== this.environment)
      throw new Error(
        `runAfter: the previous run rehearsed ${previous.scenario.environment}, not ${this.environment}`,
      );
    const parsed = parseNextExecution(next);
    previous.simulator.advance(parsed.afterSeconds);
    return this.runOn(previous.simulator, {
      ...previous.scenario,
      input: parsed.input,
      faults: parsed.faults,
    });
  }

  private async runOn(sim: FleetSimulator, scenario: Scenario): Promise<RehearsalRun> {
    const sequence = (runsOnWorld.get(sim) ?? 0) + 1;
    runsOnWorld.set(sim, sequence);
    const sampling: Sampling = { samples: [], minHealthy: Number.POSITIVE_INFINITY };
    const stopSampling = sim.onStep((s) => {
      sampling.samples.push(s);
      if (s.servingDesired > 0)
        sampling.minHealthy = Math.min(sampling.minHealthy, s.healthyServing / s.servingDesired);
    });
    const start = sim.now().getTime();
    const clock = withGlobal(globalThis).install({ now: start, toFake: ['Date'] });
    const uninstall = sim.install();
    try {
      return await this.execute(scenario, sim, clock, start, sampling, sequence);
    } finally {
      uninstall();
      clock.uninstall();
      stopSampling();
    }
  }

  private async execute(
    scenario: Scenario,
    sim: FleetSimulator,
    clock: Clock & { uninstall(): void },
    start: number,
    sampling: Sampling,
    sequence: number,
  ): Promise<RehearsalRun> {
    const seconds = () => (sim.now().getTime() - start) / 1000;
    // Faults are timed from this run's start; the world's clock started with the first run.
    const worldSecondsAtStart = sim.snapshot().t;
    const name = (label: 'main' | 'second') =>
      sequence === 1 ? `rehearsal-${label}` : `rehearsal-${label}-${sequence}`;
    const arnOf = (label: 'main' | 'second') =>
      `arn:aws:states:${this.deployment.region}:${this.deployment.account}:execution:${String(this.settings.environment)}-rollout:${name(label)}`;
    const vt = new VirtualTime(seconds, (to) => {
      const dt = to - seconds();
      if (dt > 0) sim.advance(dt);
      clock.setSystemTime(sim.now().getTime());
    });
    const { samples } = sampling;
    if (sequence === 1) await this.seedFleetRecord(scenario, sim);
    const callsBefore = { ...sim.apiCalls };
    samples.push(sim.snapshot());

    let lambdaErrors = 0;
    let lambdaInvocations = 0;
    for (const f of scenario.faults) {
      switch (f.kind) {
        case 'alarm':
          sim.forceAlarm(f.alarm, worldSecondsAtStart + f.atSecond, f.durationSeconds);
          break;
        case 'throttle':
          vt.at(f.atSecond, () => sim.throttleNext(f.calls));
          break;
        case 'launch-failure':
          vt.at(f.atSecond, () => sim.failNextLaunches(f.count));
          break;
        case 'lambda-error':
          vt.at(f.atSecond, () => (lambdaErrors += f.count));
          break;
        default:
          break;
      }
    }

    const timeline: TimelineEvent[] = [];
    let transitions = 0;
    // The stop fault counts the main execution's own transitions, not a second execution's.
    let mainTransitions = 0;
    const stopAt = scenario.faults.find((f) => f.kind === 'stop')?.atTransition;

    const runOne = (input: unknown, label: 'main' | 'second') =>
      vt.run(async (): Promise<ExecutionOutcome> => {
        const arn = arnOf(label);
        const attempts = new Map<string, number>();
        const execution = this.machine.run(input as never, {
          noThrowOnAbort: true,
          context: {
            Execution: {
              Id: arn,
              Name: name(label),
              StartTime: new Date().toISOString(),
              Input: input as never,
            },
            StateMachine: {
              Id: arn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
              Name: 'rollout',
            },
          },
          overrides: {
            taskResourceLocalHandlers: this.taskHandlers(vt, attempts, {
              invoked: () => lambdaInvocations++,
              takeLambdaError: () => (lambdaErrors > 0 ? (lambdaErrors--, true) : false),
              latency: scenario.lambdaLatencySeconds,
            }) as never,
            retryIntervalOverrides: Object.fromEntries([...this.retries.keys()].map((k) => [k, 0])),
          },
        });
        let ended: 'ABORTED' | 'TIMED_OUT' | undefined;
        const cancelTimeout = this.timeoutSeconds
          ? vt.at(seconds() + this.timeoutSeconds, () => {
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
              transitions++;
              if (label === 'main') mainTransitions++;
            }
            timeline.push({
              t: seconds(),
              execution: label,
              state: ev.state.name,
              kind,
              snapshot: sim.snapshot(),
            });
            if (label === 'main' && stopAt !== undefined && mainTransitions >= stopAt && !ended) {
              ended = 'ABORTED';
              execution.abort();
            }
          }
        })();
        let outcome: ExecutionOutcome;
        try {
          const output = await execution.result.finally(cancelTimeout);
          await logs;
          outcome = ended ? this.stopped(ended) : { status: 'SUCCEEDED', output };
        } catch (e) {
          await logs.catch(() => undefined);
          const failure = (e as { cause?: { name?: string; message?: string } }).cause;
          outcome = ended
            ? this.stopped(ended)
            : {
                status: 'FAILED',
                error: failure?.name ?? (e as Error).name,
                cause: readableCause(failure?.message ?? String(e)),
              };
        }
        // The janitor runs on its own, as EventBridge invokes it: not part of the execution's time.
        void vt.run(() => this.executionEnded(outcome.status, arn, sim, vt));
        return outcome;
      });

    let second: Promise<ExecutionOutcome> | undefined;
    const secondFault = scenario.faults.find((f) => f.kind === 'second-execution');
    if (secondFault && secondFault.kind === 'second-execution') {
      vt.at(secondFault.atSecond, () => {
        second = runOne(secondFault.input, 'second');
      });
    }
    const main = await runOne(scenario.input, 'main');
    const mainSeconds = seconds();
    await vt.idle();
    // A burst nothing consumed must not throttle the next run on this world.
    sim.clearPendingFaults();
    const secondOutcome = second ? await second : undefined;
    samples.push(sim.snapshot());

    const end = sim.snapshot();
    const record = this.fleetRecord(sim);
    const apiCalls = Object.fromEntries(
      Object.entries(sim.apiCalls)
        .map(([k, v]) => [k, v - (callsBefore[k] ?? 0)] as const)
        .filter(([, v]) => v > 0),
    );
    const result: RehearsalResult = {
      status: main.status,
      ...(main.error ? { error: main.error } : {}),
      ...(main.cause ? { cause: main.cause } : {}),
      simulatedSeconds: Math.round(mainSeconds),
      floorSeconds: floorSeconds(scenario, this.settings),
      live: {
        image:
          record?.releasedImage ??
          sim.parameter(this.settings.parameters.releasedImage)?.value ??
          scenario.releasedImage,
        weights: end.weights,
        trafficByImage: end.trafficByImage,
        instancesByImage: end.instancesByImage,
      },
      instancesReplaced: end.instancesReplaced,
      minHealthyFraction: round(Number.isFinite(sampling.minHealthy) ? sampling.minHealthy : 1),
      transitions,
      lambdaInvocations,
      apiCalls,
      ...(secondOutcome
        ? {
            secondExecution: {
              status: secondOutcome.status,
              ...(secondOutcome.error ? { error: secondOutcome.error } : {}),
              ...(secondOutcome.cause ? { cause: secondOutcome.cause } : {}),
            },
          }
        : {}),
    };
    return {
      result,
      timeline,
      samples,
      notifications: sim.published,
      simulator: sim,
      scenario,
      executions: { main: arnOf('main'), ...(second ? { second: arnOf('second') } : {}) },
    };
  }

  /** Local stand-ins for every Task: the deployed handlers, SNS, and the rewritten Waits. */
  private taskHandlers(
    vt: VirtualTime,
    attempts: Map<string, number>,
    lambda: { invoked: () => void; takeLambdaError: () => boolean; latency: number },
  ): Record<string, (input: unknown) => Promise<unknown>> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
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
      const call =
        resource === SNS_PUBLISH
          ? async (input: unknown) => {
              const p = input as { TopicArn?: string; Subject?: string; Message: string };
              const out = await new SNSClient({}).send(new PublishCommand(p));
              return { MessageId: out.MessageId ?? 'rehearsal' };
            }
          : (STATE_MACHINE_HANDLERS[this.handlerByResource.get(resource) ?? ''] as (
              e: unknown,
            ) => Promise<unknown>);
      const isLambda = resource !== SNS_PUBLISH;
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
          const out = await call(input);
          attempts.delete(name);
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
   * Simulated seconds Step Functions would pause before retrying this error: the matching
   * retrier's interval × backoff^attempt, capped, with full jitter taken at its mean.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
   */
  private backoff(state: string, error: string, attempts: Map<string, number>): number {
    const retriers = this.retries.get(state) ?? [];
    const retrier = retriers.find(
      (r) => r.ErrorEquals.includes(error) || r.ErrorEquals.includes('States.ALL'),
    );
    if (!retrier) return 0;
    const attempt = attempts.get(state) ?? 0;
    if (attempt >= (retrier.MaxAttempts ?? 3)) return 0;
    attempts.set(state, attempt + 1);
    const interval = Math.min(
      (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt,
      retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
    );
    return retrier.JitterStrategy === 'FULL' ? interval / 2 : interval;
  }

  /** A scenario with history: the fleet record a previous release would have left. */
  private async seedFleetRecord(scenario: Scenario, sim: FleetSimulator): Promise<void> {
    if (!scenario.fleet.previousImage) return;
    const until = new Date(sim.now().getTime() + this.settings.scaleDownDelaySeconds * 1000).toISOString();
    const record: FleetRecord = {
      liveColour: 'blue',
      releasedImage: scenario.releasedImage,
      previousImage: scenario.fleet.previousImage,
      releasedAt: sim.now().toISOString(),
      versions: seededVersions(scenario),
      ...(scenario.fleet.previousColourWarm
        ? { warm: { colour: 'green', image: scenario.fleet.previousImage, until } }
        : {}),
      generation: 1,
    };
    await new DynamoDBClient({}).send(
      new PutItemCommand({
        TableName: this.settings.table,
        Item: {
          pk: { S: 'fleet' },
          sk: { S: 'state' },
          record: { S: JSON.stringify(record) },
          generation: { N: '1' },
        },
      }),
    );
  }

  private fleetRecord(sim: FleetSimulator): FleetRecord | undefined {
    const item = sim.item(this.settings.table, { pk: 'fleet', sk: 'state' });
    return typeof item?.record === 'string' ? (JSON.parse(item.record) as FleetRecord) : undefined;
  }

  /**
   * EventBridge delivers every failed, stopped or timed-out execution's status change to the
   * lock janitor, as the deployed app wires it: a stopped or timed-out execution runs none of
   * its own cleanup, and a failed one may end still holding the lock. The janitor's delete is
   * conditional on the owner, so it is only delivered here when this execution still holds the
   * lock (otherwise it is a no-op that would only add a DeleteItem to the counted calls).
   * EventBridge invokes it asynchronously, so a failed attempt (a throttled delete) is retried
   * by Lambda twice, one then two minutes later; after that the lock is left to expire.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  private async executionEnded(
    status: ExecutionOutcome['status'],
    arn: string,
    sim: FleetSimulator,
    vt: VirtualTime,
  ): Promise<void> {
    if (status === 'SUCCEEDED') return;
    if (sim.item(this.settings.table, { pk: 'fleet', sk: 'lock' })?.owner !== arn) return;
    const event = {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: arn,
        status,
        stateMachineArn: arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
      },
    };
    for (const retryAfter of [60, 120, undefined]) {
      try {
        await releaseAbandonedLock(event, {
          store: new DynamoDbLedgerStore(new DynamoDBClient({}), this.settings.table),
        });
        return;
      } catch {
        if (retryAfter === undefined) return;
        await vt.sleep(retryAfter);
      }
    }
  }

  /** How Step Functions reports an execution that was stopped or timed out. */
  private stopped(status: 'ABORTED' | 'TIMED_OUT'): ExecutionOutcome {
    return status === 'TIMED_OUT'
      ? {
          status,
          error: 'States.Timeout',
          cause: `the execution exceeded its ${this.timeoutSeconds ?? 0} s timeout`,
        }
      : { status, error: 'States.Aborted', cause: 'the execution was stopped' };
  }
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

/** The message inside a Lambda-style JSON cause, else the cause as is. */
const readableCause = (cause: string) => describeError({ Error: '', Cause: cause });

const round = (v: number) => Math.round(v * 1000) / 1000;
