import { DynamoDbPromotionStore } from '../../lambda/aws/dynamodb-promotion';
import { StepFunctionsTaskTokens } from '../../lambda/aws/sfn';
import { decideApproval } from '../../lambda/promotion/approval';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { SimulatedCloud } from '../cloud';
import type { ExecutionLog } from '../run/execution-driver';
import { seedHistory } from '../run/fleet-record';
import type { LambdaBehaviour } from '../run/task-handlers';
import { buildWorld } from '../scenario-world';
import type { FleetSimulator, SimSnapshot } from '../simulator';
import { describeDelivery, describeExecution } from '../train/log';
import type { TrainLogEntry } from '../train/log';
import type { TrainResult } from '../train/result';
import { VirtualTime } from '../virtual-time';
import { accessEvent } from './access';
import type { AccessApi } from './access';
import { ProductBus } from './bus';
import type { Delivery } from './bus';
import { RunFunctions } from './functions';
import type { PlanFault, RunPlan } from './plan';
import type { CompiledProduct } from './product';
import { IMAGE_FACTORY } from './stack';
import type { CompiledStack } from './stack';
import { ProductStepFunctions } from './step-functions';
import type { Execution } from './step-functions';

/** An interactive access the scenario made, and what the deployed function answered. */
export interface AccessRecord {
  readonly environment: EnvironmentName;
  readonly instanceId: string;
  readonly api: AccessApi;
  /** The event EventBridge delivered to the function (its id finds the delivery). */
  readonly eventId: string;
}

/** One leg of a run: the first, or a fresh execution on the world an earlier leg left. */
export interface Leg {
  /** Cloud seconds when it began. */
  readonly startedAt: number;
  /** The execution the scenario started, if it started one. */
  readonly main?: string;
  /** Executions a person started (the scenario's execution faults), by fault. */
  readonly people: string[];
  /** Interactive accesses the scenario made. */
  readonly accesses: AccessRecord[];
  /** Each environment's API call counters when the leg began. */
  readonly callsBefore: ReadonlyMap<EnvironmentName, Readonly<Record<string, number>>>;
  /** Where each environment's samples of this leg begin (its fleet as the leg began). */
  readonly sampleStart: ReadonlyMap<EnvironmentName, number>;
}

/**
 * The one rehearsal engine: the stacks of a plan deployed into a simulated cloud (each where it
 * is pinned), every EventBridge event delivered through the deployed rules, every state machine
 * run by the local interpreter in one Step Functions, every function built from its deployment,
 * one clock, one fault scheduler. A single environment's scenario is a train of one.
 */
export class EngineRun {
  readonly cloud: SimulatedCloud;
  readonly fleets = new Map<EnvironmentName, FleetSimulator>();
  /** Every state entered, retried or caught, per environment. */
  readonly logs = new Map<string, ExecutionLog>();
  /** Each environment's fleet after every step; `t` is seconds since the cloud began. */
  readonly samples = new Map<EnvironmentName, SimSnapshot[]>();
  /** Lambda invocations of each environment's state machines. */
  readonly invocations = new Map<string, number>();
  /** The story, in order: bakes, deliveries, executions, approvals, notifications. */
  readonly story: TrainLogEntry[] = [];
  readonly deliveries: Delivery[] = [];
  readonly approvals: TrainResult['approvals'] = [];
  readonly legs: Leg[] = [];
  approvalWaitSeconds = 0;
  readonly sfn: ProductStepFunctions;
  readonly bus: ProductBus;
  readonly functions: RunFunctions;
  readonly stacks: ReadonlyMap<string, CompiledStack>;
  /** Each leg runs on a clock of its own, from its start (a leg's leftover timers die with it). */
  private vt: VirtualTime;
  /** Cloud seconds when the current leg began. */
  private legStart = 0;
  private readonly stopAt = new Map<string, number>();
  private readonly lambdaFaults = new Map<string, { errors: number; timeouts: number }>();
  private readonly until: number;
  private ended = false;
  /** A leg is running: another must wait for it to end. */
  private running = false;
  private endListeners: Array<() => void> = [];

