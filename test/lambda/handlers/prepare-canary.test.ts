import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplatesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/prepare-canary';
import { at, canaryPlan, execution, group, LAUNCH_TEMPLATE, NEW_AMI } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);

const handler = compose(module, stepVariables('prepare-canary'));

describe('prepare-canary handler', () => {
  it('brings the idle colour up through its EC2 and Auto Scaling clients, with a deadline from the current time', async () => {
    ec2
      .on(DescribeLaunchTemplatesCommand)
      .resolves({ LaunchTemplates: [{ LaunchTemplateId: LAUNCH_TEMPLATE, DefaultVersionNumber: 5 }] });
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [group('immutable-dev-blue'), group('immutable-dev-green')],
    });
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    const p = await handler({ execution: execution(), plan: canaryPlan() });
    expect(p).toMatchObject({ phase: 'launching', version: '8', deadline: at(900).toISOString() });
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)).toEqual([
      expect.objectContaining({
        LaunchTemplateId: LAUNCH_TEMPLATE,
        SourceVersion: '5',
        LaunchTemplateData: { ImageId: NEW_AMI },
      }),
    ]);
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      {
        AutoScalingGroupName: 'immutable-dev-green',
        LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '8' },
        MinSize: 2,
        MaxSize: 8,
        DesiredCapacity: 4,
      },
    ]);
  });
});
