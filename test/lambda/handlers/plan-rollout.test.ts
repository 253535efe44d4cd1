import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/plan-rollout';
import { at, execution, fleet, group, instances, request, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
freezeClock();

describe('plan-rollout handler', () => {
  it('plans through its Auto Scaling and EC2 clients, aging instances against the current time', async () => {
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
    const plan = await handler({
      settings: settings(),
      execution: execution(),
      request: request(),
      fleet: fleet(),
    });
    expect(plan).toMatchObject({ kind: 'refresh', oldestAgeDays: 8, instances: 2 });
    expect(inputsOf(asg, DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(inputsOf(ec2, DescribeInstancesCommand)).toEqual([{ InstanceIds: instances(2).map((i) => i.id) }]);
  });
});
