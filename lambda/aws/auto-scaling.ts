import {
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScalingClient, AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import type { FleetGroups, GroupChange, GroupView } from '../fleet/ports';
import type { InstanceRefreshes, RefreshPreferences, RefreshStart, RefreshView } from '../refresh/ports';
import type { ColourMap } from '../shared/colours';

/** The blue and green groups in Auto Scaling. */
export class AutoScalingFleetGroups implements FleetGroups {
  constructor(private readonly autoscaling: AutoScalingClient) {}

  async describe(names: ColourMap<string>): Promise<Partial<ColourMap<GroupView>>> {
    const out = await this.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.blue, names.green] }),
    );
    // Auto Scaling returns the groups in no particular order, and leaves out those that do not exist.
    const view = (name: string) => {
      const g = out.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === name);
      return g ? groupView(name, g) : undefined;
    };
    return { blue: view(names.blue), green: view(names.green) };
  }

  async update(name: string, change: GroupChange): Promise<void> {
    const { launchTemplate: lt, min, max, desired } = change;
    await this.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        ...(lt ? { LaunchTemplate: { LaunchTemplateId: lt.id, Version: lt.version } } : {}),
        ...(min === undefined ? {} : { MinSize: min }),
        ...(max === undefined ? {} : { MaxSize: max }),
        ...(desired === undefined ? {} : { DesiredCapacity: desired }),
      }),
    );
  }
}

function groupView(name: string, g: AutoScalingGroup): GroupView {
  return {
    name,
    min: g.MinSize ?? 0,
    max: g.MaxSize ?? 0,
    desired: g.DesiredCapacity ?? 0,
    ...(g.LaunchTemplate?.Version ? { version: g.LaunchTemplate.Version } : {}),
    instances: (g.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? '',
      lifecycle: i.LifecycleState ?? 'Unknown',
      healthy: i.HealthStatus === 'Healthy',
      ...(i.LaunchTemplate?.Version ? { version: i.LaunchTemplate.Version } : {}),
    })),
  };
}

/**
 * The API's InstanceRefreshInProgress code: SDK v3 raises it as InstanceRefreshInProgressFault.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 */
const REFRESH_IN_PROGRESS = ['InstanceRefreshInProgressFault', 'InstanceRefreshInProgress'];

/** Instance refreshes of the fleet's groups in Auto Scaling. */
export class AutoScalingInstanceRefreshes implements InstanceRefreshes {
  constructor(private readonly autoscaling: AutoScalingClient) {}

  async start(
    group: string,
    target: { readonly launchTemplateId: string; readonly version: string },
    preferences: RefreshPreferences,
  ): Promise<RefreshStart> {
    try {
      const out = await this.autoscaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: group,
          Strategy: 'Rolling',
          DesiredConfiguration: {
            LaunchTemplate: { LaunchTemplateId: target.launchTemplateId, Version: target.version },
          },
          Preferences: preferences,
        }),
      );
      return { refreshId: out.InstanceRefreshId ?? '' };
    } catch (err) {
      if (err instanceof Error && REFRESH_IN_PROGRESS.includes(err.name)) return { alreadyRunning: true };
      throw err;
    }
  }

  async find(group: string, refreshId: string): Promise<RefreshView | undefined> {
    const out = await this.autoscaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, InstanceRefreshIds: [refreshId] }),
    );
    return refreshView(out.InstanceRefreshes?.[0]);
  }

  async latest(group: string): Promise<RefreshView | undefined> {
    // Refreshes come sorted by creation time, newest first.
    // @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
    const out = await this.autoscaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, MaxRecords: 1 }),
    );
    return refreshView(out.InstanceRefreshes?.[0]);
  }

  async cancel(group: string): Promise<void> {
    await this.autoscaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: group }));
  }
}

function refreshView(r: InstanceRefresh | undefined): RefreshView | undefined {
  if (!r) return undefined;
  const lt = r.DesiredConfiguration?.LaunchTemplate;
  return {
    id: r.InstanceRefreshId,
    status: r.Status,
    percentageComplete: r.PercentageComplete,
    startedAt: r.StartTime,
    statusReason: r.StatusReason,
    rollbackReason: r.RollbackDetails?.RollbackReason,
    ...(lt ? { target: { launchTemplateId: lt.LaunchTemplateId, version: lt.Version } } : {}),
  };
}
