import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/prepare-canary';
import { at, canaryPlan, execution, group, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
freezeClock();

beforeEach(() => {
  asg.reset();
  ec2.reset();
  ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [group('immutable-dev-blue'), group('immutable-dev-green')],
  });
  asg.on(UpdateAutoScalingGroupCommand).resolves({});
});

describe('prepare-canary handler', () => {
  it('brings the idle colour up with its clients, with a deadline from the current time', async () => {
    const p = await handler({ settings: settings(), execution: execution(), plan: canaryPlan() });
    expect(p).toMatchObject({ phase: 'launching', version: '8', deadline: at(900).toISOString() });
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toHaveLength(1);
  });

  it('lets an AWS error through with its name', async () => {
    ec2
      .on(CreateLaunchTemplateVersionCommand)
      .rejects(Object.assign(new Error('too many'), { name: 'VersionLimitExceeded' }));
    await expect(
      handler({ settings: settings(), execution: execution(), plan: canaryPlan() }),
    ).rejects.toMatchObject({
      name: 'VersionLimitExceeded',
    });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });
});
