import { EventQueue } from './event-queue';
import { RefreshEngine } from './refresh-engine';
import { Traffic } from './traffic';
import type { Group, ImageBehaviour, Instance, LaunchTemplateRecord } from './account-records';
import { ImageCatalog } from './image-catalog';
import type { SimGroupSpec, SimImage, SimWorldSpec } from './types';

/**
 * How long a deregistered target drains before its instance is terminated, unless its target
 * group says: the ELB target group's default deregistration delay.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
 */
export const DEREGISTRATION_DELAY_SECONDS = 300;

/**
 * An HTTP target group's health checks, unless it says: every 30 s, 5 passes to healthy, 2
 * failures to unhealthy.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export const DEFAULT_HEALTH_CHECK = {
  intervalSeconds: 30,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
};

/**
 * After a failed launch the group waits before it tries again, doubling the wait on each
 * consecutive failure up to a ceiling. AWS documents that a group keeps retrying failed launches
 * but not its exact back-off; these numbers are the simulator's stand-in.
 */
export const LAUNCH_RETRY_FIRST_SECONDS = 10;
export const LAUNCH_RETRY_MAX_SECONDS = 300;

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

/** The state of the simulated account and the physics that move it forward in time. */
export class World {
  t = 0;
  readonly queue = new EventQueue();
  /** Physics events processed so far (a cohort of instances finishing together is one event). */
  eventsProcessed = 0;
  /** How each image's instances behave in this fleet. */
  readonly behaviour = new Map<string, ImageBehaviour>();
  readonly launchTemplate: LaunchTemplateRecord;
  readonly groups = new Map<string, Group>();
  readonly groupsByTargetGroup = new Map<string, Group>();
  /** Every instance ever launched, terminated ones included (as DescribeInstances shows them). */
  readonly instances = new Map<string, Instance>();
  readonly weights = new Map<string, number>();
  readonly refreshes: RefreshEngine;
  readonly traffic: Traffic;
  instancesReplaced = 0;
  launchFailuresToInject = 0;
  private instanceCounter = 0;

  /**
   * @param catalog the region's images, shared by every fleet there (a world of its own when left out)
   */
  constructor(
    readonly spec: SimWorldSpec,
    readonly catalog: ImageCatalog = new ImageCatalog(),
  ) {
    validateSpec(spec);
    spec.images.forEach((image, index) => {
      catalog.add(catalogImage(spec, image, index));
      this.behaviour.set(image.imageId, {
        healthy: image.healthy,
        errorRate: image.errorRate,
        p99LatencyMs: image.p99LatencyMs,
      });
    });
    const imageIds = [spec.launchTemplate.defaultImageId, ...(spec.launchTemplate.laterImageIds ?? [])];
    this.launchTemplate = {
      id: spec.launchTemplate.id,
      name: spec.launchTemplate.name,
      defaultVersion: 1,
      latestVersion: imageIds.length,
      versions: new Map(
        imageIds.map((imageId, i) => [
          i + 1,
          { number: i + 1, data: { ImageId: imageId }, createdAt: this.dateAt(-86400) },
        ]),
      ),
      createdAt: this.dateAt(-86400),
    };
    for (const [arn, weight] of Object.entries(spec.listener.weights)) this.weights.set(arn, weight);
    for (const target of spec.targetGroups)
      if (!this.weights.has(target.arn)) this.weights.set(target.arn, 0);
    for (const groupSpec of spec.groups) this.addGroup(groupSpec);
    this.refreshes = new RefreshEngine(this);
    this.traffic = new Traffic(this);
  }

  /**
   * How the image's instances behave here: as the scenario says, or, for an image it does not
   * list (one baked while the run goes), like a healthy release.
   */
  behaviourOf(imageId: string): ImageBehaviour {
    return this.behaviour.get(imageId) ?? { healthy: true, errorRate: 0.001, p99LatencyMs: 120 };
  }

  /** Simulated wall-clock time of `t` seconds since the start. */
  dateAt(t: number): Date {
    return new Date(this.spec.startTime.getTime() + t * 1000);
  }

  now(): Date {
    return this.dateAt(this.t);
  }

