import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPromotionStore } from '../../lambda/aws/dynamodb-promotion';
import { StepFunctionsTaskTokens } from '../../lambda/aws/sfn';
import { decideApproval } from '../../lambda/promotion/approval';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { SimulatedDeployment } from '../deployment';
import { assertRehearsalProcess } from '../process';
import type { ExecutionLog, TimelineEvent } from '../run/execution-driver';
import { scheduleFaults } from '../run/fault-schedule';
import { seedHistory } from '../run/fleet-record';
import { holdProcessFakes } from '../run/process-fakes';
import type { ProcessFakes } from '../run/process-fakes';
import type { LambdaBehaviour } from '../run/task-handlers';
import type { Fault } from '../scenario';
import { ScenarioError } from '../scenario';
import { buildWorld } from '../scenario-world';
import { FleetSimulator } from '../simulator';
import type { SimSnapshot } from '../simulator';
import { EventsService } from '../simulator/services/events';
import type { PublishedMessage } from '../simulator/services/sns';
import type { ProductTemplates } from '../synth';
import { VirtualTime } from '../virtual-time';
import { TrainAccount } from './account';
import type { Place } from './account';
import { busRules, TrainBus } from './bus';
import type { BusRule, Delivery } from './bus';
import { environmentScenario, TrainEnvironment } from './environments';
import { trainFloorSeconds } from './floor';
import { deployedFunctions } from './functions';
import type { DeployedFunction } from './functions';
import { describeDelivery, describeExecution } from './log';
import type { TrainLogEntry } from './log';
import { buildTrainResult } from './result';
import type { TrainResult } from './result';
import { parseTrainScenario } from './scenario';
import type { TrainScenario, TrainScenarioInput } from './scenario';
import { TrainStepFunctions } from './step-functions';
import type { TrainExecution, TrainMachine } from './step-functions';

export interface TrainRun {
  readonly result: TrainResult;
  readonly scenario: TrainScenario;
  /** The train's story, in order: bakes, deliveries, executions, approvals, notifications. */
  readonly log: TrainLogEntry[];
  /** Each environment's world after every step; `t` is seconds since the train began. */
  readonly samples: Partial<Record<EnvironmentName, SimSnapshot[]>>;
  /** Every state entered, retried or caught, per environment. */
  readonly timelines: Partial<Record<EnvironmentName, TimelineEvent[]>>;
  readonly executions: readonly TrainExecution[];
  readonly notifications: Partial<Record<EnvironmentName, PublishedMessage[]>>;
  readonly worlds: ReadonlyMap<EnvironmentName, FleetSimulator>;
  readonly deliveries: readonly Delivery[];
}

/** The image factory's recipe and pipeline, as the factory's template defines them. */
interface FactoryImages {
  readonly pipelineArn: string;
  /** The ARN of a build version of the recipe (Image Builder lowercases the recipe's name). */
  readonly buildArn: (build: number) => string;
}

/**
 * The product's stacks rehearsed together: the image factory's rules and functions and each
 * environment's state machines, rules and functions, in one simulated account and one simulated
 * clock. Nothing is scripted between environments: a bake reaches dev through the factory's rule
 * and announcement, a release reaches the next environment through its `Image Released` rule,
 * and each promotion soaks, asks and starts its canary as deployed.
 */
export class TrainRehearsal {
  private readonly environments = new Map<EnvironmentName, TrainEnvironment>();
  private readonly factory: SimulatedDeployment;
  private readonly functions: ReadonlyMap<string, DeployedFunction>;
  private readonly rules: readonly BusRule[];
  private readonly images: FactoryImages;

  constructor(templates: ProductTemplates) {
    assertRehearsalProcess();
    this.factory = new SimulatedDeployment(templates.imageFactory, { stackName: 'immutable-images' });
    for (const [name, template] of Object.entries(templates.environments))
      this.environments.set(name, TrainEnvironment.fromTemplate(name, template));
    const deployments: Array<readonly [Place, SimulatedDeployment]> = [
      ['image-factory', this.factory],
      ...[...this.environments].map(([name, env]) => [name, env.deployment] as const),
    ];
    this.functions = deployedFunctions(deployments);
    this.rules = busRules(deployments);
    this.images = factoryImages(this.factory);
  }

  async run(raw: TrainScenario | TrainScenarioInput): Promise<TrainRun> {
    const s = parseTrainScenario(raw);
    this.checkChain(s);
    return new TrainRun_(s, this.environments, this.functions, this.rules, this.images).run();
  }

