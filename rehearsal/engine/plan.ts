import type { EnvironmentName } from '../../lambda/shared/environments';
import type { Fault, Scenario } from '../scenario';
import type { TrainFault, TrainScenario } from '../train/scenario';
import { environmentScenario } from '../train/environments';

/**
 * What a rehearsal runs, in the one engine's terms: a single environment's scenario is a train
 * of one. Each environment starts from its world (a single environment's scenario says what its
 * fleet, images and traffic are), faults say where they act, and the scenario may start an
 * execution of its own at its first second.
 */
export interface RunPlan {
  readonly startTime: string;
  readonly lambdaLatencySeconds: number;
  /** Each environment in the run, in promotion order, and its world at the start. */
  readonly worlds: ReadonlyMap<EnvironmentName, Scenario>;
  /** Whether the image factory's stack is deployed too (a train). */
  readonly factory: boolean;
  readonly faults: readonly PlanFault[];
  /** The execution the scenario starts at its first second: a single environment's input. */
  readonly main?: { readonly environment: EnvironmentName; readonly input: unknown };
  readonly bake?: TrainScenario['bake'];
  readonly approvals: TrainScenario['approvals'];
  /** The run stops here even if something still runs or waits; left out, when nothing does. */
  readonly untilSecond?: number;
  /**
   * How executions are told apart: a single environment's as main, second (a person's), access
   * (the replace an interactive access started) and recovery (the lock janitor's restores); a
   * train's by their state machine and name.
   */
  readonly labels: 'environment' | 'train';
}

/** A fault of the one vocabulary, with the environment it acts in (a second execution is an execution). */
export type PlanFault =
  | Exclude<TrainFault, { kind: 'second-execution' }>
  | { readonly kind: 'stop'; readonly atTransition: number };

/** A single environment's scenario as a plan: a train of one, its input started at once. */
export function planOf(scenario: Scenario): RunPlan {
  const environment = scenario.environment;
  return {
    startTime: scenario.startTime,
    lambdaLatencySeconds: scenario.lambdaLatencySeconds,
    worlds: new Map([[environment, scenario]]),
    factory: false,
    faults: scenario.faults.map((f) => inEnvironment(f, environment)),
    main: { environment, input: scenario.input },
    approvals: [],
    labels: 'environment',
  };
}

/** A single environment's faults, each acting in it. */
export function inEnvironment(f: Fault, environment: EnvironmentName): PlanFault {
  switch (f.kind) {
    case 'stop':
    case 'deregister':
    case 'event':
      return f;
    case 'second-execution':
      return { ...f, kind: 'execution', environment };
    default:
      return { ...f, environment };
  }
}

/** A train scenario as a plan: the image factory and each environment, each from its own world. */
export function planOfTrain(s: TrainScenario): RunPlan {
  return {
    startTime: s.startTime,
    lambdaLatencySeconds: s.lambdaLatencySeconds,
    worlds: new Map(s.train.map((env) => [env, environmentScenario(s, env)])),
    factory: true,
    faults: s.faults.map((f) => (f.kind === 'second-execution' ? { ...f, kind: 'execution' as const } : f)),
    ...(s.bake ? { bake: s.bake } : {}),
    approvals: s.approvals,
    untilSecond: s.untilSecond,
    labels: 'train',
  };
}
