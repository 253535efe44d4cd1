import type {
  CancelInstanceRefreshCommandInput,
  CancelInstanceRefreshCommandOutput,
  DescribeAutoScalingGroupsCommandInput,
  DescribeAutoScalingGroupsCommandOutput,
  DescribeInstanceRefreshesCommandInput,
  DescribeInstanceRefreshesCommandOutput,
  DetachInstancesCommandInput,
  DetachInstancesCommandOutput,
  InstanceRefresh,
  StartInstanceRefreshCommandInput,
  StartInstanceRefreshCommandOutput,
  UpdateAutoScalingGroupCommandInput,
  UpdateAutoScalingGroupCommandOutput,
} from '@aws-sdk/client-auto-scaling';
import { awsError, SimulatorUnsupportedError } from '../errors';
import type { RefreshRecord, RefreshSettings } from '../refresh-engine';
import type { Group } from '../account-records';
import type { World } from '../world';
import { Validator } from './validate';

type Out<T> = Omit<T, '$metadata'>;
const invalid: Validator = new Validator('autoScaling', 'ValidationError');

/** Auto Scaling: groups, their instances and instance refreshes. */
export class AutoScalingService {
  constructor(private readonly world: World) {}

  /**
   * Unknown names are left out of the answer, as AWS does.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
   */
  describeAutoScalingGroups(
    input: DescribeAutoScalingGroupsCommandInput,
  ): Out<DescribeAutoScalingGroupsCommandOutput> {
    if (input.Filters?.length)
      throw new SimulatorUnsupportedError('DescribeAutoScalingGroups Filters are not simulated');
    invalid.integer(input.MaxRecords, 'maxRecords', 1, 100);
    const names = input.AutoScalingGroupNames;
    const groups = names
      ? names.flatMap((n) => this.world.groups.get(n) ?? [])
      : [...this.world.groups.values()];
    return { AutoScalingGroups: groups.map((g) => this.describeGroup(g)) };
  }

