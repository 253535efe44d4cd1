import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/plan-rollout';
import { ACCOUNT, at, execution, fleet, group, instances, OLD_AMI, request, settings } from '../fixtures';
import { imageAvailable } from '../triggers/events';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const db = mockClient(DynamoDBClient);

const handler = compose(module, stepVariables('plan-rollout'));

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
    // The released image the rotation launches again: the factory's, announced here, scanned clean.
    ec2.on(DescribeImagesCommand).resolves({
      Images: [{ ImageId: OLD_AMI, State: 'available', OwnerId: ACCOUNT }],
    });
    const announced = { ...imageAvailable().detail, imageId: OLD_AMI, announcedAt: at(-3600).toISOString() };
    db.on(GetItemCommand).resolves({ Item: { doc: { S: JSON.stringify(announced) } } });
    const plan = await handler({
      execution: execution(),
      request: request(),
      fleet: fleet(),
    });
    expect(plan).toMatchObject({ kind: 'refresh', oldestAgeDays: 8, instances: 2 });
    expect(inputsOf(asg, DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(inputsOf(ec2, DescribeInstancesCommand)).toEqual([{ InstanceIds: instances(2).map((i) => i.id) }]);
    expect(inputsOf(ec2, DescribeImagesCommand)).toEqual([{ ImageIds: [OLD_AMI] }]);
    expect(inputsOf(db, GetItemCommand)).toEqual([
      expect.objectContaining({
        TableName: settings().table,
        Key: { pk: { S: 'factory-image' }, sk: { S: OLD_AMI } },
      }),
    ]);
  });
});
