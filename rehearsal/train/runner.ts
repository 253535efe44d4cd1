import type { EnvironmentName } from '../../lambda/shared/environments';
import { planOfTrain } from '../engine/plan';
import { CompiledProduct } from '../engine/product';
import { EngineRun } from '../engine/run';
import type { Delivery } from '../engine/bus';
import { IMAGE_FACTORY } from '../engine/stack';
import type { CompiledStack } from '../engine/stack';
import type { Execution } from '../engine/step-functions';
import type { TimelineEvent } from '../run/execution-driver';
import { ScenarioError } from '../scenario';
import type { FleetSimulator, SimSnapshot } from '../simulator';
import type { PublishedMessage } from '../simulator/services/sns';
import type { ProductTemplates } from '../synth';
import { trainFloorSeconds } from './floor';
import type { TrainLogEntry } from './log';
import { buildTrainResult } from './result';
import type { TrainResult } from './result';
import { parseTrainScenario } from './scenario';
import type { TrainScenario, TrainScenarioInput } from './scenario';

export interface TrainRun {
  readonly result: TrainResult;
  readonly scenario: TrainScenario;
  /** The train's story, in order: bakes, deliveries, executions, approvals, notifications. */
  readonly log: TrainLogEntry[];
  /** Each environment's world after every step; `t` is seconds since the train began. */
  readonly samples: Partial<Record<EnvironmentName, SimSnapshot[]>>;
  /** Every state entered, retried or caught, per environment. */
  readonly timelines: Partial<Record<EnvironmentName, TimelineEvent[]>>;
  readonly executions: readonly Execution[];
  readonly notifications: Partial<Record<EnvironmentName, PublishedMessage[]>>;
  readonly worlds: ReadonlyMap<EnvironmentName, FleetSimulator>;
  readonly deliveries: readonly Delivery[];
}

/**
 * The product's stacks rehearsed together on the one engine: the image factory's rules and
 * functions and each environment's state machines, rules and functions, each stack in the
 * account and region it is pinned to, on one simulated clock. Nothing is scripted between
 * environments: a bake reaches the first environment through the factory's rule and
 * announcement, a release reaches the next through its `Image Released` rule, and each promotion
 * soaks, asks and starts its canary as deployed.
 */
export class TrainRehearsal {
  private readonly product: CompiledProduct;

  constructor(templates: ProductTemplates) {
    if (!templates.imageFactory)
      throw new Error('a train rehearses the image factory too: its template is missing');
    this.product = new CompiledProduct(templates);
  }

  async run(raw: TrainScenario | TrainScenarioInput): Promise<TrainRun> {
    const s = parseTrainScenario(raw);
    this.checkChain(s);
    const engine = new EngineRun(this.product, planOfTrain(s));
    let result: TrainResult | undefined;
    engine.onEnd(() => (result = this.result(s, engine)));
    await engine.start();
    result ??= this.result(s, engine);
    engine.close();
    return {
      result,
      scenario: s,
      log: [...engine.story].sort((a, b) => a.t - b.t),
      samples: Object.fromEntries(engine.samples),
      timelines: Object.fromEntries([...engine.logs].map(([k, v]) => [k, v.timeline])),
      executions: engine.executions(),
      notifications: Object.fromEntries([...engine.fleets].map(([k, f]) => [k, f.published])),
      worlds: engine.fleets,
      deliveries: engine.deliveries,
    };
  }

  /** The train's result, from what its world and executions look like now. */
  private result(s: TrainScenario, engine: EngineRun): TrainResult {
    const environments = new Map<string, CompiledStack>(
      s.train.map((env) => [env, this.product.stack(env)] as const),
    );
    return buildTrainResult({
      scenario: s,
      environments,
      worlds: engine.fleets,
      executions: engine.executions(),
      waiting: engine.sfn.waitingForToken(),
      events: engine.events(),
      deliveries: engine.deliveries,
      deadLetters: engine.bus.deadLetters,
      approvals: engine.approvals,
      approvalWaitSeconds: engine.approvalWaitSeconds,
      seconds: engine.cloud.t,
      floorSeconds: trainFloorSeconds(s, environments),
      startMs: Date.parse(s.startTime),
    });
  }

  /** Each environment after the first must take the releases of the one before it, as configured. */
  private checkChain(s: TrainScenario): void {
    this.product.stack(IMAGE_FACTORY);
    s.train.forEach((name, i) => {
      if (!this.product.has(name))
        throw new ScenarioError(
          `train.${i}: ${name} is not an environment of this product (${this.product.environments().join(', ')})`,
        );
      const from = this.product.stack(name).deployed.settings.promoteFrom;
      const before = s.train[i - 1];
      if (i === 0 && from)
        throw new ScenarioError(
          `train.0: ${name} takes ${from}'s releases, not the image factory's: start the train at the environment that takes the factory's images`,
        );
      if (i > 0 && from !== before)
        throw new ScenarioError(
          `train.${i}: ${name} takes ${from ? `${from}'s releases` : "the image factory's images"}, not ${before}'s: list the environments in promotion order`,
        );
    });
  }
}
