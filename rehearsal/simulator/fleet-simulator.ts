import { unmarshall } from './dynamodb/attribute-value';
import { AccountRegion } from './account-region';
import { awsError, type SimService } from './errors';
import { simulatedClients } from './sdk-routes';
import type { SimulatedClients } from './sdk-routes';
import { AutoScalingService } from './services/auto-scaling';
import { CloudWatchService } from './services/cloudwatch';
import { Ec2Service } from './services/ec2';
import { Elbv2Service } from './services/elbv2';
import type { BuildDetails, ImageBuildStatus } from './services/image-builder';
import type { PublishedMessage } from './services/sns';
import type { StepFunctionsApi } from './services/step-functions';
import type { AlarmKind, AlarmState, Colour, SimGroupSnapshot, SimSnapshot, SimWorldSpec } from './types';
import { World } from './world';

/**
 * One fleet in a simulated account and region: its groups with the instance refresh engine, its
 * instances and launch template, its load balancer, metrics and alarms, driven by a simulated
 * clock; the account and region's shared services (SSM, DynamoDB, SNS, EventBridge, Image
 * Builder, Step Functions) and the region's AMIs are its place's. Time moves only through
 * `advance`, event by event; nothing sleeps and nothing is random.
 */
export class FleetSimulator {
  /** The account and region it runs in. */
  readonly place: AccountRegion;
  private readonly world: World;
  readonly autoScaling: AutoScalingService;
  readonly ec2: Ec2Service;
  readonly elbv2: Elbv2Service;
  readonly cloudWatch: CloudWatchService;
  private readonly listeners: Array<(s: SimSnapshot) => void> = [];
  private readonly baselineDesired: number;
  private readonly topics: ReadonlySet<string>;

  /**
   * @param place the account and region to deploy into, with its shared services; left out, the
   *   fleet gets an account and region of its own, on its own clock and image catalog
   */
  constructor(spec: SimWorldSpec, place?: AccountRegion) {
    if (place && (place.accountId !== spec.accountId || place.region !== spec.region))
      throw new Error(
        `FleetSimulator: the spec is for ${spec.accountId} in ${spec.region}, not ${place.accountId} in ${place.region}`,
      );
    this.world = new World(spec, place?.catalog);
    this.place = place ?? new AccountRegion(spec.accountId, spec.region, this.world, this.world.catalog);
    this.place.ssm.seed(spec.parameters);
    this.place.dynamodb.createTables(spec.tables);
    for (const topic of spec.topics) this.place.sns.topics.add(topic);
    this.topics = new Set(spec.topics);
    this.autoScaling = new AutoScalingService(this.world);
    this.ec2 = new Ec2Service(this.place, this.world);
    this.elbv2 = new Elbv2Service(this.world);
    this.cloudWatch = new CloudWatchService(this.world);
    this.baselineDesired = Math.max(0, ...this.servingGroups().map((g) => g.desired));
    this.place.addFleet(this);
    this.settle();
  }

  // The account and region's services, shared with every fleet deployed there.
  get ssm() {
    return this.place.ssm;
  }
  get dynamodb() {
    return this.place.dynamodb;
  }
  get sns() {
    return this.place.sns;
  }
  get imageBuilder() {
    return this.place.imageBuilder;
  }
  /** The default event bus: what the product announced (Image Released, …). */
  get events() {
    return this.place.events;
  }
  get sfn(): StepFunctionsApi {
    return this.place.sfn;
  }
  /** Calls in this account and region per command name (without "Command"), throttled ones included. */
  get apiCalls(): Readonly<Record<string, number>> {
    return this.place.apiCalls;
  }

  /** Every message this fleet's topics received. */
  get published(): PublishedMessage[] {
    return this.place.sns.published.filter((m) => m.topicArn === undefined || this.topics.has(m.topicArn));
  }

  /** SDK clients answered by this fleet's account and region (and, for another region, by it too). */
  clients(): SimulatedClients {
    return simulatedClients(this.place.region, () => this.place);
  }

  now(): Date {
    return this.world.now();
  }

  /** Physics events processed so far; a cohort of instances finishing together counts once. */
  get physicsEvents(): number {
    return this.world.eventsProcessed;
  }

