import { AutoScalingClient, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplatesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/start-refresh';
import { execution, LAUNCH_TEMPLATE, NOW, refreshPlan } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);

const handler = compose(module, stepVariables('start-refresh'));

describe('start-refresh handler', () => {
  it('creates the version through its EC2 client, starts the refresh through its Auto Scaling client, and stamps the time', async () => {
    ec2
      .on(DescribeLaunchTemplatesCommand)
      .resolves({ LaunchTemplates: [{ LaunchTemplateId: LAUNCH_TEMPLATE, DefaultVersionNumber: 5 }] });
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    const p = await handler({ execution: execution(), plan: refreshPlan() });
    expect(p).toMatchObject({ refreshId: 'ir-1', version: '8', startedAt: NOW.toISOString() });
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)).toEqual([
      expect.objectContaining({ LaunchTemplateId: LAUNCH_TEMPLATE, SourceVersion: '5' }),
    ]);
    expect(inputsOf(asg, StartInstanceRefreshCommand)).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: 'immutable-dev-blue',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '8' } },
      }),
    ]);
  });
});