  constructor(
    product: CompiledProduct,
    readonly plan: RunPlan,
  ) {
    this.cloud = new SimulatedCloud(new Date(plan.startTime));
    this.until = plan.untilSecond ?? Number.POSITIVE_INFINITY;
    const names = [...(plan.factory ? [IMAGE_FACTORY] : []), ...plan.worlds.keys()];
    this.stacks = new Map(names.map((n) => [n, product.stack(n)]));
    // The image factory's images are owned by its account, wherever its stack is.
    const factoryAccount = product.placement(IMAGE_FACTORY).account;
    for (const [env, world] of plan.worlds) {
      const stack = this.stack(env);
      this.fleets.set(
        env,
        this.cloud.addFleet(buildWorld(stack.deployment, stack.deployed.settings, world, factoryAccount)),
      );
      this.logs.set(env, { timeline: [], transitions: 0 });
      this.invocations.set(env, 0);
      this.lambdaFaults.set(env, { errors: 0, timeouts: 0 });
    }
    this.vt = this.clock();
    const stacks = [...this.stacks.values()];
    // The engine's current clock, read at each use: a later leg runs on a new one.
    const engine = () => this.vt;
    this.sfn = new ProductStepFunctions(
      stacks.flatMap((s) => s.machines),
      {
        get vt() {
          return engine();
        },
        seconds: () => this.seconds(),
        now: () => this.cloud.now(),
        snapshot: (env) => this.fleet(env).snapshot(),
        lambda: (env) => this.lambda(env),
        log: (env) => this.logOf(env),
        stopAtTransition: (x) => this.stopAt.get(x.arn),
        label: (x) => this.label(x),
        statusChanged: (x) => this.statusChanged(x),
        tokenWaited: (waited, answered) => {
          if (answered) this.approvalWaitSeconds += waited;
        },
      },
    );
    this.functions = new RunFunctions(
      stacks.flatMap((s) => s.functions),
      this.cloud,
      (caller) => this.sfn.as(caller.handler),
    );
    // Calls no function makes (a person's, the scenario's setup) answer as a person's.
    for (const s of stacks)
      this.cloud.place(s.placement.account, s.placement.region).sfn = this.sfn.as('person');
    this.bus = new ProductBus(
      stacks.flatMap((s) => s.rules),
      this.functions,
      this.cloud,
      {
        get vt() {
          return engine();
        },
        seconds: () => this.seconds(),
        latency: plan.lambdaLatencySeconds,
        delivered: (d) => this.delivered(d),
      },
    );
    for (const [env, fleet] of this.fleets) this.sample(env, fleet);
  }

  /** The first leg: the history each world starts with, the scenario's events, until it is over. */
  async start(): Promise<Leg> {
    if (this.legs.length > 0 || this.running) throw new Error('the rehearsal has started already');
    this.running = true;
    for (const [env, world] of this.plan.worlds) {
      const stack = this.stack(env);
      await seedHistory(world, this.fleet(env), stack.deployed.settings, this.clientsOf(stack));
    }
    return this.leg(this.plan.main?.input, this.plan.faults, this.plan.main !== undefined);
  }

  /**
   * A fresh execution of the main environment on the world the last leg left, `afterSeconds`
   * after it ended, with faults of its own (timed from its start): what an operator does after
   * stopping an execution, or the next scheduled rotation.
   */
  async next(afterSeconds: number, input: unknown, faults: readonly PlanFault[]): Promise<Leg> {
    if (this.ended) throw new Error('the rehearsal has ended; nothing more runs on it');
    if (this.running)
      throw new Error(
        `cannot start ${this.mainName(this.legs.length + 1)} on this world: ${this.mainName(this.legs.length)} is still running on it; await it first`,
      );
    this.running = true;
    this.advanceTo(this.cloud.t + afterSeconds);
    return this.leg(input, faults, true);
  }

  /** The name of the scenario's execution in leg `n` (from 1). */
  private mainName(n: number): string {
    return n === 1 ? 'rehearsal-main' : `rehearsal-main-${n}`;
  }

  /** The environment's fleet. */
  fleet(env: EnvironmentName): FleetSimulator {
    const fleet = this.fleets.get(env);
    if (!fleet) throw new Error(`${env} is not in this rehearsal`);
    return fleet;
  }

  stack(name: string): CompiledStack {
    const stack = this.stacks.get(name);
    if (!stack) throw new Error(`${name} is not deployed in this rehearsal`);
    return stack;
  }

  /** Every execution so far, in the order they started. */
  executions(): Execution[] {
    return [...this.sfn.executions.values()];
  }

  /** Every event put on any bus so far. */
  events() {
    return this.cloud.allPlaces().flatMap((p) => p.events.events);
  }

  /** Called once, when the run ends at its untilSecond (never for a run that goes idle first). */
  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  /** Stops everything: executions, deliveries; nothing more starts. */
  close(): void {
    this.bus.close();
    this.sfn.close();
  }

