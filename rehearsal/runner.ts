import type { EnvironmentName } from '../lambda/shared/environments';
import type { WorkflowSettings } from '../lambda/shared/settings';
import type { Retrier } from './asl';
import type { CfnTemplate, SimulatedDeployment } from './deployment';
import { inEnvironment, planOf } from './engine/plan';
import { CompiledProduct } from './engine/product';
import { EngineRun } from './engine/run';
import type { Leg } from './engine/run';
import type { CompiledStack } from './engine/stack';
import type { Execution } from './engine/step-functions';
import { floorSeconds } from './floor';
import type { ExecutionOutcome, TimelineEvent } from './run/execution-driver';
import { buildResult } from './run/result';
import type { RehearsalResult } from './run/result';
import { parseNextExecution } from './scenario';
import type { NextExecutionInput, Scenario } from './scenario';
import type { FleetSimulator, SimSnapshot } from './simulator';
import type { ProductTemplates } from './synth';

export interface RehearsalRun {
  result: RehearsalResult;
  /** Every state entered, retried or caught; `t` is seconds since this run began. */
  timeline: TimelineEvent[];
  /** The world after every step of this run; `t` is seconds since the world began. */
  samples: SimSnapshot[];
  /** Every message the environment's topics received, earlier runs on the same world included. */
  notifications: Array<{ subject?: string; message: string; at: Date }>;
  /** The environment's fleet, as this run left it (a later `runAfter` moves it on). */
  simulator: FleetSimulator;
  /** The scenario this run executed (after `runAfter`: the first run's, with this run's input and faults). */
  scenario: Scenario;
  /**
   * The ARNs of the executions this run started: its own, a person's second one, the replace an
   * interactive access started, and the lock janitor's restores.
   */
  executions: { main: string; second?: string; access?: string; recoveries: string[] };
  /** The engine the run ran on: `runAfter` goes on with it. */
  readonly engine: EngineRun;
}

/**
 * An environment's rehearsal: its synthesized stack deployed into a simulated cloud where its
 * template is pinned, and scenarios run on the one engine as a train of one (the same Step
 * Functions, the same deployed rules and functions, the same faults as a release train's).
 * Compiling the stack (its state machines' definitions, checked and rewritten) happens once,
 * for any number of scenarios.
 */
export class Rehearsal {
  readonly settings: WorkflowSettings;
  private readonly stack: CompiledStack;

  constructor(
    readonly environment: EnvironmentName,
    private readonly product: CompiledProduct,
  ) {
    this.stack = product.stack(environment);
    this.settings = this.stack.deployed.settings;
  }

  /** Build from a synthesized template (the stack's `Template.toJSON()` or the cloud assembly file). */
  static fromTemplate(environment: EnvironmentName, template: CfnTemplate): Rehearsal {
    const environments = { [environment]: template } as Record<EnvironmentName, CfnTemplate>;
    return new Rehearsal(environment, new CompiledProduct({ environments }));
  }

  /** The environment's deployment, resolved where its stack is pinned. */
  get deployment(): SimulatedDeployment {
    return this.stack.deployment;
  }

  /** The state machine's timeout, in seconds. */
  get timeoutSeconds(): number | undefined {
    return this.stack.rollout.timeoutSeconds;
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
    const attempts = [...this.stack.rollout.tasks.retries.values()]
      .flat()
      .filter(which)
      .map((r) => r.MaxAttempts ?? 3);
    return Math.min(...attempts);
  }

  async run(scenario: Scenario): Promise<RehearsalRun> {
    if (scenario.environment !== this.environment)
      throw new Error(`run: the scenario rehearses ${scenario.environment}, not ${this.environment}`);
    const engine = new EngineRun(this.product, planOf(scenario));
    const marks = this.marks(engine);
    const leg = await engine.start();
    return this.runOf(engine, leg, scenario, marks);
  }

  /**
   * Start a fresh execution on the world `previous` left behind (the same fleet, table,
   * parameters, topic and clock), `afterSeconds` after it ended: what an operator does after
   * stopping an execution, or the next scheduled rotation. The world moves on: a run's engine is
   * the one every later run on it continues. The result's `floorSeconds` is reckoned from the
   * first run's scenario (its fleet as it was then), with this input.
   */
  async runAfter(previous: RehearsalRun, next: NextExecutionInput): Promise<RehearsalRun> {
    if (previous.scenario.environment !== this.environment)
      throw new Error(
        `runAfter: the previous run rehearsed ${previous.scenario.environment}, not ${this.environment}`,
      );
    const parsed = parseNextExecution(next);
    const scenario = { ...previous.scenario, input: parsed.input, faults: parsed.faults };
    const engine = previous.engine;
    const marks = this.marks(engine);
    const leg = await engine.next(
      parsed.afterSeconds,
      parsed.input,
      parsed.faults.map((f) => inEnvironment(f, this.environment)),
    );
    return this.runOf(engine, leg, scenario, marks);
  }

