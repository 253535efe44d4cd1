import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/plan-rollout';
import { at, execution, fleet, group, instances, NOW, request, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
freezeClock();

beforeEach(() => {
  asg.reset();
  ec2.reset();
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      group('immutable-dev-blue', { instances: instances(2) }),
      group('immutable-dev-green'),
    ],
  });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      { Instances: instances(2).map((i) => ({ InstanceId: i.id, LaunchTime: at(-8 * 86_400) })) },
    ],
  });
});

describe('plan-rollout handler', () => {
  it('plans with its Auto Scaling and EC2 clients, aging instances against the current time', async () => {
    const plan = await handler({
      settings: settings(),
      request: request(),
      fleet: fleet(),
      execution: execution(),
    });
    expect(plan).toMatchObject({ kind: 'refresh', oldestAgeDays: 8, instances: 2 });
    expect(inputsOf(asg, DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(inputsOf(ec2, DescribeInstancesCommand)).toHaveLength(1);
  });

  it('reads freeze windows against the current time', async () => {
    const freezeWindows = [{ start: NOW.toISOString(), end: at(60).toISOString(), reason: 'now' }];
    const plan = await handler({
      settings: settings({ freezeWindows }),
      request: request({ trigger: 'schedule' }),
      fleet: fleet(),
      execution: execution(),
    });
    expect(plan.kind).toBe('skip');
  });

  it('lets a domain error through with its name', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await expect(
      handler({ settings: settings(), request: request(), fleet: fleet(), execution: execution() }),
    ).rejects.toMatchObject({ name: 'FleetNotReady' });
  });
});