  /** Each environment after the first must take the releases of the one before it, as configured. */
  private checkChain(s: TrainScenario): void {
    s.train.forEach((name, i) => {
      const env = this.environments.get(name);
      if (!env)
        throw new ScenarioError(
          `train.${i}: ${name} is not an environment of this product (${[...this.environments.keys()].join(', ')})`,
        );
      const from = env.settings.promoteFrom;
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

function factoryImages(factory: SimulatedDeployment): FactoryImages {
  const pipeline = factory.ofType('AWS::ImageBuilder::ImagePipeline')[0];
  const recipe = factory.ofType('AWS::ImageBuilder::ImageRecipe')[0];
  if (!pipeline || !recipe)
    throw new Error('the image factory template has no Image Builder pipeline and recipe');
  const { Name, Version } = factory.properties(recipe) as { Name: string; Version: string };
  return {
    pipelineArn: factory.arnOf(pipeline),
    buildArn: (build) =>
      `arn:aws:imagebuilder:${factory.region}:${factory.account}:image/${Name.toLowerCase()}/${Version}/${build}`,
  };
}

/** One run of a train: its worlds, clock, bus and executions, from the start to the end. */
class TrainRun_ {
  private readonly worlds = new Map<EnvironmentName, FleetSimulator>();
  private readonly log: TrainLogEntry[] = [];
  private readonly samples: Partial<Record<EnvironmentName, SimSnapshot[]>> = {};
  private readonly timelines = new Map<EnvironmentName, ExecutionLog>();
  private readonly deliveries: Delivery[] = [];
  private readonly approvals: TrainResult['approvals'] = [];
  private approvalWaitSeconds = 0;
  private readonly startMs: number;
  private ended: TrainResult | undefined;

  constructor(
    private readonly s: TrainScenario,
    private readonly environments: ReadonlyMap<EnvironmentName, TrainEnvironment>,
    private readonly functions: ReadonlyMap<string, DeployedFunction>,
    private readonly rules: readonly BusRule[],
    private readonly images: FactoryImages,
  ) {
    this.startMs = Date.parse(s.startTime);
    for (const name of s.train) {
      const env = this.env(name);
      this.worlds.set(
        name,
        new FleetSimulator(buildWorld(env.deployment, env.settings, environmentScenario(s, name))),
      );
      this.timelines.set(name, { timeline: [], transitions: 0 });
    }
  }

  async run(): Promise<TrainRun> {
    const { s } = this;
    const first = this.world(s.train[0] as EnvironmentName);
    const firstEnv = this.env(s.train[0] as EnvironmentName);
    const seconds = () => (first.now().getTime() - this.startMs) / 1000;
    const bus = new EventsService(
      { accountId: firstEnv.deployment.account, region: firstEnv.deployment.region },
      () => first.now(),
    );
    // Built in this order, each handed what it needs of the others when it is called.
    const parts: { sfn?: TrainStepFunctions; trainBus?: TrainBus; fakes?: ProcessFakes } = {};
    const vt = new VirtualTime(seconds, (to) => {
      if (this.ended) return;
      const target = Math.min(to, s.untilSecond);
      const dt = target - seconds();
      if (dt > 0) for (const world of this.worlds.values()) world.advance(dt);
      parts.fakes?.setNow(first.now().getTime());
      if (to > s.untilSecond && parts.sfn && parts.trainBus)
        this.end(parts.sfn, parts.trainBus, bus, seconds);
    });
    const lambdas = new Map<EnvironmentName, Omit<LambdaBehaviour, 'tokens'>>();
    const within = <T>(place: Place, body: () => T): T => account.within(place, body);
    const sfn = new TrainStepFunctions(this.machines(), {
      vt,
      seconds,
      now: () => first.now(),
      snapshot: (place) => this.world(place).snapshot(),
      lambda: (place) => lambdas.get(place) as Omit<LambdaBehaviour, 'tokens'>,
      within,
      log: (place) => this.timelines.get(place) as ExecutionLog,
      statusChanged: (x) => this.statusChanged(x, bus, seconds()),
      tokenWaited: (waited, answered) => {
        if (answered) this.approvalWaitSeconds += waited;
      },
    });
    const account = new TrainAccount(this.worlds, first, bus, sfn);
    const trainBus = new TrainBus(this.rules, this.functions, {
      vt,
      seconds,
      within,
      latency: s.lambdaLatencySeconds,
      delivered: (d) => this.delivered(d),
    });
    Object.assign(parts, { sfn, trainBus });
    bus.onEvent((e) => trainBus.put(e));
    for (const name of s.train) {
      const faults = scheduleFaults(this.faultsIn(name), {
        sim: this.world(name),
        vt,
        worldSecondsAtStart: 0,
      });
      lambdas.set(name, {
        invoked: () => undefined,
        takeLambdaError: faults.takeLambdaError,
        takeLambdaTimeout: faults.takeLambdaTimeout,
        latency: s.lambdaLatencySeconds,
      });
    }
    parts.fakes = holdProcessFakes(`the train rehearsal of ${s.train.join(' → ')}`, account, this.startMs);
    const environmentBefore = { ...process.env };
    const stopSampling = this.sample(seconds);
    try {
      for (const name of s.train)
        await within(name, () =>
          seedHistory(environmentScenario(s, name), this.world(name), this.env(name).settings),
        );
      this.schedule(vt, account, sfn, bus);
      await vt.idle();
      const result = this.ended ?? this.end(sfn, trainBus, bus, seconds);
      return {
        result,
        scenario: s,
        log: [...this.log].sort((a, b) => a.t - b.t),
        samples: this.samples,
        timelines: Object.fromEntries([...this.timelines].map(([k, v]) => [k, v.timeline])),
        executions: [...sfn.executions.values()],
        notifications: Object.fromEntries([...this.worlds].map(([k, w]) => [k, w.published])),
        worlds: this.worlds,
        deliveries: this.deliveries,
      };
    } finally {
      stopSampling();
      parts.fakes.release();
      process.env = environmentBefore;
    }
  }

  /** Step Functions puts every status change on the bus (the lock janitor's rule listens). */
  private statusChanged(x: TrainExecution, bus: EventsService, t: number): void {
    this.note(x.place, describeExecution(x), t);
    bus.emit({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      resources: [x.arn],
      detail: {
        executionArn: x.arn,
        stateMachineArn: x.stateMachineArn,
        name: x.name,
        status: x.status,
        startDate: x.startDate.getTime(),
        stopDate: x.stopDate?.getTime() ?? null,
        input: JSON.stringify(x.input),
      },
    });
  }

  /** Every rule's invocation is kept; the log tells those that did something. */
  private delivered(d: Delivery): void {
    this.deliveries.push(d);
    const quiet =
      d.handler === 'release-abandoned-lock' &&
      d.outcome.ok &&
      !(d.outcome.result as { released?: boolean }).released;
    if (!quiet) this.note(d.place, describeDelivery(d), d.t);
  }

  /** The result as things stand, then everything stops: executions, deliveries, the clock. */
  private end(
    sfn: TrainStepFunctions,
    trainBus: TrainBus,
    bus: EventsService,
    seconds: () => number,
  ): TrainResult {
    if (this.ended) return this.ended;
    const result = buildTrainResult({
      scenario: this.s,
      environments: this.environments,
      worlds: this.worlds,
      executions: [...sfn.executions.values()],
      waiting: sfn.waitingForToken(),
      events: bus.events,
      deliveries: this.deliveries,
      deadLetters: trainBus.deadLetters,
      approvals: this.approvals,
      approvalWaitSeconds: this.approvalWaitSeconds,
      seconds: seconds(),
      floorSeconds: trainFloorSeconds(this.s, this.environments),
      startMs: this.startMs,
    });
    this.ended = result;
    trainBus.close();
    sfn.close();
    return result;
  }

  /** The scenario's timed events: the bake, people's approvals and executions, injected events. */
  private schedule(
    vt: VirtualTime,
    account: TrainAccount,
    sfn: TrainStepFunctions,
    bus: EventsService,
  ): void {
    const { s } = this;
    const bake = s.bake;
    if (bake) {
      vt.at(bake.atSecond, () => {
        const arn = this.images.buildArn(1);
        const f = bake.findings;
        this.world(s.train[0] as EnvironmentName).registerImageBuildVersion(arn, bake.imageId, 'AVAILABLE', {
          pipelineArn: this.images.pipelineArn,
          ...(bake.scanned
            ? { findings: { critical: f.CRITICAL, high: f.HIGH, medium: f.MEDIUM, low: f.LOW } }
            : {}),
        });
        this.note(
          'image-factory',
          `baked ${bake.imageId} (${arn.split(':image/')[1]}): AVAILABLE, ${
            bake.scanned ? `${f.CRITICAL} critical, ${f.HIGH} high findings` : 'not scanned'
          }`,
          bake.atSecond,
        );
        bus.emit({
          source: 'aws.imagebuilder',
          'detail-type': 'EC2 Image Builder Image State Change',
          resources: [arn],
          detail: { 'previous-state': { status: 'DISTRIBUTING' }, state: { status: 'AVAILABLE' } },
        });
      });
    }
    for (const a of s.approvals) {
      vt.at(a.atSecond, () => void vt.run(() => account.within(a.environment, () => this.decide(a))));
    }
    s.faults.forEach((f, i) => {
      if (f.kind === 'execution') {
        vt.at(f.atSecond, () => {
          const machine = sfn.machine(f.environment, 'rollout') as TrainMachine;
          try {
            account.within(f.environment, () =>
              sfn.startExecution({
                stateMachineArn: machine.compiled.arn,
                name: `operator-${i + 1}`,
                input: JSON.stringify(f.input),
              }),
            );
          } catch (e) {
            this.note(
              f.environment,
              `an operator's execution was refused: ${(e as Error).message}`,
              f.atSecond,
            );
          }
        });
      } else if (f.kind === 'deregister') {
        vt.at(f.atSecond, () => {
          this.note('image-factory', `${f.imageId} deregistered`, f.atSecond);
          for (const world of this.worlds.values()) world.deregisterImage(f.imageId);
        });
      } else if (f.kind === 'event') {
        vt.at(f.atSecond, () => {
          this.note('image-factory', `an event put on the bus: ${f.source} ${f.detailType}`, f.atSecond);
          bus.emit({ source: f.source, 'detail-type': f.detailType, resources: [], detail: f.detail });
        });
      }
    });
  }

  /** A person's answer, given as `npm run approve` gives it. */
  private async decide(a: TrainScenario['approvals'][number]): Promise<void> {
    const env = this.env(a.environment);
    const imageId = a.imageId ?? this.s.bake?.imageId ?? '';
    try {
      await decideApproval(
        {
          environment: a.environment,
          imageId,
          decision: a.decision,
          by: a.by,
          ...(a.reason ? { reason: a.reason } : {}),
        },
        {
          store: new DynamoDbPromotionStore(
            new DynamoDBClient({}),
            env.promotionSettings?.table ?? env.settings.table,
          ),
          tokens: new StepFunctionsTaskTokens(new SFNClient({})),
          now: new Date(),
        },
      );
      const message = `${a.by} ${a.decision === 'approve' ? 'approved' : 'rejected'} ${imageId}`;
      this.approvals.push({
        environment: a.environment,
        atSecond: a.atSecond,
        decision: a.decision,
        accepted: true,
        message,
      });
      this.note(a.environment, message, a.atSecond);
    } catch (e) {
      const message = (e as Error).message;
      this.approvals.push({
        environment: a.environment,
        atSecond: a.atSecond,
        decision: a.decision,
        accepted: false,
        message,
      });
      this.note(a.environment, `${a.by}'s ${a.decision} refused: ${message}`, a.atSecond);
    }
  }

  /** Each environment's snapshots, and a line for each notification its topic sends. */
  private sample(seconds: () => number): () => void {
    const stops = [...this.worlds].map(([name, world]) => {
      const samples: SimSnapshot[] = [world.snapshot()];
      this.samples[name] = samples;
      let published = world.published.length;
      return world.onStep((snapshot) => {
        samples.push(snapshot);
        for (const m of world.published.slice(published)) {
          // The status line a person reads: what the next stage does, and when.
          const next = m.message.split('\n').find((line) => line.startsWith('Next: '));
          this.note(
            name,
            `notified: ${m.subject ?? m.message.split('\n')[0]}${next ? ` — ${next}` : ''}`,
            seconds(),
          );
        }
        published = world.published.length;
      });
    });
    return () => stops.forEach((stop) => stop());
  }

  private machines(): TrainMachine[] {
    return this.s.train.flatMap((name) => {
      const env = this.env(name);
      return [
        { place: name, kind: 'rollout' as const, compiled: env.rollout },
        ...(env.promotion ? [{ place: name, kind: 'promotion' as const, compiled: env.promotion }] : []),
      ];
    });
  }

  /** The environment's faults that act on its world, in a single environment's terms. */
  private faultsIn(name: EnvironmentName): Fault[] {
    return this.s.faults.flatMap((f): Fault[] => {
      if (f.kind === 'execution' || f.kind === 'event' || f.kind === 'deregister' || f.environment !== name)
        return [];
      const { environment: _env, ...fault } = f;
      return [fault];
    });
  }

  private note(place: Place, text: string, t: number): void {
    if (!this.ended) this.log.push({ t, place, text });
  }

  private env(name: EnvironmentName): TrainEnvironment {
    const env = this.environments.get(name);
    if (!env) throw new Error(`${name} is not an environment of this product`);
    return env;
  }

  private world(name: EnvironmentName): FleetSimulator {
    const world = this.worlds.get(name);
    if (!world) throw new Error(`${name} is not in this train`);
    return world;
  }
}