  // ---- a leg ---------------------------------------------------------------------------------

  private async leg(input: unknown, faults: readonly PlanFault[], startMain: boolean): Promise<Leg> {
    const startedAt = this.cloud.t;
    this.legStart = startedAt;
    this.vt = this.clock();
    // A leg's Lambda faults are its own: what an earlier one did not consume is gone.
    for (const faults of this.lambdaFaults.values()) Object.assign(faults, { errors: 0, timeouts: 0 });
    const leg: Leg = {
      startedAt,
      people: [],
      accesses: [],
      callsBefore: new Map([...this.fleets].map(([env, f]) => [env, { ...f.apiCalls }])),
      sampleStart: new Map([...this.fleets].map(([env]) => [env, this.samples.get(env)?.length ?? 0])),
    };
    for (const [env, fleet] of this.fleets) this.samples.get(env)?.push(fleet.snapshot());
    this.legs.push(leg);
    const at = (second: number, fire: () => void) => this.vt.at(second, fire);
    this.schedule(faults, at, leg);
    if (startMain && this.plan.main) {
      const env = this.plan.main.environment;
      const name = this.mainName(this.legs.length);
      const stop = faults.find((f) => f.kind === 'stop');
      const arn = this.executionArn(env, name);
      if (stop?.kind === 'stop') this.stopAt.set(arn, stop.atTransition);
      Object.assign(leg, { main: arn });
      this.startExecution(env, name, input, 'scenario');
    }
    try {
      await this.vt.idle();
    } finally {
      this.running = false;
    }
    // A burst nothing consumed must not throttle the next leg.
    for (const fleet of this.fleets.values()) fleet.clearPendingFaults();
    return leg;
  }

  /** The scenario's timed events: faults, people's executions and approvals, the bake. */
  private schedule(
    faults: readonly PlanFault[],
    at: (second: number, fire: () => void) => void,
    leg: Leg,
  ): void {
    const worldSecond = (second: number) => this.cloud.t + second;
    faults.forEach((f, i) => {
      switch (f.kind) {
        case 'alarm':
          this.fleet(f.environment).forceAlarm(f.alarm, worldSecond(f.atSecond), f.durationSeconds);
          break;
        case 'regression':
          this.fleet(f.environment).regressImage(f.imageId, worldSecond(f.atSecond), {
            ...(f.errorRate === undefined ? {} : { errorRate: f.errorRate }),
            ...(f.p99LatencyMs === undefined ? {} : { p99LatencyMs: f.p99LatencyMs }),
          });
          break;
        case 'throttle':
          at(f.atSecond, () => this.fleet(f.environment).throttleNext(f.calls));
          break;
        case 'launch-failure':
          at(f.atSecond, () => this.fleet(f.environment).failNextLaunches(f.count));
          break;
        case 'lambda-error':
          at(f.atSecond, () => (this.faultsOf(f.environment).errors += f.count));
          break;
        case 'lambda-timeout':
          at(f.atSecond, () => (this.faultsOf(f.environment).timeouts += f.count));
          break;
        case 'execution':
          at(f.atSecond, () => {
            const name =
              this.plan.labels === 'environment'
                ? this.legs.length === 1
                  ? 'rehearsal-second'
                  : `rehearsal-second-${this.legs.length}`
                : `operator-${i + 1}`;
            leg.people.push(this.executionArn(f.environment, name));
            this.startExecution(f.environment, name, f.input, 'person');
          });
          break;
        case 'interactive-access':
          at(f.atSecond, () => this.access(f.environment, f.api, leg));
          break;
        case 'deregister':
          at(f.atSecond, () => {
            this.note(IMAGE_FACTORY, `${f.imageId} deregistered`);
            for (const fleet of this.fleets.values()) {
              const image = fleet.place.catalog.get(f.imageId);
              if (image) image.exists = false;
            }
          });
          break;
        case 'event':
          at(f.atSecond, () => {
            this.note(IMAGE_FACTORY, `an event put on the bus: ${f.source} ${f.detailType}`);
            this.homePlace().events.emit({
              source: f.source,
              'detail-type': f.detailType,
              resources: [],
              detail: f.detail,
            });
          });
          break;
        case 'stop':
          break;
      }
    });
    const bake = this.plan.bake;
    if (bake && this.legs.length === 1) at(bake.atSecond, () => this.bake(bake));
    if (this.legs.length === 1)
      for (const a of this.plan.approvals) at(a.atSecond, () => void this.vt.run(() => this.decide(a)));
  }

