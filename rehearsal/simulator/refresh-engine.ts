import type { Group, Instance } from './account-records';
import type { EventQueue } from './event-queue';
import type { AlarmState } from './types';

/**
 * A refresh that cannot make progress for this long fails.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
 */
export const NO_PROGRESS_TIMEOUT_SECONDS = 3600;

export type RefreshStatus =
  | 'Pending'
  | 'InProgress'
  | 'Baking'
  | 'Successful'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled'
  | 'RollbackInProgress'
  | 'RollbackSuccessful'
  | 'RollbackFailed';

const ACTIVE: ReadonlySet<RefreshStatus> = new Set([
  'Pending',
  'InProgress',
  'Baking',
  'Cancelling',
  'RollbackInProgress',
]);

/** Preferences after defaults, as the refresh applies them. */
export interface RefreshSettings {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmup: number;
  readonly checkpointPercentages: readonly number[];
  readonly checkpointDelay: number;
  readonly skipMatching: boolean;
  readonly autoRollback: boolean;
  readonly alarms: readonly string[];
  readonly bakeTime: number;
}

export interface RefreshRecord {
  readonly id: string;
  readonly group: Group;
  status: RefreshStatus;
  statusReason?: string;
  readonly startTime: number;
  endTime?: number;
  readonly settings: RefreshSettings;
  /** The Preferences and DesiredConfiguration as given, echoed by DescribeInstanceRefreshes. */
  readonly preferences: Record<string, unknown>;
  readonly desiredConfiguration?: { launchTemplateId: string; launchTemplateName: string; version: string };
  /** The group's launch template version when the refresh started: what a rollback returns to. */
  readonly previousVersion: string;
  phase: 'forward' | 'rollback';
  phaseTag: string;
  /** The concrete version this phase launches. */
  targetVersion: number;
  total: number;
  updated: number;
  percentageComplete: number;
  batch?: { deferred: Instance[] };
  pausedUntil?: number;
  nextCheckpoint: number;
  bakeUntil?: number;
  lastProgressAt: number;
  timeoutToken: number;
  /** A cancellation that lets launches in flight finish first (the API's default). */
  waitForLaunches?: boolean;
  rollbackDetails?: Record<string, unknown>;
}

/**
 * What a refresh needs of the world: its clock and event queue, the launch template's versions
 * (what a phase launches), terminations, and the state of the alarms that stop it.
 */
export interface RefreshWorld {
  readonly t: number;
  now(): Date;
  readonly queue: Pick<EventQueue, 'schedule'>;
  readonly launchTemplate: { readonly defaultVersion: number };
  /** Resolves `$Latest`, `$Default` or a number to an existing version number, or undefined. */
  resolveVersion(version: string | undefined): number | undefined;
  terminate(instance: Instance): void;
  readonly traffic: { alarmState(name: string): AlarmState | undefined };
}

