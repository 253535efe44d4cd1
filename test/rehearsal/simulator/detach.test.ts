import {
  DescribeAutoScalingGroupsCommand,
  DetachInstancesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEREGISTRATION_DELAY_SECONDS, type FleetSimulator } from '../../../rehearsal/simulator';
import { BLUE_TG } from './fixtures';
import { clients, rejection, simulate } from './harness';

const BLUE = 'immutable-dev-blue';

async function group() {
  const out = await clients.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [BLUE] }),
  );
  return out.AutoScalingGroups?.[0];
}
const detach = (ids: string[], decrement = true) =>
  clients.autoScaling.send(
    new DetachInstancesCommand({
      AutoScalingGroupName: BLUE,
      InstanceIds: ids,
      ShouldDecrementDesiredCapacity: decrement,
    }),
  );
const targetState = async (id: string) =>
  (
    await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: BLUE_TG }))
  ).TargetHealthDescriptions?.find((d) => d.Target?.Id === id)?.TargetHealth?.State;
const ec2State = async (id: string) =>
  (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]
    ?.Instances?.[0];

let sim: FleetSimulator;
let uninstall: () => void;
let first: string;
beforeEach(async () => {
  ({ sim, uninstall } = simulate({ instances: 4, launchSeconds: 120, grace: 60 }));
  first = (await group())?.Instances?.[0]?.InstanceId as string;
});
afterEach(() => uninstall());

describe('DetachInstances', () => {
  it('takes the instance out of the group, lowering its desired capacity, and drains it from the target group', async () => {
    await detach([first]);
    const g = await group();
    expect(g?.DesiredCapacity).toBe(3);
    expect(g?.Instances?.find((i) => i.InstanceId === first)?.LifecycleState).toBe('Detaching');
    expect(await targetState(first)).toBe('draining');
    expect(sim.snapshot().groups.blue.inService).toBe(3);
    // the group launches nothing in its place
    sim.advance(600);
    expect((await group())?.Instances).toHaveLength(3);
    expect(await targetState(first)).toBeUndefined();
    expect((await ec2State(first))?.State?.Name).toBe('running');
  });

  it('fails for an instance of no group of that name, changing nothing', async () => {
    const err = await rejection(detach(['i-00000000000000099']));
    expect(err.name).toBe('ValidationError');
    expect((await group())?.DesiredCapacity).toBe(4);
  });

  it('fails when the desired capacity would drop below the minimum', async () => {
    await clients.autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: BLUE, MinSize: 4 }),
    );
    const err = await rejection(detach([first]));
    expect(err.message).toMatch(/below the min size 4/);
    expect((await group())?.Instances).toHaveLength(4);
  });
});

describe('TerminateInstances', () => {
  it('ends a detached instance without the group replacing it', async () => {
    await detach([first]);
    sim.advance(DEREGISTRATION_DELAY_SECONDS);
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [first] }));
    expect((await ec2State(first))?.State?.Name).toBe('terminated');
    sim.advance(600);
    expect((await group())?.Instances).toHaveLength(3);
    expect(sim.snapshot().instancesReplaced).toBe(1);
  });

  it('has the group replace an instance it still holds', async () => {
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [first] }));
    sim.advance(600);
    expect((await group())?.Instances?.filter((i) => i.LifecycleState === 'InService')).toHaveLength(4);
  });
});

describe('CreateTags on instances', () => {
  it('shows the tags in DescribeInstances', async () => {
    await clients.ec2.send(
      new CreateTagsCommand({ Resources: [first], Tags: [{ Key: 'immutable:tainted', Value: 'x' }] }),
    );
    expect((await ec2State(first))?.Tags).toContainEqual({ Key: 'immutable:tainted', Value: 'x' });
  });
});
