import { DetachInstancesCommand } from '@aws-sdk/client-auto-scaling';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { InstanceDetails, InstanceRemoval, InstanceTagger, InstanceView } from '../fleet/ports';

/** DescribeInstances takes at most this many ids per call. */
const DESCRIBE_BATCH = 200;

/**
 * EC2 refuses the whole call when one id does not exist (InvalidInstanceID.NotFound); an
 * instance terminated long ago is simply gone, so the ids are asked for again without it.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
const NOT_FOUND = /^InvalidInstanceID\.NotFound$/;

/** The fleet's instances in EC2: what they run, their tags, and their end. */
export class Ec2FleetInstances implements InstanceDetails, InstanceTagger {
  constructor(private readonly ec2: EC2Client) {}

  async describe(ids: readonly string[]): Promise<readonly InstanceView[]> {
    const views: InstanceView[] = [];
    for (let i = 0; i < ids.length; i += DESCRIBE_BATCH)
      views.push(...(await this.batch(ids.slice(i, i + DESCRIBE_BATCH))));
    return views;
  }

  private async batch(ids: readonly string[]): Promise<InstanceView[]> {
    if (ids.length === 0) return [];
    try {
      const out = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
      return (out.Reservations ?? []).flatMap((r) =>
        (r.Instances ?? []).flatMap((i) =>
          i.InstanceId
            ? [
                {
                  id: i.InstanceId,
                  ...(i.ImageId ? { imageId: i.ImageId } : {}),
                  ...(i.LaunchTime ? { launchTime: i.LaunchTime } : {}),
                  ...(i.State?.Name ? { state: i.State.Name } : {}),
                  tags: new Map((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
                },
              ]
            : [],
        ),
      );
    } catch (e) {
      if (!(e instanceof Error && NOT_FOUND.test(e.name))) throw e;
      if (ids.length === 1) return [];
      // The message names the unknown ids, but not in a form worth parsing: halve and ask again.
      const half = Math.ceil(ids.length / 2);
      return [...(await this.batch(ids.slice(0, half))), ...(await this.batch(ids.slice(half)))];
    }
  }

  async tag(ids: readonly string[], tags: Readonly<Record<string, string>>): Promise<void> {
    if (ids.length === 0) return;
    await this.ec2.send(
      new CreateTagsCommand({
        Resources: [...ids],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async terminate(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ec2.send(new TerminateInstancesCommand({ InstanceIds: [...ids] }));
  }
}

/**
 * Instances leave the fleet in two steps: detached from their group (which deregisters them from
 * its target groups, and lowers its desired capacity so nothing replaces them), then terminated.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachInstances.html
 */
export class FleetInstanceRemoval implements InstanceRemoval {
  constructor(
    private readonly autoscaling: AutoScalingClient,
    private readonly instances: Pick<Ec2FleetInstances, 'terminate'>,
  ) {}

  async detach(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.autoscaling.send(
      new DetachInstancesCommand({
        AutoScalingGroupName: group,
        InstanceIds: [...ids],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
  }

  terminate(ids: readonly string[]): Promise<void> {
    return this.instances.terminate(ids);
  }
}
