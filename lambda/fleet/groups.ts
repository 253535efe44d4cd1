import {
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { FleetNotReady } from '../shared/errors';
import type { Colour, ColourMap } from '../shared/colours';

export interface GroupInstance {
  readonly id: string;
  readonly lifecycle: string;
  readonly healthy: boolean;
  readonly version?: string;
}

export interface GroupView {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly version?: string;
  readonly instances: GroupInstance[];
}

/** InService instances (what serves, or will once healthy). */
export const inService = (g: GroupView) => g.instances.filter((i) => i.lifecycle === 'InService');

/** Both colours' groups, in one call. */
export async function describeGroups(
  autoscaling: AutoScalingClient,
  names: ColourMap<string>,
): Promise<ColourMap<GroupView>> {
  const out = await autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.blue, names.green] }),
  );
  const view = (colour: Colour): GroupView => {
    const g = out.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === names[colour]);
    if (!g)
      throw new FleetNotReady(
        `Auto Scaling group ${names[colour]} (${colour}) does not exist; deploy the stack first`,
      );
    return {
      name: names[colour],
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
  };
  return { blue: view('blue'), green: view('green') };
}

/** Scale a group to zero: the idle colour's resting state. */
export async function scaleToZero(autoscaling: AutoScalingClient, name: string): Promise<void> {
  await autoscaling.send(
    new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0 }),
  );
}