  /** Starts an execution of the environment's rollout state machine; a refusal is told, not thrown. */
  private startExecution(
    env: EnvironmentName,
    name: string,
    input: unknown,
    startedBy: 'scenario' | 'person',
  ): void {
    const machine = this.sfn.machine(env, 'rollout');
    if (!machine) throw new Error(`${env} has no rollout state machine`);
    try {
      this.sfn.startExecution(
        { stateMachineArn: machine.compiled.arn, name, input: JSON.stringify(input ?? null) },
        startedBy,
      );
    } catch (e) {
      this.note(env, `an operator's execution was refused: ${(e as Error).message}`);
    }
  }

  private executionArn(env: EnvironmentName, name: string): string {
    const machine = this.sfn.machine(env, 'rollout');
    return `${machine?.compiled.arn.replace(':stateMachine:', ':execution:') ?? ''}:${name}`;
  }

  /**
   * Someone opens a way into the live instance: CloudTrail reports the call, and EventBridge
   * delivers it to whatever the environment's deployed rules send it to.
   */
  private access(env: EnvironmentName, api: AccessApi, leg: Leg): void {
    const fleet = this.fleet(env);
    const instanceId = fleet.liveInstance();
    if (!instanceId) return;
    const event = fleet.place.events.emit(
      accessEvent(api, instanceId, fleet.place.accountId, this.cloud.now()),
    );
    leg.accesses.push({ environment: env, instanceId, api, eventId: event.id });
  }

  /** The image factory's build of `bake.imageId` is AVAILABLE: Image Builder says so on its bus. */
  private bake(bake: NonNullable<RunPlan['bake']>): void {
    const factory = this.stack(IMAGE_FACTORY);
    const place = this.cloud.place(factory.placement.account, factory.placement.region);
    const pipeline = factory.deployment.ofType('AWS::ImageBuilder::ImagePipeline')[0];
    const recipe = factory.deployment.ofType('AWS::ImageBuilder::ImageRecipe')[0];
    if (!pipeline || !recipe)
      throw new Error('the image factory template has no Image Builder pipeline and recipe');
    const { Name, Version } = factory.deployment.properties(recipe) as { Name: string; Version: string };
    const arn = `arn:aws:imagebuilder:${place.region}:${place.accountId}:image/${Name.toLowerCase()}/${Version}/1`;
    const f = bake.findings;
    place.imageBuilder.register(arn, bake.imageId, 'AVAILABLE', {
      pipelineArn: factory.deployment.arnOf(pipeline),
      ...(bake.scanned
        ? { findings: { critical: f.CRITICAL, high: f.HIGH, medium: f.MEDIUM, low: f.LOW } }
        : {}),
    });
    this.note(
      IMAGE_FACTORY,
      `baked ${bake.imageId} (${arn.split(':image/')[1]}): AVAILABLE, ${
        bake.scanned ? `${f.CRITICAL} critical, ${f.HIGH} high findings` : 'not scanned'
      }`,
    );
    place.events.emit({
      source: 'aws.imagebuilder',
      'detail-type': 'EC2 Image Builder Image State Change',
      resources: [arn],
      detail: { 'previous-state': { status: 'DISTRIBUTING' }, state: { status: 'AVAILABLE' } },
    });
  }

