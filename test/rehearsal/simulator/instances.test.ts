import {
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEREGISTRATION_DELAY_SECONDS, type FleetSimulator } from '../../../rehearsal/simulator';
import { BAD_AMI, BLUE_TG, GONE_AMI, GREEN_TG, LT_ID, NEW_AMI, OLD_AMI, world } from './fixtures';
import { clients, rejection, simulate } from './harness';

const GREEN = 'immutable-dev-green';
const BLUE = 'immutable-dev-blue';

async function greenOn(imageId: string, desired: number): Promise<void> {
  const created = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: LT_ID,
      SourceVersion: '1',
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  await clients.autoScaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: GREEN,
      DesiredCapacity: desired,
      LaunchTemplate: {
        LaunchTemplateId: LT_ID,
        Version: String(created.LaunchTemplateVersion?.VersionNumber),
      },
    }),
  );
}

async function instancesOf(group: string) {
  const out = await clients.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }),
  );
  return out.AutoScalingGroups?.[0]?.Instances ?? [];
}

let sim: FleetSimulator;
let uninstall: () => void;
afterEach(() => uninstall());

describe('groups and instances', () => {
  beforeEach(() => ({ sim, uninstall } = simulate({ instances: 4, launchSeconds: 120, grace: 60 })));

  it('starts with the live group InService, launched instanceAgeDays ago', async () => {
    const instances = await instancesOf(BLUE);
    expect(instances).toHaveLength(4);
    expect(instances.every((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy')).toBe(
      true,
    );
    const described = await clients.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [instances[0]?.InstanceId as string] }),
    );
    const instance = described.Reservations?.[0]?.Instances?.[0];
    expect(instance).toMatchObject({ ImageId: OLD_AMI, State: { Name: 'running' } });
    expect(instance?.LaunchTime).toEqual(new Date('2029-12-02T00:00:00Z'));
  });

  it('launches to InService with a healthy target after launchSeconds', async () => {
    await greenOn(NEW_AMI, 3);
    expect(sim.snapshot().groups.green).toMatchObject({ desired: 3, pending: 3, inService: 0 });
    const targets = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: GREEN_TG }));
    expect(targets.TargetHealthDescriptions?.map((t) => t.TargetHealth?.State)).toEqual([
      'initial',
      'initial',
      'initial',
    ]);
    sim.advance(119);
    expect(sim.snapshot().groups.green).toMatchObject({ pending: 3, inService: 0 });
    sim.advance(1);
    expect(sim.snapshot().groups.green).toMatchObject({
      pending: 0,
      inService: 3,
      healthy: 3,
      imageIds: { [NEW_AMI]: 3 },
    });
    expect((await instancesOf(GREEN)).every((i) => i.LifecycleState === 'InService')).toBe(true);
  });

  it('replaces an instance whose target stays unhealthy once the grace period is over, again and again', async () => {
    await greenOn(BAD_AMI, 1);
    sim.advance(120);
    expect(sim.snapshot().groups.green).toMatchObject({ inService: 1, healthy: 0 });
    const first = (await instancesOf(GREEN))[0]?.InstanceId;
    sim.advance(59);
    expect(sim.snapshot().instancesReplaced).toBe(0);
    sim.advance(1);
    expect(sim.snapshot()).toMatchObject({
      instancesReplaced: 1,
      groups: { green: { pending: 1, inService: 0 } },
    });
    const after = await instancesOf(GREEN);
    expect(after.find((i) => i.InstanceId === first)).toMatchObject({
      LifecycleState: 'Terminating',
      HealthStatus: 'Unhealthy',
    });
    sim.advance(180);
    expect(sim.snapshot().instancesReplaced).toBe(2);
  });

  it('retries failed launches with back-off: the failed instance is Terminated', async () => {
    sim.failNextLaunches(2);
    await greenOn(NEW_AMI, 2);
    expect(sim.snapshot().groups.green).toMatchObject({ pending: 0, inService: 0 });
    const all = await clients.ec2.send(new DescribeInstancesCommand({}));
    const terminated = all.Reservations?.flatMap((r) => r.Instances ?? []).filter(
      (i) => i.State?.Name === 'terminated',
    );
    expect(terminated).toHaveLength(2);
    sim.advance(10);
    expect(sim.snapshot().groups.green.pending).toBe(2);
    sim.advance(120);
    expect(sim.snapshot().groups.green).toMatchObject({ inService: 2, healthy: 2 });
  });

  it('never launches from an image that does not exist', async () => {
    await greenOn(GONE_AMI, 1);
    sim.advance(3600);
    expect(sim.snapshot().groups.green).toMatchObject({ inService: 0, pending: 0 });
  });

  it('scales in oldest first; the terminated instances drain before they are gone', async () => {
    await clients.autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: BLUE, DesiredCapacity: 1 }),
    );
    expect(sim.snapshot()).toMatchObject({ instancesReplaced: 3, groups: { blue: { inService: 1 } } });
    const states = (
      await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: BLUE_TG }))
    ).TargetHealthDescriptions?.map((t) => t.TargetHealth?.State).sort();
    expect(states).toEqual(['draining', 'draining', 'draining', 'healthy']);
    sim.advance(DEREGISTRATION_DELAY_SECONDS);
    expect(await instancesOf(BLUE)).toHaveLength(1);
  });

  it('drains for the deregistration delay its target group sets', async () => {
    uninstall();
    const spec = world({ instances: 4 });
    ({ sim, uninstall } = simulate({
      ...spec,
      targetGroups: spec.targetGroups.map((t) => ({ ...t, deregistrationDelaySeconds: 30 })),
    }));
    await clients.autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: BLUE, DesiredCapacity: 1 }),
    );
    sim.advance(29);
    expect(await instancesOf(BLUE)).toHaveLength(4);
    sim.advance(1);
    expect(await instancesOf(BLUE)).toHaveLength(1);
  });

  it("keeps a failing target initial through its health checks' unhealthy threshold, then replaces it", async () => {
    uninstall();
    const spec = world({ instances: 4, launchSeconds: 120, grace: 20 });
    const healthCheck = { intervalSeconds: 10, healthyThresholdCount: 2, unhealthyThresholdCount: 3 };
    ({ sim, uninstall } = simulate({
      ...spec,
      targetGroups: spec.targetGroups.map((t) => ({ ...t, healthCheck })),
    }));
    await greenOn(BAD_AMI, 1);
    const states = async () =>
      (
        await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: GREEN_TG }))
      ).TargetHealthDescriptions?.map((t) => t.TargetHealth?.State);
    sim.advance(120);
    expect(await states()).toEqual(['initial']);
    sim.advance(29);
    expect(await states()).toEqual(['initial']);
    expect(sim.snapshot().instancesReplaced).toBe(0);
    // 3 failed checks 10 s apart: unhealthy, and past its 20 s grace period, replaced at once.
    sim.advance(1);
    expect((await states())?.sort()).toEqual(['draining', 'initial']);
    expect(sim.snapshot().instancesReplaced).toBe(1);
  });

  it('fails when desired capacity would leave min..max', async () => {
    const error = await rejection(
      clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: BLUE, DesiredCapacity: 50 }),
      ),
    );
    expect(error).toMatchObject({ name: 'ValidationError' });
    expect(error.message).toContain(
      'Desired capacity:50 must be between the specified min size:0 and max size:10',
    );
    expect(sim.snapshot().groups.blue.desired).toBe(4);
  });

  it('fails when the group or the launch template version does not exist', async () => {
    const unknownGroup = await rejection(
      clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', DesiredCapacity: 1 }),
      ),
    );
    expect(unknownGroup.message).toContain('AutoScalingGroup name not found');
    const unknownVersion = await rejection(
      clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: BLUE,
          LaunchTemplate: { LaunchTemplateId: LT_ID, Version: '9' },
        }),
      ),
    );
    expect(unknownVersion).toMatchObject({ name: 'ValidationError' });
  });
});