  /** Runs the physics forward `seconds`, jumping from one event to the next. */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new Error(`advance: seconds must be >= 0, got ${seconds}`);
    const world = this.world;
    const target = world.t + seconds;
    for (;;) {
      const event = world.queue.peek();
      if (!event || event.time > target) break;
      world.queue.pop();
      world.t = Math.max(world.t, event.time);
      event.run(event.ids);
      world.eventsProcessed++;
      this.settleAndNotify();
    }
    world.t = target;
  }

  /** Answer Step Functions calls with `api` until the returned function is called. */
  answerStepFunctions(api: StepFunctionsApi): () => void {
    const before = this.place.sfn;
    this.place.sfn = api;
    return () => {
      this.place.sfn = before;
    };
  }

  /**
   * The first InService instance (by id) of the group taking the most traffic: the one a
   * scenario's interactive access reaches. Undefined when no group serves.
   */
  liveInstance(): string | undefined {
    const serving = this.servingGroups().sort(
      (a, b) =>
        (this.world.weights.get(b.targetGroupArn) ?? 0) - (this.world.weights.get(a.targetGroupArn) ?? 0),
    )[0];
    return [...(serving?.live.values() ?? [])]
      .filter((i) => i.state === 'InService')
      .map((i) => i.id)
      .sort()[0];
  }

  /** An instance's lifecycle state (InService, Detached, Terminated, …); undefined if it never existed. */
  instanceState(id: string): string | undefined {
    return this.world.instances.get(id)?.state;
  }

  /** A call in this fleet's account and region (see AccountRegion.call). */
  call<T>(service: SimService, command: string, handler: () => T): T {
    return this.place.call(service, command, handler);
  }

  // ---- what this fleet owns, for the account and region's routing ------------------------

  ownsGroup(name: string): boolean {
    return this.world.groups.has(name);
  }
  ownsInstance(id: string): boolean {
    return this.world.instances.has(id);
  }
  ownsLaunchTemplate(id: string | undefined, name: string | undefined): boolean {
    const lt = this.world.launchTemplate;
    return (id !== undefined && id === lt.id) || (name !== undefined && name === lt.name);
  }
  ownsListener(arn: string): boolean {
    return this.world.spec.listener.arn === arn;
  }
  ownsTargetGroup(arn: string): boolean {
    return this.world.spec.targetGroups.some((t) => t.arn === arn);
  }
  /** A CloudWatch dimension value of its load balancer or target groups. */
  ownsMetricDimension(value: string): boolean {
    return this.world.spec.targetGroups.some((t) => t.fullName === value || t.loadBalancerFullName === value);
  }

  // ---- faults ----------------------------------------------------------------------------

  /** The next `calls` calls in this fleet's account and region are throttled. */
  throttleNext(calls: number): void {
    this.place.throttleNext(calls);
  }

  failNextLaunches(count: number): void {
    if (!(Number.isInteger(count) && count >= 0))
      throw new Error(`failNextLaunches: count must be an integer >= 0, got ${count}`);
    this.world.launchFailuresToInject += count;
  }

  /** Forgets injected throttles and launch failures not yet consumed: a run's faults end with it. */
  clearPendingFaults(): void {
    this.place.clearPendingThrottles();
    this.world.launchFailuresToInject = 0;
  }

  /** Every alarm of `kind` (both colours, and so their composites) is in ALARM in that window. */
  forceAlarm(kind: AlarmKind, fromSecond: number, durationSeconds?: number): void {
    if (!(fromSecond >= 0)) throw new Error(`forceAlarm: fromSecond must be >= 0, got ${fromSecond}`);
    if (durationSeconds !== undefined && !(durationSeconds > 0))
      throw new Error(`forceAlarm: durationSeconds must be > 0, got ${durationSeconds}`);
    this.world.traffic.force(kind, fromSecond, durationSeconds);
    this.settle();
  }

  /**
   * From `fromSecond` on the world's clock, the image answers with this 5xx rate and p99 latency
   * (a regression that shows only under production traffic): requests served before keep what
   * they were answered with, and alarms see the change as CloudWatch would, minute by minute.
   */
  regressImage(
    imageId: string,
    fromSecond: number,
    behaviour: { readonly errorRate?: number; readonly p99LatencyMs?: number },
  ): void {
    if (!this.world.behaviour.has(imageId))
      throw new Error(`regressImage: ${imageId} is not an image of this account`);
    if (!(fromSecond >= 0)) throw new Error(`regressImage: fromSecond must be >= 0, got ${fromSecond}`);
    const { errorRate, p99LatencyMs } = behaviour;
    if (errorRate !== undefined && !(errorRate >= 0 && errorRate <= 1))
      throw new Error(`regressImage: errorRate must be within 0..1, got ${errorRate}`);
    if (p99LatencyMs !== undefined && !(p99LatencyMs >= 0))
      throw new Error(`regressImage: p99LatencyMs must be >= 0, got ${p99LatencyMs}`);
    const apply = () => {
      const image = this.world.behaviour.get(imageId);
      if (!image) return;
      this.world.behaviour.set(imageId, {
        ...image,
        ...(errorRate === undefined ? {} : { errorRate }),
        ...(p99LatencyMs === undefined ? {} : { p99LatencyMs }),
      });
      this.settle();
    };
    if (fromSecond <= this.world.t) {
      apply();
      this.notify();
    } else this.world.queue.schedule(fromSecond, 'image-regression', apply);
  }

  /**
   * The image is deregistered, in the whole region: DescribeImages no longer finds it and
   * launches from it fail; instances already running it keep running.
   */
  deregisterImage(imageId: string): void {
    const image = this.world.catalog.get(imageId);
    if (!image) throw new Error(`deregisterImage: ${imageId} is not an image of this region`);
    image.exists = false;
  }

  registerImageBuildVersion(
    arn: string,
    amiId: string,
    status: ImageBuildStatus,
    details: BuildDetails = {},
  ): void {
    this.place.imageBuilder.register(arn, amiId, status, details);
  }

  /** Calls `listener` with a snapshot after every step; returns the function that stops it. */
  onStep(listener: (s: SimSnapshot) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  item(table: string, key: Record<string, string>): Record<string, unknown> | undefined {
    const raw = this.place.dynamodb.rawItem(table, key);
    return raw ? unmarshall(raw) : undefined;
  }

  /** The parameter's current value, if it exists. */
  parameter(name: string): { value: string } | undefined {
    const versions = this.place.ssm.parameters.get(name);
    const latest = versions?.[versions.length - 1];
    return latest ? { value: latest.value } : undefined;
  }

  snapshot(): SimSnapshot {
    const world = this.world;
    const flows = world.traffic.currentFlows();
    const totalWeight = [...world.weights.values()].reduce((a, b) => a + b, 0);
    const weights: Record<Colour, number> = { blue: 0, green: 0 };
    const groups = {} as Record<Colour, SimGroupSnapshot>;
    const instancesByImage: Record<string, number> = {};
    for (const group of world.groups.values()) {
      const weight = world.weights.get(group.targetGroupArn) ?? 0;
      weights[group.colour] = totalWeight > 0 ? (100 * weight) / totalWeight : 0;
      const imageIds = Object.fromEntries(group.inServiceByImage);
      for (const [image, count] of group.inServiceByImage)
        instancesByImage[image] = (instancesByImage[image] ?? 0) + count;
      groups[group.colour] = {
        desired: group.desired,
        min: group.min,
        max: group.max,
        inService: group.inService,
        healthy: group.healthy,
        pending: group.pending,
        launchTemplateVersion: group.launchTemplateVersion,
        imageIds,
      };
    }
    const empty: SimGroupSnapshot = {
      desired: 0,
      min: 0,
      max: 0,
      inService: 0,
      healthy: 0,
      pending: 0,
      launchTemplateVersion: '',
      imageIds: {},
    };
    for (const colour of ['blue', 'green'] as const) groups[colour] ??= empty;
    const trafficByImage: Record<string, number> = {};
    const rps = world.spec.requestsPerSecond;
    if (rps > 0)
      for (const flow of flows.values())
        for (const [image, rate] of flow.byImage)
          trafficByImage[image] = (trafficByImage[image] ?? 0) + (100 * rate) / rps;
    const serving = this.servingGroups();
    const alarms: Record<string, AlarmState> = {};
    for (const [name, alarm] of world.traffic.alarms) alarms[name] = alarm.state;
    for (const [name, composite] of world.traffic.composites) alarms[name] = composite.state;
    const latest = world.refreshes.all[world.refreshes.all.length - 1];
    return {
      t: world.t,
      weights,
      trafficByImage,
      instancesByImage,
      groups,
      healthyServing: serving.reduce((sum, g) => sum + g.healthy, 0),
      servingDesired: Math.max(this.baselineDesired, ...serving.map((g) => g.desired)),
      alarms,
      ...(latest
        ? {
            refresh: {
              group: latest.group.name,
              status: latest.status,
              percentageComplete: latest.percentageComplete,
            },
          }
        : {}),
      instancesReplaced: world.instancesReplaced,
    };
  }

  /** Brings refreshes and capacity to rest now, then tells the step listeners (after a change). */
  settleAndNotify(): void {
    this.settle();
    this.notify();
  }

  /** Brings refreshes and group capacity to rest at the current time, then records the traffic. */
  private settle(): void {
    const world = this.world;
    for (let i = 0; i < 20; i++) {
      const refreshed = world.refreshes.step();
      const reconciled = world.reconcile();
      if (!refreshed && !reconciled) break;
    }
    world.traffic.observe();
  }

  private servingGroups() {
    return [...this.world.groups.values()].filter((g) => (this.world.weights.get(g.targetGroupArn) ?? 0) > 0);
  }

  private notify(): void {
    if (this.listeners.length === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}

export { awsError };