  /** Resolves `$Latest`, `$Default` or a number to an existing version number, or undefined. */
  resolveVersion(version: string | undefined): number | undefined {
    const lt = this.launchTemplate;
    if (version === undefined || version === '$Default') return lt.defaultVersion;
    if (version === '$Latest') return lt.latestVersion;
    if (!/^[1-9]\d*$/.test(version)) return undefined;
    const n = Number(version);
    return lt.versions.has(n) ? n : undefined;
  }

  groupByName(name: string): Group | undefined {
    return this.groups.get(name);
  }

  /** How long a target of the group drains once deregistered (its target group's delay). */
  drainSecondsOf(group: Group): number {
    return this.targetGroupOf(group)?.deregistrationDelaySeconds ?? DEREGISTRATION_DELAY_SECONDS;
  }

  /** How long a failing target of the group stays `initial` before it is counted `unhealthy`. */
  failingChecksSecondsOf(group: Group): number {
    const hc = this.targetGroupOf(group)?.healthCheck ?? DEFAULT_HEALTH_CHECK;
    return hc.intervalSeconds * hc.unhealthyThresholdCount;
  }

  private targetGroupOf(group: Group) {
    return this.spec.targetGroups.find((t) => t.arn === group.targetGroupArn);
  }

  /** The effective instance warmup of a group: DefaultInstanceWarmup if set, else the grace period. */
  warmupOf(group: Group): number {
    return group.defaultInstanceWarmup > 0 ? group.defaultInstanceWarmup : group.healthCheckGracePeriod;
  }

  // ---- physics -------------------------------------------------------------------------------

  /** Brings every group to its capacity; returns whether anything was launched or terminated. */
  reconcile(): boolean {
    let changed = false;
    for (const group of this.groups.values()) {
      const target = group.desired + group.surge;
      const live = group.live.size;
      if (live < target && this.t >= group.launchRetryAt) {
        this.launch(group, target - live);
        changed = true;
      } else if (live > target) {
        for (const victim of this.scaleInVictims(group, live - target)) this.terminate(victim);
        changed = true;
      }
    }
    return changed;
  }

  /** Terminates an instance: it leaves the group's capacity now and drains from its target group. */
  terminate(instance: Instance): void {
    const group = instance.group;
    if (!group.live.delete(instance.id)) return;
    this.leaveState(instance);
    if (instance.state === 'InService') this.instancesReplaced++;
    instance.state = 'Terminating';
    group.draining.set(instance.id, instance);
    this.queue.schedule(
      this.t + this.drainSecondsOf(group),
      'drain-end',
      (ids) => this.finishDraining(group, ids),
      group.name,
      instance.id,
    );
  }

  /**
   * Detaches an InService instance from its group: it leaves the group's capacity now, drains
   * from the target group, then runs on its own (Detached) until something terminates it.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/detach-instance-asg.html
   */
  detach(instance: Instance): void {
    const group = instance.group;
    if (!group.live.delete(instance.id)) return;
    this.leaveState(instance);
    instance.state = 'Detaching';
    group.draining.set(instance.id, instance);
    this.queue.schedule(
      this.t + DEREGISTRATION_DELAY_SECONDS,
      'drain-end',
      (ids) => this.finishDraining(group, ids),
      group.name,
      instance.id,
    );
  }

  /** Terminates an instance outside any group's capacity (Detaching or Detached): it just stops. */
  terminateDetached(instance: Instance): void {
    instance.group.draining.delete(instance.id);
    if (instance.state === 'Detaching' || instance.state === 'Detached') this.instancesReplaced++;
    instance.state = 'Terminated';
  }