  /**
   * Desired capacity must lie within min..max after the update; the launch template version
   * must exist; while a refresh with a desired configuration runs, the launch template is locked.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
   */
  updateAutoScalingGroup(
    input: UpdateAutoScalingGroupCommandInput,
  ): Out<UpdateAutoScalingGroupCommandOutput> {
    const supported = new Set([
      'AutoScalingGroupName',
      'MinSize',
      'MaxSize',
      'DesiredCapacity',
      'LaunchTemplate',
      'HealthCheckGracePeriod',
      'DefaultInstanceWarmup',
    ]);
    const extra = Object.keys(input).filter(
      (k) => !supported.has(k) && input[k as keyof typeof input] !== undefined,
    );
    if (extra.length)
      throw new SimulatorUnsupportedError(`UpdateAutoScalingGroup ${extra.join(', ')} not simulated`);
    const group = this.group(input.AutoScalingGroupName);
    const min = input.MinSize ?? group.min;
    const max = input.MaxSize ?? group.max;
    let desired = input.DesiredCapacity ?? group.desired;
    invalid.integer(input.MinSize, 'minSize', 0, 2_147_483_647);
    invalid.integer(input.MaxSize, 'maxSize', 0, 2_147_483_647);
    invalid.integer(input.DesiredCapacity, 'desiredCapacity', 0, 2_147_483_647);
    if (min > max) invalid.fail(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
    if (input.DesiredCapacity === undefined) desired = Math.min(max, Math.max(min, desired));
    if (desired < min || desired > max)
      invalid.fail(
        `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
      );
    let version = group.launchTemplateVersion;
    if (input.LaunchTemplate) {
      const refresh = this.world.refreshes.active(group);
      if (refresh?.desiredConfiguration)
        invalid.fail(
          'An active instance refresh with a desired configuration exists. All configuration options derived from the desired configuration are not available for update while the instance refresh is active.',
        );
      version = this.checkLaunchTemplate(input.LaunchTemplate);
    }
    invalid.integer(input.HealthCheckGracePeriod, 'healthCheckGracePeriod', 0, 2_147_483_647);
    invalid.integer(input.DefaultInstanceWarmup, 'defaultInstanceWarmup', -1, 2_147_483_647);
    group.min = min;
    group.max = max;
    group.desired = desired;
    group.launchTemplateVersion = version;
    if (input.HealthCheckGracePeriod !== undefined)
      group.healthCheckGracePeriod = input.HealthCheckGracePeriod;
    if (input.DefaultInstanceWarmup !== undefined)
      group.defaultInstanceWarmup = Math.max(0, input.DefaultInstanceWarmup);
    return {};
  }

  /**
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html
   */
  startInstanceRefresh(input: StartInstanceRefreshCommandInput): Out<StartInstanceRefreshCommandOutput> {
    const group = this.group(input.AutoScalingGroupName);
    if (input.Strategy !== undefined && input.Strategy !== 'Rolling')
      throw new SimulatorUnsupportedError(`StartInstanceRefresh Strategy ${input.Strategy} is not simulated`);
    if (this.world.refreshes.active(group))
      throw awsError(
        'autoScaling',
        'InstanceRefreshInProgress',
        `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.`,
      );
    const p = input.Preferences ?? {};
    invalid.integer(p.MinHealthyPercentage, 'preferences.minHealthyPercentage', 0, 100);
    invalid.integer(p.MaxHealthyPercentage, 'preferences.maxHealthyPercentage', 100, 200);
    invalid.integer(p.InstanceWarmup, 'preferences.instanceWarmup', 0, 2_147_483_647);
    invalid.integer(p.CheckpointDelay, 'preferences.checkpointDelay', 0, 172_800);
    invalid.integer(p.BakeTime, 'preferences.bakeTime', 0, 172_800);
    if (p.MaxHealthyPercentage !== undefined && p.MinHealthyPercentage === undefined)
      invalid.fail('You must specify MinHealthyPercentage when you specify MaxHealthyPercentage.');
    const minHealthy = p.MinHealthyPercentage ?? 90;
    const maxHealthy = p.MaxHealthyPercentage ?? 100;
    if (maxHealthy - minHealthy > 100)
      invalid.fail(
        `The difference between MaxHealthyPercentage (${maxHealthy}) and MinHealthyPercentage (${minHealthy}) cannot be greater than 100.`,
      );
    const checkpoints = p.CheckpointPercentages ?? [];
    checkpoints.forEach((c, i) => {
      invalid.integer(c, `preferences.checkpointPercentages.${i + 1}`, 1, 100);
      if (i > 0 && c <= (checkpoints[i - 1] as number))
        invalid.fail(
          `CheckpointPercentages must be unique and in ascending order, got [${checkpoints.join(', ')}].`,
        );
    });
    if (p.CheckpointDelay !== undefined && checkpoints.length === 0)
      invalid.fail('CheckpointDelay requires CheckpointPercentages.');
    // The simulated groups never hold standby or scale-in-protected instances, so these
    // preferences change nothing here; their values are still checked.
    // @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
    const allowed = {
      StandbyInstances: ['Terminate', 'Ignore', 'Wait'],
      ScaleInProtectedInstances: ['Refresh', 'Ignore', 'Wait'],
    };
    for (const key of ['StandbyInstances', 'ScaleInProtectedInstances'] as const)
      if (p[key] !== undefined && !allowed[key].includes(p[key]))
        invalid.fail(`Preferences.${key} must be one of ${allowed[key].join(', ')}, got ${p[key]}.`);
    const alarms = p.AlarmSpecification?.Alarms ?? [];
    if (alarms.length > 10) invalid.fail(`AlarmSpecification allows up to 10 alarms, got ${alarms.length}.`);
    for (const alarm of alarms)
      if (this.world.traffic.alarmState(alarm) === undefined)
        invalid.fail(`The alarm ${alarm} specified in AlarmSpecification does not exist.`);

    let desiredConfiguration: RefreshRecord['desiredConfiguration'];
    const desiredTemplate = input.DesiredConfiguration?.LaunchTemplate;
    if (input.DesiredConfiguration?.MixedInstancesPolicy)
      throw new SimulatorUnsupportedError('DesiredConfiguration.MixedInstancesPolicy is not simulated');
    if (desiredTemplate) {
      const version = this.checkLaunchTemplate(desiredTemplate);
      desiredConfiguration = {
        launchTemplateId: this.world.launchTemplate.id,
        launchTemplateName: this.world.launchTemplate.name,
        version,
      };
    }
    const autoRollback = p.AutoRollback ?? false;
    if (autoRollback) {
      const reason = this.irreversible(group, desiredConfiguration);
      if (reason) invalid.fail(`AutoRollback is not supported: ${reason}`);
    }
    const settings: RefreshSettings = {
      minHealthyPercentage: minHealthy,
      maxHealthyPercentage: maxHealthy,
      instanceWarmup: p.InstanceWarmup ?? this.world.warmupOf(group),
      checkpointPercentages: checkpoints,
      checkpointDelay: checkpoints.length ? (p.CheckpointDelay ?? 3600) : 0,
      skipMatching: p.SkipMatching ?? false,
      autoRollback,
      alarms,
      bakeTime: p.BakeTime ?? 0,
    };
    const record = this.world.refreshes.start({
      group,
      settings,
      preferences: structuredClone(p) as Record<string, unknown>,
      ...(desiredConfiguration ? { desiredConfiguration } : {}),
    });
    return { InstanceRefreshId: record.id };
  }

  /** Newest first. @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html */
  describeInstanceRefreshes(
    input: DescribeInstanceRefreshesCommandInput,
  ): Out<DescribeInstanceRefreshesCommandOutput> {
    const group = this.group(input.AutoScalingGroupName);
    invalid.integer(input.MaxRecords, 'maxRecords', 1, 100);
    const ids = input.InstanceRefreshIds;
    const records = this.world.refreshes.all
      .filter((r) => r.group === group && (!ids || ids.includes(r.id)))
      .reverse()
      .slice(0, input.MaxRecords ?? 50);
    return { InstanceRefreshes: records.map((r) => this.describeRefresh(r)) };
  }

  /** @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html */
  cancelInstanceRefresh(input: CancelInstanceRefreshCommandInput): Out<CancelInstanceRefreshCommandOutput> {
    const group = this.group(input.AutoScalingGroupName);
    const record = this.world.refreshes.active(group);
    if (!record || record.status === 'Cancelling') throw this.notFound(group);
    this.world.refreshes.cancel(record, input.WaitForTransitioningInstances ?? true);
    return { InstanceRefreshId: record.id };
  }

  private irreversible(group: Group, desired: RefreshRecord['desiredConfiguration']): string | undefined {
    if (!desired) return 'the instance refresh has no desired configuration.';
    if (desired.version === '$Latest' || desired.version === '$Default')
      return `the desired configuration uses the launch template version ${desired.version}.`;
    if (group.launchTemplateVersion === '$Latest' || group.launchTemplateVersion === '$Default')
      return `the Auto Scaling group uses the launch template version ${group.launchTemplateVersion}.`;
    return undefined;
  }

  private notFound(group: Group): Error {
    return awsError(
      'autoScaling',
      'ActiveInstanceRefreshNotFound',
      `No in progress or pending Instance Refresh found for Auto Scaling group ${group.name}`,
    );
  }

  /** Returns the version string to store; throws ValidationError for an unknown template or version. */
  private checkLaunchTemplate(spec: {
    LaunchTemplateId?: string;
    LaunchTemplateName?: string;
    Version?: string;
  }): string {
    const lt = this.world.launchTemplate;
    if (spec.LaunchTemplateId && spec.LaunchTemplateName)
      invalid.fail('Valid requests must contain either LaunchTemplateId or LaunchTemplateName, not both.');
    const id = spec.LaunchTemplateId;
    const name = spec.LaunchTemplateName;
    if ((id ?? name) === undefined)
      invalid.fail('Valid requests must contain either LaunchTemplateId or LaunchTemplateName.');
    if ((id !== undefined && id !== lt.id) || (name !== undefined && name !== lt.name))
      invalid.fail(
        `You must use a valid fully-formed launch template. The specified launch template, with template ${id ? `ID ${id}` : `name ${name}`}, does not exist.`,
      );
    const version = spec.Version ?? '$Default';
    if (this.world.resolveVersion(version) === undefined)
      invalid.fail(
        `You must use a valid fully-formed launch template. The specified launch template version ${version} does not exist.`,
      );
    return version;
  }

  /**
   * Only InService (or Standby) instances of the group can be detached, at most 20 at a time;
   * with ShouldDecrementDesiredCapacity the desired capacity drops by as many and must stay at
   * or above the minimum. The instances deregister from the target group (Detaching), then run
   * outside the group.
   * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachInstances.html
   */
  detachInstances(input: DetachInstancesCommandInput): Out<DetachInstancesCommandOutput> {
    const group = this.group(input.AutoScalingGroupName);
    invalid.required(input.ShouldDecrementDesiredCapacity, 'shouldDecrementDesiredCapacity');
    const ids = input.InstanceIds ?? [];
    if (ids.length > 20) invalid.fail('The number of instances to detach must be at most 20');
    const instances = ids.map((id) => {
      const instance = group.live.get(id);
      if (!instance) invalid.fail(`The instance ${id} is not part of Auto Scaling group ${group.name}.`);
      if (instance.state !== 'InService')
        invalid.fail(`The instance ${id} is not in InService or Standby. Current state: ${instance.state}.`);
      return instance;
    });
    if (input.ShouldDecrementDesiredCapacity) {
      const desired = group.desired - instances.length;
      if (desired < group.min)
        invalid.fail(
          `Detaching ${instances.length} instance(s) would lower the desired capacity to ${desired}, below the min size ${group.min}`,
        );
      group.desired = desired;
    }
    for (const instance of instances) this.world.detach(instance);
    return {
      Activities: instances.map((i) => ({
        ActivityId: `detach-${i.id}`,
        AutoScalingGroupName: group.name,
        Cause: `At ${this.world.now().toISOString()} instance ${i.id} was detached in response to a user request.`,
        StartTime: this.world.now(),
        StatusCode: 'InProgress',
      })),
    };
  }

  private group(name: string | undefined): Group {
    invalid.required(name, 'autoScalingGroupName');
    const group = this.world.groups.get(name as string);
    if (!group) invalid.fail(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
    return group;
  }

  private describeGroup(g: Group) {
    const lt = this.world.launchTemplate;
    const { region, accountId } = this.world.spec;
    return {
      AutoScalingGroupName: g.name,
      AutoScalingGroupARN: `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:00000000-0000-4000-8000-${g.colour === 'blue' ? '000000000b1e' : '0000000006ee'}:autoScalingGroupName/${g.name}`,
      LaunchTemplate: {
        LaunchTemplateId: lt.id,
        LaunchTemplateName: lt.name,
        Version: g.launchTemplateVersion,
      },
      MinSize: g.min,
      MaxSize: g.max,
      DesiredCapacity: g.desired,
      DefaultCooldown: 300,
      AvailabilityZones: ['a', 'b', 'c'].map((z) => `${region}${z}`),
      LoadBalancerNames: [],
      TargetGroupARNs: [g.targetGroupArn],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: g.healthCheckGracePeriod,
      DefaultInstanceWarmup: g.defaultInstanceWarmup,
      CreatedTime: g.createdAt,
      NewInstancesProtectedFromScaleIn: false,
      Instances: [...g.live.values(), ...g.draining.values()].map((i) => ({
        InstanceId: i.id,
        InstanceType: 't3.micro',
        AvailabilityZone: i.availabilityZone,
        LifecycleState: i.state,
        HealthStatus: i.healthStatus,
        LaunchTemplate: {
          LaunchTemplateId: lt.id,
          LaunchTemplateName: lt.name,
          Version: i.launchTemplateVersion,
        },
        ProtectedFromScaleIn: false,
      })),
      Tags: [],
    };
  }

  private describeRefresh(r: RefreshRecord): InstanceRefresh {
    const world = this.world;
    const active = world.refreshes.isActive(r);
    const toUpdate = Math.max(0, r.total - r.updated);
    return {
      InstanceRefreshId: r.id,
      AutoScalingGroupName: r.group.name,
      Status: r.status,
      ...(r.statusReason ? { StatusReason: r.statusReason } : {}),
      StartTime: world.dateAt(r.startTime),
      ...(r.endTime !== undefined ? { EndTime: world.dateAt(r.endTime) } : {}),
      PercentageComplete: r.percentageComplete,
      InstancesToUpdate: toUpdate,
      ...(active || r.status.startsWith('Rollback')
        ? {
            ProgressDetails: {
              LivePoolProgress: { PercentageComplete: r.percentageComplete, InstancesToUpdate: toUpdate },
            },
          }
        : {}),
      Preferences: structuredClone(r.preferences),
      ...(r.desiredConfiguration
        ? {
            DesiredConfiguration: {
              LaunchTemplate: {
                LaunchTemplateId: r.desiredConfiguration.launchTemplateId,
                LaunchTemplateName: r.desiredConfiguration.launchTemplateName,
                Version: r.desiredConfiguration.version,
              },
            },
          }
        : {}),
      ...(r.rollbackDetails ? { RollbackDetails: structuredClone(r.rollbackDetails) } : {}),
      Strategy: 'Rolling',
    };
  }
}