  /** Where the engine's records stand before a leg: what the leg adds is the run's own. */
  private marks(engine: EngineRun) {
    const log = engine.logs.get(this.environment);
    return {
      executions: engine.executions().length,
      timeline: log?.timeline.length ?? 0,
      transitions: log?.transitions ?? 0,
      invocations: engine.invocations.get(this.environment) ?? 0,
      deliveries: engine.deliveries.length,
    };
  }

  private runOf(
    engine: EngineRun,
    leg: Leg,
    scenario: Scenario,
    marks: ReturnType<Rehearsal['marks']>,
  ): RehearsalRun {
    const env = this.environment;
    const fleet = engine.fleet(env);
    const executions = engine.executions().slice(marks.executions);
    const main = executions.find((x) => x.arn === leg.main);
    if (!main) throw new Error('the scenario started no execution');
    const second = executions.find((x) => x.arn === leg.people[0]);
    const access = leg.accesses[0];
    const accessDelivery = access
      ? engine.deliveries
          .slice(marks.deliveries)
          .find((d) => d.event.id === access.eventId && d.handler === 'on-interactive-access')
      : undefined;
    const accessExecution = executions.find((x) => x.startedBy === 'on-interactive-access');
    const recoveries = executions.filter((x) => x.startedBy === 'release-abandoned-lock');
    const log = engine.logs.get(env) ?? { timeline: [], transitions: 0 };
    const samples = (engine.samples.get(env) ?? []).slice(leg.sampleStart.get(env) ?? 0);
    samples.push(fleet.snapshot());
    let minHealthy = Number.POSITIVE_INFINITY;
    for (const s of samples)
      if (s.servingDesired > 0) minHealthy = Math.min(minHealthy, s.healthyServing / s.servingDesired);
    const result = buildResult(fleet, this.settings, scenario, {
      main: outcomeOf(main),
      ...(second ? { second: outcomeOf(second) } : {}),
      ...(access
        ? {
            access: {
              instanceId: access.instanceId,
              api: access.api,
              answer: accessDelivery?.outcome.ok ? accessDelivery.outcome.result : undefined,
            },
          }
        : {}),
      ...(accessExecution ? { accessExecution: outcomeOf(accessExecution) } : {}),
      mainSeconds: main.endedAt ?? 0,
      floorSeconds: floorSeconds(scenario, this.settings),
      callsBefore: leg.callsBefore.get(env) ?? {},
      minHealthy,
      transitions: log.transitions - marks.transitions,
      lambdaInvocations: (engine.invocations.get(env) ?? 0) - marks.invocations,
      samples,
      automaticRestores: recoveries.map(outcomeOf),
    });
    return {
      result,
      timeline: log.timeline.slice(marks.timeline),
      samples,
      notifications: fleet.published,
      simulator: fleet,
      scenario,
      executions: {
        main: main.arn,
        ...(second ? { second: second.arn } : {}),
        ...(accessExecution ? { access: accessExecution.arn } : {}),
        recoveries: recoveries.map((x) => x.arn),
      },
      engine,
    };
  }
}

/** How an execution ended, as Step Functions reports it (still RUNNING counts as stopped). */
function outcomeOf(x: Execution): ExecutionOutcome {
  return {
    status: x.status === 'RUNNING' ? 'ABORTED' : x.status,
    ...(x.error ? { error: x.error } : {}),
    ...(x.cause ? { cause: x.cause } : {}),
    ...(x.output !== undefined ? { output: x.output } : {}),
  };
}

/** A product's templates, from the whole product's or from its environments' alone. */
export function productOf(templates: ProductTemplates | Record<string, CfnTemplate>): CompiledProduct {
  return new CompiledProduct(isProduct(templates) ? templates : { environments: templates });
}

function isProduct(t: ProductTemplates | Record<string, CfnTemplate>): t is ProductTemplates {
  const environments = (t as { environments?: unknown }).environments;
  return (
    typeof environments === 'object' &&
    environments !== null &&
    Object.values(environments).every((v) => typeof v === 'object' && v !== null && 'Resources' in v)
  );
}