  private launch(group: Group, count: number): void {
    const phase = this.refreshes.launchPhase(group);
    const versionNumber = phase?.version ?? this.resolveVersion(group.launchTemplateVersion);
    const data =
      versionNumber === undefined ? undefined : this.launchTemplate.versions.get(versionNumber)?.data;
    const imageId = typeof data?.ImageId === 'string' ? data.ImageId : undefined;
    let failed = false;
    for (let i = 0; i < count; i++) {
      const image = imageId === undefined ? undefined : this.catalog.get(imageId);
      let launchError: string | undefined;
      if (imageId === undefined) launchError = 'The launch template version has no ImageId.';
      else if (!image?.exists || !this.catalog.launchableBy(image, this.spec.accountId))
        launchError = `The image id '[${imageId}]' does not exist (InvalidAMIID.NotFound).`;
      else if (this.launchFailuresToInject > 0) {
        this.launchFailuresToInject--;
        launchError = 'Client.InternalError: Client error on launch.';
      }
      const instance: Instance = {
        id: this.nextInstanceId(),
        group,
        imageId: imageId ?? 'unknown',
        launchTemplateVersion: String(versionNumber ?? group.launchTemplateVersion),
        availabilityZone: this.zone(this.instanceCounter),
        launchedAt: this.t,
        state: launchError ? 'Terminated' : 'Pending',
        targetHealthy: false,
        healthStatus: 'Healthy',
        ...(phase ? { refreshTag: phase.tag } : {}),
        ...(launchError ? { launchError } : {}),
      };
      this.instances.set(instance.id, instance);
      if (launchError) {
        failed = true;
        continue;
      }
      group.live.set(instance.id, instance);
      group.pending++;
      this.queue.schedule(
        this.t + this.spec.launchSeconds,
        'launch-complete',
        (ids) => this.completeLaunches(group, ids),
        group.name,
        instance.id,
      );
    }
    if (failed) {
      group.consecutiveLaunchFailures++;
      const wait = Math.min(
        LAUNCH_RETRY_MAX_SECONDS,
        LAUNCH_RETRY_FIRST_SECONDS * 2 ** (group.consecutiveLaunchFailures - 1),
      );
      group.launchRetryAt = this.t + wait;
      this.queue.schedule(group.launchRetryAt, 'launch-retry', () => undefined, group.name);
    } else {
      group.consecutiveLaunchFailures = 0;
    }
  }

  private completeLaunches(group: Group, ids: readonly string[]): void {
    for (const id of ids) {
      const instance = group.live.get(id);
      if (!instance || instance.state !== 'Pending') continue;
      group.pending--;
      instance.state = 'InService';
      instance.inServiceAt = this.t;
      instance.targetHealthy = this.behaviourOf(instance.imageId).healthy;
      instance.targetInitial = !instance.targetHealthy;
      this.enterInService(instance);
      if (!instance.targetHealthy) this.failHealthChecks(group, id, this.t);
      this.refreshes.onInService(instance);
    }
  }

  /**
   * A target that fails its health checks is `initial` until it has failed the unhealthy
   * threshold's checks, then `unhealthy`; the group replaces the instance once that is seen and
   * its grace period is over.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
   */
  private failHealthChecks(group: Group, id: string, inServiceAt: number): void {
    const unhealthyAt = inServiceAt + this.failingChecksSecondsOf(group);
    this.queue.schedule(
      Math.max(this.t, unhealthyAt),
      'health-check-failed',
      (cohort) => this.markUnhealthy(group, cohort),
      group.name,
      id,
    );
    this.queue.schedule(
      Math.max(this.t, inServiceAt + group.healthCheckGracePeriod, unhealthyAt),
      'health-replace',
      (cohort) => this.replaceUnhealthy(group, cohort),
      group.name,
      id,
    );
  }

  private markUnhealthy(group: Group, ids: readonly string[]): void {
    for (const id of ids) {
      const instance = group.live.get(id);
      if (!instance || instance.state !== 'InService' || !instance.targetInitial) continue;
      instance.targetInitial = false;
      group.initial--;
    }
  }

  private replaceUnhealthy(group: Group, ids: readonly string[]): void {
    for (const id of ids) {
      const instance = group.live.get(id);
      if (!instance || instance.state !== 'InService' || instance.targetHealthy) continue;
      instance.healthStatus = 'Unhealthy';
      this.terminate(instance);
    }
  }

  private finishDraining(group: Group, ids: readonly string[]): void {
    for (const id of ids) {
      const instance = group.draining.get(id);
      if (!instance) continue;
      group.draining.delete(id);
      instance.state = instance.state === 'Detaching' ? 'Detached' : 'Terminated';
    }
  }

