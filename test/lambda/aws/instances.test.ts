import { AutoScalingClient, DetachInstancesCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { Ec2FleetInstances, FleetInstanceRemoval } from '../../../lambda/aws/instances';
import { awsError } from '../aws-errors';
import { at, instanceId, OLD_AMI } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const ec2 = mockClient(EC2Client);
const autoscaling = mockClient(AutoScalingClient);
const instancesClient = () => new Ec2FleetInstances(new EC2Client({}));

beforeEach(() => {
  ec2.reset();
  autoscaling.reset();
});

const described = (id: string) => ({
  InstanceId: id,
  ImageId: OLD_AMI,
  LaunchTime: at(-3600),
  State: { Name: 'running' as const },
  Tags: [{ Key: 'immutable:colour', Value: 'blue' }],
});

describe('Ec2FleetInstances.describe', () => {
  it('returns what each instance runs, since when, its state and its tags', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [described(instanceId(1))] }] });
    const [view] = await instancesClient().describe([instanceId(1)]);
    expect(view).toEqual({
      id: instanceId(1),
      imageId: OLD_AMI,
      launchTime: at(-3600),
      state: 'running',
      tags: new Map([['immutable:colour', 'blue']]),
    });
    expect(inputsOf(ec2, DescribeInstancesCommand)).toEqual([{ InstanceIds: [instanceId(1)] }]);
  });

  it('leaves out an instance EC2 no longer knows, asking again without it', async () => {
    ec2
      .on(DescribeInstancesCommand, { InstanceIds: [instanceId(1), instanceId(2)] })
      .rejects(awsError('InvalidInstanceID.NotFound'))
      .on(DescribeInstancesCommand, { InstanceIds: [instanceId(1)] })
      .resolves({ Reservations: [{ Instances: [described(instanceId(1))] }] })
      .on(DescribeInstancesCommand, { InstanceIds: [instanceId(2)] })
      .rejects(awsError('InvalidInstanceID.NotFound'));
    const views = await instancesClient().describe([instanceId(1), instanceId(2)]);
    expect(views.map((v) => v.id)).toEqual([instanceId(1)]);
  });

  it('passes any other error on', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation'));
    await expect(instancesClient().describe([instanceId(1)])).rejects.toThrow('UnauthorizedOperation');
  });

  it('asks nothing for no ids', async () => {
    expect(await instancesClient().describe([])).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('Ec2FleetInstances.tag', () => {
  it('puts the tags on the instances', async () => {
    ec2.on(CreateTagsCommand).resolves({});
    await instancesClient().tag([instanceId(1)], { 'immutable:tainted': 'StartSession by alice' });
    expect(inputsOf(ec2, CreateTagsCommand)).toEqual([
      { Resources: [instanceId(1)], Tags: [{ Key: 'immutable:tainted', Value: 'StartSession by alice' }] },
    ]);
  });
});

describe('FleetInstanceRemoval', () => {
  const removal = () => new FleetInstanceRemoval(new AutoScalingClient({}), instancesClient());

  it('detaches with the desired capacity lowered, so the group launches nothing in their place', async () => {
    autoscaling.on(DetachInstancesCommand).resolves({});
    await removal().detach('immutable-dev-blue', [instanceId(1)]);
    expect(inputsOf(autoscaling, DetachInstancesCommand)).toEqual([
      {
        AutoScalingGroupName: 'immutable-dev-blue',
        InstanceIds: [instanceId(1)],
        ShouldDecrementDesiredCapacity: true,
      },
    ]);
  });

  it('terminates the instances', async () => {
    ec2.on(TerminateInstancesCommand).resolves({});
    await removal().terminate([instanceId(1), instanceId(2)]);
    expect(inputsOf(ec2, TerminateInstancesCommand)).toEqual([
      { InstanceIds: [instanceId(1), instanceId(2)] },
    ]);
  });

  it('calls nothing for no instances', async () => {
    await removal().detach('immutable-dev-blue', []);
    await removal().terminate([]);
    expect(autoscaling.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
  });
});