  /** A person's answer to a promotion, given as `npm run approve` gives it. */
  private async decide(a: RunPlan['approvals'][number]): Promise<void> {
    const stack = this.stack(a.environment);
    const imageId = a.imageId ?? this.plan.bake?.imageId ?? '';
    const clients = this.clientsOf(stack);
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
            clients.dynamodb,
            stack.deployed.promotion?.table ?? stack.deployed.settings.table,
          ),
          tokens: new StepFunctionsTaskTokens(clients.sfn),
          now: this.cloud.now(),
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
      this.note(a.environment, message);
    } catch (e) {
      const message = (e as Error).message;
      this.approvals.push({
        environment: a.environment,
        atSecond: a.atSecond,
        decision: a.decision,
        accepted: false,
        message,
      });
      this.note(a.environment, `${a.by}'s ${a.decision} refused: ${message}`);
    }
  }

  // ---- the run's machinery ---------------------------------------------------------------

  /** Simulated seconds since the current leg began. */
  private seconds(): number {
    return this.cloud.t - this.legStart;
  }

  /** A clock for a leg: its seconds from the leg's start, moving the cloud as it jumps. */
  private clock(): VirtualTime {
    return new VirtualTime(
      () => this.seconds(),
      (to) => this.advanceTo(this.legStart + to),
    );
  }

  private advanceTo(to: number): void {
    if (this.ended) return;
    const target = Math.min(to, this.until);
    this.cloud.advance(target - this.cloud.t);
    if (to > this.until) {
      this.ended = true;
      for (const listener of this.endListeners.splice(0)) listener();
      this.close();
    }
  }

  /** How the environment's state machines' Lambda invocations behave. */
  private lambda(env: string): Omit<LambdaBehaviour, 'tokens'> {
    const stack = this.stack(env);
    const faults = this.faultsOf(env);
    return {
      invoke: (arn, payload) => this.functions.invoke(arn, payload),
      clients: this.clientsOf(stack),
      clock: () => this.cloud.now(),
      invoked: () => this.invocations.set(env, (this.invocations.get(env) ?? 0) + 1),
      takeLambdaError: () => (faults.errors > 0 ? (faults.errors--, true) : false),
      takeLambdaTimeout: () => (faults.timeouts > 0 ? (faults.timeouts--, true) : false),
      latency: this.plan.lambdaLatencySeconds,
    };
  }

  private faultsOf(env: string) {
    let faults = this.lambdaFaults.get(env);
    if (!faults) {
      faults = { errors: 0, timeouts: 0 };
      this.lambdaFaults.set(env, faults);
    }
    return faults;
  }

  private logOf(env: string): ExecutionLog {
    let log = this.logs.get(env);
    if (!log) {
      log = { timeline: [], transitions: 0 };
      this.logs.set(env, log);
    }
    return log;
  }

  /** The stack's own account and region's clients (its state machines' and a person's calls). */
  private clientsOf(stack: CompiledStack) {
    return this.cloud.clients(stack.placement.account, stack.placement.region);
  }

  /** Where the scenario's own events go: the image factory's bus, else the first environment's. */
  private homePlace() {
    const home = this.stacks.get(IMAGE_FACTORY) ?? [...this.stacks.values()][0];
    if (!home) throw new Error('nothing is deployed in this rehearsal');
    return this.cloud.place(home.placement.account, home.placement.region);
  }

  private label(x: Execution): string {
    if (this.plan.labels === 'train') return `${x.kind}:${x.name}`;
    if (this.legs.some((l) => l.main === x.arn)) return 'main';
    switch (x.startedBy) {
      case 'person':
        return 'second';
      case 'on-interactive-access':
        return 'access';
      case 'release-abandoned-lock':
        return 'recovery';
      default:
        return `${x.kind}:${x.name}`;
    }
  }

  /**
   * Step Functions puts each status change on its account's bus (the lock janitor's rule listens),
   * with the execution's error and cause once it has failed.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
   */
  private statusChanged(x: Execution): void {
    this.note(x.place, describeExecution(x));
    const stack = this.stack(x.place);
    this.cloud.place(stack.placement.account, stack.placement.region).events.emit({
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
        output: x.output === undefined ? null : JSON.stringify(x.output),
        error: x.error ?? null,
        cause: x.cause ?? null,
      },
    });
  }

  /** Every rule's invocation is kept; the story tells those that did something. */
  private delivered(d: Delivery): void {
    this.deliveries.push(d);
    const quiet =
      d.handler === 'release-abandoned-lock' &&
      d.outcome.ok &&
      !(d.outcome.result as { released?: boolean }).released;
    if (!quiet) this.note(d.place, describeDelivery(d), d.t);
  }

  /** Each environment's snapshots, and a line for each notification its topics send. */
  private sample(env: EnvironmentName, fleet: FleetSimulator): void {
    const samples: SimSnapshot[] = [fleet.snapshot()];
    this.samples.set(env, samples);
    let published = fleet.published.length;
    fleet.onStep((snapshot) => {
      samples.push(snapshot);
      const messages = fleet.published;
      for (const m of messages.slice(published)) {
        // The status line a person reads: what the next stage does, and when.
        const next = m.message.split('\n').find((line) => line.startsWith('Next: '));
        this.note(env, `notified: ${m.subject ?? m.message.split('\n')[0]}${next ? ` — ${next}` : ''}`);
      }
      published = messages.length;
    });
  }

  private note(place: string, text: string, t: number = this.seconds()): void {
    if (!this.ended) this.story.push({ t, place, text });
  }
}
