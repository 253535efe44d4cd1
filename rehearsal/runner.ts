import type { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowSettings } from '../lambda/shared/settings';
import type { AslDefinition, Retrier } from './asl';
import { SimulatedDeployment } from './deployment';
import type { CfnTemplate } from './deployment';
import { floorSeconds } from './floor';
import { assertRehearsalProcess } from './process';
import { parseNextExecution } from './scenario';
import type { NextExecutionInput, Scenario } from './scenario';
import { FleetSimulator } from './simulator';
import type { SimSnapshot } from './simulator';
import { VirtualTime } from './virtual-time';
import { deployedEnvironment } from './deployed-environment';
import { buildWorld } from './scenario-world';
import { CompiledMachine } from './run/compiled-machine';
import { driveExecution } from './run/execution-driver';
import type { ExecutionLabel, ExecutionLog, ExecutionOutcome, TimelineEvent } from './run/execution-driver';
import { scheduleFaults } from './run/fault-schedule';
import { deliverInteractiveAccess } from './run/interactive-access';
import type { AccessDelivery } from './run/interactive-access';
import { seedHistory } from './run/fleet-record';
import { deliverExecutionEnded } from './run/lock-janitor';
import { RehearsedExecutions, useName } from './run/recoveries';
import { holdProcessFakes, refuseWhileFaked } from './run/process-fakes';
import type { ProcessFakes } from './run/process-fakes';
import { buildResult } from './run/result';
import type { RehearsalResult } from './run/result';
import type { TaskStandIns } from './run/task-handlers';

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
  /**
   * The ARNs of the executions this run started: its own, the replace an interactive access
   * started, and the lock janitor's restores.
   */
  executions: { main: string; second?: string; access?: string; recoveries: string[] };
}

/** The world's steps a run has seen: every snapshot, and the lowest healthy serving share. */
interface Sampling {
  readonly samples: SimSnapshot[];
  minHealthy: number;
}

/** How many runs each simulated world has seen, so every execution on it has its own name. */
const runsOnWorld = new WeakMap<FleetSimulator, number>();

/** An execution's name: a world's later runs number theirs, so none repeats on it. */
const executionName = (label: ExecutionLabel, sequence: number) =>
  sequence === 1 ? `rehearsal-${label}` : `rehearsal-${label}-${sequence}`;

/**
 * A compiled environment: its synthesized definition, checked and rewritten once (building
 * the local state machine validates the definition, which takes up to a second), ready to
 * run any number of scenarios.
 */
export class Rehearsal {
  readonly settings: WorkflowSettings;
  private readonly machine: StateMachine;
  private readonly tasks: TaskStandIns;
  private readonly definition: AslDefinition;