  /**
   * Scale-in order, after the default termination policy: instances of an older launch template
   * version than the group's first (oldest version number first), then the oldest instances.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-termination-policies.html
   */
  private scaleInVictims(group: Group, count: number): Instance[] {
    const current = String(this.resolveVersion(group.launchTemplateVersion) ?? '');
    return [...group.live.values()]
      .sort((a, b) => {
        const aOld = a.launchTemplateVersion !== current ? 0 : 1;
        const bOld = b.launchTemplateVersion !== current ? 0 : 1;
        if (aOld !== bOld) return aOld - bOld;
        if (aOld === 0 && a.launchTemplateVersion !== b.launchTemplateVersion)
          return Number(a.launchTemplateVersion) - Number(b.launchTemplateVersion);
        if (a.launchedAt !== b.launchedAt) return a.launchedAt - b.launchedAt;
        return a.id < b.id ? -1 : 1;
      })
      .slice(0, count);
  }

  private enterInService(instance: Instance): void {
    const group = instance.group;
    group.inService++;
    if (instance.targetInitial) group.initial++;
    bump(group.inServiceByImage, instance.imageId, 1);
    if (instance.targetHealthy) {
      group.healthy++;
      bump(group.healthyByImage, instance.imageId, 1);
    }
  }

  private leaveState(instance: Instance): void {
    const group = instance.group;
    if (instance.state === 'Pending') {
      group.pending--;
      return;
    }
    if (instance.state !== 'InService') return;
    group.inService--;
    if (instance.targetInitial) group.initial--;
    bump(group.inServiceByImage, instance.imageId, -1);
    if (instance.targetHealthy) {
      group.healthy--;
      bump(group.healthyByImage, instance.imageId, -1);
    }
  }

  private addGroup(spec: SimGroupSpec): void {
    const group: Group = {
      name: spec.name,
      colour: spec.colour,
      targetGroupArn: spec.targetGroupArn,
      min: spec.minSize,
      max: spec.maxSize,
      desired: spec.desired,
      launchTemplateVersion: spec.launchTemplateVersion,
      healthCheckGracePeriod: spec.healthCheckGracePeriod,
      defaultInstanceWarmup: spec.defaultInstanceWarmup,
      live: new Map(),
      draining: new Map(),
      surge: 0,
      launchRetryAt: 0,
      consecutiveLaunchFailures: 0,
      createdAt: this.dateAt(-spec.instanceAgeDays * 86400 - 3600),
      pending: 0,
      inServiceByImage: new Map(),
      healthyByImage: new Map(),
      inService: 0,
      initial: 0,
      healthy: 0,
    };
    this.groups.set(group.name, group);
    this.groupsByTargetGroup.set(group.targetGroupArn, group);
    const version = String(this.resolveVersion(spec.launchTemplateVersion) ?? spec.launchTemplateVersion);
    const launchedAt = -spec.instanceAgeDays * 86400;
    const image = this.behaviour.get(spec.instanceImageId);
    for (let i = 0; i < spec.desired; i++) {
      const instance: Instance = {
        id: this.nextInstanceId(),
        group,
        imageId: spec.instanceImageId,
        launchTemplateVersion: version,
        availabilityZone: this.zone(this.instanceCounter),
        launchedAt,
        state: 'InService',
        inServiceAt: launchedAt,
        targetHealthy: image?.healthy ?? false,
        targetInitial: !(image?.healthy ?? false),
        healthStatus: 'Healthy',
      };
      this.instances.set(instance.id, instance);
      group.live.set(instance.id, instance);
      this.enterInService(instance);
      if (!instance.targetHealthy) this.failHealthChecks(group, instance.id, launchedAt);
    }
  }

  private nextInstanceId(): string {
    this.instanceCounter++;
    return `i-0${this.instanceCounter.toString(16).padStart(16, '0')}`;
  }

  private zone(n: number): string {
    return `${this.spec.region}${'abc'[n % 3] as string}`;
  }
}