/**
 * Instance refresh, after the documented behaviour: rolling replacement in batches bounded by
 * the minimum and maximum healthy percentages; a replacement counts once InService, healthy and
 * warmed up; checkpoints pause; alarms fail the refresh (and roll it back with AutoRollback);
 * bake time; no progress for an hour fails it.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export class RefreshEngine {
  /** Every refresh, oldest first. */
  readonly all: RefreshRecord[] = [];
  private counter = 0;

  constructor(private readonly world: RefreshWorld) {}

  isActive(record: RefreshRecord): boolean {
    return ACTIVE.has(record.status);
  }

  active(group: Group): RefreshRecord | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const record = this.all[i] as RefreshRecord;
      if (record.group === group && this.isActive(record)) return record;
    }
    return undefined;
  }

  /** The version and tag a launch in this group uses while a refresh drives it. */
  launchPhase(group: Group): { version: number; tag: string } | undefined {
    const record = this.active(group);
    if (!record || record.status === 'Cancelling') return undefined;
    return { version: record.targetVersion, tag: record.phaseTag };
  }

  start(input: {
    group: Group;
    settings: RefreshSettings;
    preferences: Record<string, unknown>;
    desiredConfiguration?: RefreshRecord['desiredConfiguration'];
  }): RefreshRecord {
    const { group, settings } = input;
    this.counter++;
    const id = `${this.counter.toString(16).padStart(8, '0')}-5151-4e1d-9a2b-${group.name.length.toString(16).padStart(12, '0')}`;
    const targetVersion =
      this.world.resolveVersion(input.desiredConfiguration?.version ?? group.launchTemplateVersion) ??
      this.world.launchTemplate.defaultVersion;
    const record: RefreshRecord = {
      id,
      group,
      status: 'Pending',
      startTime: this.world.t,
      settings,
      preferences: input.preferences,
      ...(input.desiredConfiguration ? { desiredConfiguration: input.desiredConfiguration } : {}),
      previousVersion: group.launchTemplateVersion,
      phase: 'forward',
      phaseTag: `${id}/forward`,
      targetVersion,
      total: 0,
      updated: 0,
      percentageComplete: 0,
      nextCheckpoint: 0,
      lastProgressAt: this.world.t,
      timeoutToken: 0,
    };
    record.total = this.needingReplacement(record).length;
    this.all.push(record);
    this.armTimeout(record);
    return record;
  }

  /**
   * Cancels: by default the refresh stays Cancelling until the launches in flight are in
   * service, so the batch's extra capacity is only given up once nothing of it is still coming.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html (WaitForTransitioningInstances)
   */
  cancel(record: RefreshRecord, waitForLaunches = true): void {
    record.status = 'Cancelling';
    record.statusReason = 'Cancellation requested.';
    record.waitForLaunches = waitForLaunches;
  }

  /**
   * Starts rolling back: replaces what the refresh replaced with the previous configuration,
   * within the same minimum healthy percentage. The batch in flight loses its extra capacity
   * first where it costs nothing: replacements still launching go before any instance in service.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
   */
  rollback(record: RefreshRecord, reason: string): void {
    this.dropSurge(record);
    record.rollbackDetails = {
      RollbackReason: reason,
      RollbackStartTime: this.world.now(),
      PercentageCompleteOnRollback: record.percentageComplete,
      InstancesToUpdateOnRollback: record.total - record.updated,
    };
    record.phase = 'rollback';
    record.phaseTag = `${record.id}/rollback`;
    record.targetVersion =
      this.world.resolveVersion(record.previousVersion) ?? this.world.launchTemplate.defaultVersion;
    record.status = 'RollbackInProgress';
    record.statusReason = reason;
    record.batch = undefined;
    record.pausedUntil = undefined;
    record.bakeUntil = undefined;
    record.group.surge = 0;
    record.updated = 0;
    record.percentageComplete = 0;
    record.total = this.needingReplacement(record).length;
    this.progress(record);
  }

  /** Ends the batch's extra capacity: terminates the surplus, launching replacements first, then the newest. */
  private dropSurge(record: RefreshRecord): void {
    const group = record.group;
    const surplus = group.live.size - group.desired;
    group.surge = 0;
    if (surplus <= 0) return;
    const victims = [...group.live.values()]
      .filter((i) => i.refreshTag === record.phaseTag)
      .sort(
        (a, b) =>
          Number(a.state === 'InService') - Number(b.state === 'InService') ||
          b.launchedAt - a.launchedAt ||
          (a.id < b.id ? 1 : -1),
      )
      .slice(0, surplus);
    for (const instance of victims) this.world.terminate(instance);
  }

  /** Schedules a wake-up when a refresh's new instance finishes warming up. */
  onInService(instance: Instance): void {
    const record = this.active(instance.group);
    if (!record || instance.refreshTag !== record.phaseTag) return;
    const warmEnd = this.world.t + record.settings.instanceWarmup;
    if (warmEnd > this.world.t) this.world.queue.schedule(warmEnd, 'warmup-end', () => undefined, record.id);
  }

  /** Moves every active refresh as far as it can at the current time; true if anything changed. */
  step(): boolean {
    let changed = false;
    for (const record of this.all) if (this.isActive(record) && this.stepOne(record)) changed = true;
    return changed;
  }

  private stepOne(record: RefreshRecord): boolean {
    const world = this.world;
    switch (record.status) {
      case 'Pending':
        record.status = 'InProgress';
        record.statusReason = undefined;
        this.stepOne(record);
        return true;
      case 'Cancelling':
        if (record.waitForLaunches && record.group.pending > 0) return false;
        record.status = 'Cancelled';
        record.statusReason = 'The instance refresh was cancelled.';
        record.endTime = world.t;
        record.group.surge = 0;
        return true;
      case 'Baking': {
        const alarm = this.alarmInAlarm(record);
        if (alarm) return this.fail(record, `Alarm ${alarm} is in ALARM state while baking.`);
        if (record.bakeUntil !== undefined && world.t >= record.bakeUntil) return this.succeed(record);
        return false;
      }
      case 'InProgress':
      case 'RollbackInProgress':
        return this.replace(record);
      default:
        return false;
    }
  }

  private replace(record: RefreshRecord): boolean {
    const world = this.world;
    const group = record.group;
    if (record.phase === 'forward') {
      const alarm = this.alarmInAlarm(record);
      if (alarm) return this.fail(record, `Alarm ${alarm} is in ALARM state.`);
    }
    let changed = false;
    if (record.pausedUntil !== undefined) {
      if (world.t < record.pausedUntil) return false;
      record.pausedUntil = undefined;
      record.statusReason = undefined;
      this.progress(record);
      changed = true;
    }

    const { ready, settling } = this.newInstances(record);
    const updated = Math.min(record.total, ready);
    if (updated > record.updated) {
      record.updated = updated;
      this.progress(record);
      changed = true;
    }
    record.percentageComplete = record.total === 0 ? 100 : Math.floor((100 * record.updated) / record.total);

    const quiet = settling === 0 && group.pending === 0 && group.live.size === group.desired + group.surge;
    if (record.batch) {
      if (!quiet) return changed;
      // The batch is in service and warm: retire the old instances kept while the surge launched.
      const { deferred } = record.batch;
      record.batch = undefined;
      for (const instance of deferred) if (group.live.has(instance.id)) world.terminate(instance);
      group.surge = Math.max(0, group.surge - deferred.length);
      changed = true;
    }

    const old = this.needingReplacement(record);
    if (old.length === 0) {
      if (!quiet) return changed;
      return this.complete(record) || changed;
    }

    const checkpoints = record.phase === 'forward' ? record.settings.checkpointPercentages : [];
    let reached: number | undefined;
    while (record.nextCheckpoint < checkpoints.length) {
      const checkpoint = checkpoints[record.nextCheckpoint] as number;
      if (record.percentageComplete < checkpoint) break;
      reached = checkpoint;
      record.nextCheckpoint++;
    }
    if (reached !== undefined && reached < 100) {
      if (record.nextCheckpoint >= checkpoints.length) {
        // The last checkpoint is below 100: the refresh stops there, a partial refresh.
        return this.complete(record) || changed;
      }
      record.pausedUntil = world.t + record.settings.checkpointDelay;
      record.statusReason = `Waiting for checkpoint delay after reaching ${reached}% of instances replaced.`;
      world.queue.schedule(record.pausedUntil, 'checkpoint-end', () => undefined, record.id);
      return true;
    }

    if (!quiet) return changed;
    this.startBatch(record, old);
    return true;
  }

  /**
   * One batch: with MaxHealthyPercentage 100 it terminates down to MinHealthyPercentage (at least
   * one instance) and the group launches replacements; above 100 it first launches up to the
   * maximum and retires as many old instances once they are ready. Checkpoints cap the batch.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html
   */
  private startBatch(record: RefreshRecord, old: Instance[]): void {
    const group = record.group;
    const { minHealthyPercentage, maxHealthyPercentage } = record.settings;
    const desired = group.desired;
    // Minimum healthy is rounded up to a whole instance; the maximum likewise, so that a minimum
    // of 100 % launches before terminating even in a group of one.
    const minHealthy = Math.ceil((desired * minHealthyPercentage) / 100);
    const maxCapacity = Math.ceil((desired * maxHealthyPercentage) / 100);
    let healthyNow = 0;
    for (const instance of group.live.values()) if (this.isReady(record, instance, false)) healthyNow++;
    let surge = Math.min(Math.max(0, maxCapacity - group.live.size), old.length);
    let terminateNow = Math.min(Math.max(0, healthyNow - minHealthy), old.length - surge);
    if (surge + terminateNow === 0) {
      if (maxCapacity > desired) surge = 1;
      else terminateNow = 1;
    }
    const checkpoints = record.phase === 'forward' ? record.settings.checkpointPercentages : [];
    const nextCheckpoint = checkpoints[record.nextCheckpoint];
    if (nextCheckpoint !== undefined) {
      const cap = Math.max(1, Math.ceil((record.total * nextCheckpoint) / 100) - record.updated);
      surge = Math.min(surge, cap);
      terminateNow = Math.min(terminateNow, cap - surge);
    }
    // Unhealthy old instances go first: replacing them costs no healthy capacity.
    const victims = [...old].sort(
      (a, b) =>
        Number(a.targetHealthy && a.state === 'InService') -
          Number(b.targetHealthy && b.state === 'InService') ||
        a.launchedAt - b.launchedAt ||
        (a.id < b.id ? -1 : 1),
    );
    const now = victims.slice(0, terminateNow);
    const deferred = victims.slice(terminateNow, terminateNow + surge);
    record.batch = { deferred };
    group.surge += deferred.length;
    for (const instance of now) this.world.terminate(instance);
  }

  private complete(record: RefreshRecord): boolean {
    if (record.phase === 'forward' && record.settings.bakeTime > 0 && record.status === 'InProgress') {
      record.status = 'Baking';
      record.percentageComplete = Math.max(record.percentageComplete, record.total === 0 ? 100 : 0);
      record.bakeUntil = this.world.t + record.settings.bakeTime;
      record.statusReason = 'Waiting for bake time to pass.';
      this.world.queue.schedule(record.bakeUntil, 'bake-end', () => undefined, record.id);
      return true;
    }
    return this.succeed(record);
  }

  private succeed(record: RefreshRecord): boolean {
    const group = record.group;
    record.endTime = this.world.t;
    record.batch = undefined;
    group.surge = 0;
    if (record.phase === 'rollback') {
      record.status = 'RollbackSuccessful';
      record.statusReason = 'The instance refresh was rolled back.';
      // Group settings change only when a refresh succeeds, so the previous version is still there.
      group.launchTemplateVersion = record.previousVersion;
      return true;
    }
    record.status = 'Successful';
    record.statusReason = undefined;
    // The desired configuration becomes the group's configuration once the refresh succeeds.
    if (record.desiredConfiguration) group.launchTemplateVersion = record.desiredConfiguration.version;
    return true;
  }

  private fail(record: RefreshRecord, reason: string): boolean {
    const group = record.group;
    if (record.phase === 'rollback') {
      record.status = 'RollbackFailed';
      record.statusReason = reason;
      record.endTime = this.world.t;
      group.surge = 0;
      record.batch = undefined;
      return true;
    }
    if (record.settings.autoRollback) {
      this.rollback(record, reason);
      return true;
    }
    record.status = 'Failed';
    record.statusReason = reason;
    record.endTime = this.world.t;
    group.surge = 0;
    record.batch = undefined;
    return true;
  }

  private alarmInAlarm(record: RefreshRecord): string | undefined {
    return record.settings.alarms.find((name) => this.world.traffic.alarmState(name) === 'ALARM');
  }

  /** Live instances this phase still has to replace. */
  needingReplacement(record: RefreshRecord): Instance[] {
    const target = String(record.targetVersion);
    const result: Instance[] = [];
    for (const instance of record.group.live.values()) {
      if (instance.refreshTag === record.phaseTag) continue;
      const matches = instance.launchTemplateVersion === target;
      if (record.phase === 'rollback' || record.settings.skipMatching ? !matches : true)
        result.push(instance);
    }
    return result;
  }

  private isReady(record: RefreshRecord, instance: Instance, mustBeNew: boolean): boolean {
    if (instance.state !== 'InService' || !instance.targetHealthy) return false;
    if (instance.refreshTag !== record.phaseTag) return !mustBeNew;
    return this.world.t >= (instance.inServiceAt ?? 0) + record.settings.instanceWarmup;
  }

  /** New instances of this phase: how many are ready, how many are still launching or warming up. */
  private newInstances(record: RefreshRecord): { ready: number; settling: number } {
    let ready = 0;
    let settling = 0;
    for (const instance of record.group.live.values()) {
      if (instance.refreshTag !== record.phaseTag) continue;
      // A new instance that never turns healthy holds the batch: AWS waits for health checks.
      if (this.isReady(record, instance, true)) ready++;
      else settling++;
    }
    return { ready, settling };
  }

  private progress(record: RefreshRecord): void {
    record.lastProgressAt = this.world.t;
    this.armTimeout(record);
  }

  private armTimeout(record: RefreshRecord): void {
    const token = ++record.timeoutToken;
    this.world.queue.schedule(record.lastProgressAt + NO_PROGRESS_TIMEOUT_SECONDS, 'progress-timeout', () => {
      const stalled =
        token === record.timeoutToken &&
        (record.status === 'InProgress' || record.status === 'RollbackInProgress') &&
        record.pausedUntil === undefined;
      if (stalled)
        this.fail(
          record,
          `The instance refresh made no progress for ${NO_PROGRESS_TIMEOUT_SECONDS / 60} minutes: replacement instances did not become healthy.`,
        );
    });
  }
}