  constructor(
    readonly environment: string,
    readonly deployment: SimulatedDeployment,
  ) {
    assertRehearsalProcess();
    const deployed = deployedEnvironment(deployment);
    const compiled = new CompiledMachine(deployment, deployed.rolloutStateMachine);
    this.settings = deployed.settings;
    this.definition = compiled.definition;
    this.tasks = compiled.tasks;
    this.machine = compiled.machine;
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
   * The fewest retries any state makes of transient errors (MaxAttempts, 3 when left out):
   * transient failures up to this many in a run cannot exhaust any state's retries, whatever
   * states they hit.
   */
  get fewestRetries(): number {
    return this.fewestAttempts((r) => !r.ErrorEquals.includes('Sandbox.Timedout'));
  }

  /** The fewest retries any Lambda state makes of a function timeout. */
  get fewestTimeoutRetries(): number {
    return this.fewestAttempts((r) => r.ErrorEquals.includes('Sandbox.Timedout'));
  }

  private fewestAttempts(which: (r: Retrier) => boolean): number {
    const attempts = [...this.tasks.retries.values()]
      .flat()
      .filter(which)
      .map((r) => r.MaxAttempts ?? 3);
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
    // Refused before the world moves on: another run may be running on this very world.
    refuseWhileFaked(this.runName(previous.simulator));
    previous.simulator.advance(parsed.afterSeconds);
    return this.runOn(previous.simulator, {
      ...previous.scenario,
      input: parsed.input,
      faults: parsed.faults,
    });
  }

  private async runOn(sim: FleetSimulator, scenario: Scenario): Promise<RehearsalRun> {
    const start = sim.now().getTime();
    const fakes = holdProcessFakes(this.runName(sim), sim, start);
    const sequence = (runsOnWorld.get(sim) ?? 0) + 1;
    runsOnWorld.set(sim, sequence);
    const sampling: Sampling = { samples: [], minHealthy: Number.POSITIVE_INFINITY };
    const stopSampling = sim.onStep((s) => {
      sampling.samples.push(s);
      if (s.servingDesired > 0)
        sampling.minHealthy = Math.min(sampling.minHealthy, s.healthyServing / s.servingDesired);
    });
    try {
      return await this.execute(scenario, sim, fakes, start, sampling, sequence);
    } finally {
      fakes.release();
      stopSampling();
    }
  }

  /** The next run on `sim`, as a refusal names it. */
  private runName(sim: FleetSimulator): string {
    const sequence = (runsOnWorld.get(sim) ?? 0) + 1;
    return `the ${this.environment} rehearsal of ${executionName('main', sequence)}`;
  }

  private async execute(
    scenario: Scenario,
    sim: FleetSimulator,
    fakes: ProcessFakes,
    start: number,
    sampling: Sampling,
    sequence: number,
  ): Promise<RehearsalRun> {
    const seconds = () => (sim.now().getTime() - start) / 1000;
    // Faults are timed from this run's start; the world's clock started with the first run.
    const worldSecondsAtStart = sim.snapshot().t;
    const name = (label: ExecutionLabel) => executionName(label, sequence);
    const arnFor = (executionName: string) =>
      `arn:aws:states:${this.deployment.region}:${this.deployment.account}:execution:${String(this.settings.environment)}-rollout:${executionName}`;
    const arnOf = (label: ExecutionLabel) => arnFor(name(label));
    const vt = new VirtualTime(seconds, (to) => {
      const dt = to - seconds();
      if (dt > 0) sim.advance(dt);
      fakes.setNow(sim.now().getTime());
    });
    const { samples } = sampling;
    if (sequence === 1) await seedHistory(scenario, sim, this.settings);
    const callsBefore = { ...sim.apiCalls };
    samples.push(sim.snapshot());

    let lambdaInvocations = 0;
    const faults = scheduleFaults(scenario.faults, { sim, vt, worldSecondsAtStart });
    const log: ExecutionLog = { timeline: [], transitions: 0 };
    // The lock janitor's restores run as executions of their own, on this world.
    const recoveries: RehearsedExecutions = new RehearsedExecutions(sim, arnFor, (n, input) =>
      runOne(input, 'recovery', n),
    );
    const runOne = (
      input: unknown,
      label: ExecutionLabel,
      named = name(label),
    ): Promise<ExecutionOutcome> => {
      const arn = arnFor(named);
      useName(sim, named);
      return driveExecution(
        this.machine,
        { vt, seconds, snapshot: () => sim.snapshot() },
        {
          label,
          arn,
          name: named,
          input,
          taskHandlers: this.tasks.forExecution(vt, {
            invoked: () => lambdaInvocations++,
            takeLambdaError: faults.takeLambdaError,
            takeLambdaTimeout: faults.takeLambdaTimeout,
            latency: scenario.lambdaLatencySeconds,
          }),
          retryingStates: [...this.tasks.retries.keys()],
          timeoutSeconds: this.timeoutSeconds,
          // The stop fault counts the main execution's own transitions, not a second execution's.
          stopAtTransition: label === 'main' ? faults.stopAtTransition : undefined,
          // The janitor runs on its own, as EventBridge invokes it: not part of the execution's time.
          onEnded: (outcome) =>
            void vt.run(() =>
              deliverExecutionEnded(outcome, arn, {
                vt,
                table: this.settings.table,
                executions: recoveries,
              }),
            ),
        },
        log,
      );
    };

    let second: Promise<ExecutionOutcome> | undefined;
    const secondExecution = faults.secondExecution;
    if (secondExecution) {
      vt.at(secondExecution.atSecond, () => {
        second = runOne(secondExecution.input, 'second');
      });
    }
    let accessRun: { arn: string; outcome: Promise<ExecutionOutcome> } | undefined;
    let delivered: Promise<AccessDelivery | undefined> | undefined;
    const access = faults.interactiveAccess;
    if (access) {
      vt.at(access.atSecond, () => {
        delivered = vt.run(() =>
          deliverInteractiveAccess(access.api, {
            sim,
            deployment: this.deployment,
            sequence,
            start: (executionName, input) => {
              accessRun = { arn: arnFor(executionName), outcome: runOne(input, 'access', executionName) };
              return accessRun.arn;
            },
          }),
        );
      });
    }
    const main = await runOne(scenario.input, 'main');
    const mainSeconds = seconds();
    await vt.idle();
    const accessDelivery = delivered ? await delivered : undefined;
    const accessExecution = accessRun ? await accessRun.outcome : undefined;
    // A burst nothing consumed must not throttle the next run on this world.
    sim.clearPendingFaults();
    const secondOutcome = second ? await second : undefined;
    const automaticRestores = await Promise.all(recoveries.started.map((r) => r.outcome));
    samples.push(sim.snapshot());

    const result = buildResult(sim, this.settings, scenario, {
      main,
      ...(secondOutcome ? { second: secondOutcome } : {}),
      ...(accessDelivery ? { access: accessDelivery } : {}),
      ...(accessExecution ? { accessExecution } : {}),
      mainSeconds,
      floorSeconds: floorSeconds(scenario, this.settings),
      callsBefore,
      minHealthy: sampling.minHealthy,
      transitions: log.transitions,
      lambdaInvocations,
      samples,
      automaticRestores,
    });
    return {
      result,
      timeline: log.timeline,
      samples,
      notifications: sim.published,
      simulator: sim,
      scenario,
      executions: {
        main: arnOf('main'),
        ...(second ? { second: arnOf('second') } : {}),
        ...(accessRun ? { access: accessRun.arn } : {}),
        recoveries: recoveries.started.map((r) => r.arn),
      },
    };
  }
}