/** An image of the spec as EC2 knows it: its owner, its tags, whether it is there, whether others may launch it. */
function catalogImage(spec: SimWorldSpec, image: SimImage, index: number) {
  // Later images in the list are newer, one day apart, all baked before the run starts.
  const creationDate = new Date(spec.startTime.getTime() - (spec.images.length - index) * 86400 * 1000);
  const ownerId = image.ownerId ?? spec.accountId;
  return {
    imageId: image.imageId,
    name: image.tags?.Name ?? `image-${image.imageId}`,
    creationDate,
    ownerId,
    exists: image.exists ?? true,
    // Another account's image the spec lists is one this account may launch: public.
    public: image.public ?? ownerId !== spec.accountId,
    ...(image.tags ? { tags: image.tags } : {}),
  };
}

/** Fails fast, naming the field, when a world could not exist in AWS. */
function validateSpec(spec: SimWorldSpec): void {
  const fail = (message: string): never => {
    throw new Error(`SimWorldSpec: ${message}`);
  };
  if (Number.isNaN(spec.startTime.getTime())) fail('startTime must be a valid date');
  if (!(spec.requestsPerSecond >= 0)) fail(`requestsPerSecond must be >= 0, got ${spec.requestsPerSecond}`);
  if (!(spec.launchSeconds >= 0)) fail(`launchSeconds must be >= 0, got ${spec.launchSeconds}`);
  const images = new Set(spec.images.map((i) => i.imageId));
  for (const image of spec.images) {
    if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(image.imageId))
      fail(`images: malformed AMI id ${image.imageId}`);
    if (!(image.errorRate >= 0 && image.errorRate <= 1))
      fail(`images.${image.imageId}.errorRate must be 0-1, got ${image.errorRate}`);
    if (image.ownerId !== undefined && !/^\d{12}$/.test(image.ownerId))
      fail(`images.${image.imageId}.ownerId must be a 12-digit account id, got ${image.ownerId}`);
  }
  const targetGroups = new Set(spec.targetGroups.map((t) => t.arn));
  const colours = new Set<string>();
  for (const [i, group] of spec.groups.entries()) {
    if (colours.has(group.colour)) fail(`groups[${i}].colour ${group.colour} is used twice`);
    colours.add(group.colour);
    if (!(group.minSize <= group.desired && group.desired <= group.maxSize))
      fail(`groups[${i}].desired must be within minSize..maxSize, got ${group.desired}`);
    if (!targetGroups.has(group.targetGroupArn))
      fail(`groups[${i}].targetGroupArn is not in targetGroups, got ${group.targetGroupArn}`);
    if (group.desired > 0 && !images.has(group.instanceImageId))
      fail(`groups[${i}].instanceImageId is not in images, got ${group.instanceImageId}`);
  }
  for (const arn of Object.keys(spec.listener.weights)) {
    if (!targetGroups.has(arn)) fail(`listener.weights names an unknown target group, got ${arn}`);
    const weight = spec.listener.weights[arn] as number;
    if (!(Number.isInteger(weight) && weight >= 0 && weight <= 999))
      fail(`listener.weights must be integers 0-999, got ${weight}`);
  }
  const alarms = new Set(spec.alarms.map((a) => a.name));
  for (const alarm of spec.alarms) {
    if (!targetGroups.has(alarm.targetGroupArn))
      fail(`alarms.${alarm.name}.targetGroupArn is not in targetGroups, got ${alarm.targetGroupArn}`);
    if (!(alarm.periodSeconds >= 60 && alarm.periodSeconds % 60 === 0))
      fail(`alarms.${alarm.name}.periodSeconds must be a multiple of 60, got ${alarm.periodSeconds}`);
    if (!(alarm.datapointsToAlarm >= 1 && alarm.datapointsToAlarm <= alarm.evaluationPeriods))
      fail(
        `alarms.${alarm.name}.datapointsToAlarm must be 1..evaluationPeriods, got ${alarm.datapointsToAlarm}`,
      );
  }
  for (const composite of spec.compositeAlarms) {
    for (const child of composite.children)
      if (!alarms.has(child)) fail(`compositeAlarms.${composite.name} names an unknown alarm, got ${child}`);
  }
}
