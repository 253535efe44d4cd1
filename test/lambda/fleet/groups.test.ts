import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { describeGroups, inService, scaleToZero } from '../../../lambda/fleet/groups';
import { FleetNotReady } from '../../../lambda/shared/errors';
import { group, instanceId, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const asg = mockClient(AutoScalingClient);
const names = settings().groups;

beforeEach(() => asg.reset());

describe('describeGroups', () => {
  it('views both groups, whatever order Auto Scaling returns them in', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        group('immutable-dev-green', { min: 0, desired: 0, max: 8, version: '6' }),
        group('immutable-dev-blue', {
          min: 2,
          desired: 2,
          max: 8,
          version: '7',
          instances: [
            { id: instanceId(1) },
            { id: instanceId(2), lifecycle: 'Pending', health: 'Unhealthy', version: '8' },
          ],
        }),
      ],
    });
    const groups = await describeGroups(new AutoScalingClient({}), names);
    expect(groups).toEqual({
      blue: {
        name: 'immutable-dev-blue',
        min: 2,
        max: 8,
        desired: 2,
        version: '7',
        instances: [
          { id: instanceId(1), lifecycle: 'InService', healthy: true, version: '7' },
          { id: instanceId(2), lifecycle: 'Pending', healthy: false, version: '8' },
        ],
      },
      green: { name: 'immutable-dev-green', min: 0, max: 8, desired: 0, version: '6', instances: [] },
    });
    expect(inService(groups.blue).map((i) => i.id)).toEqual([instanceId(1)]);
    expect(inputsOf(asg, DescribeAutoScalingGroupsCommand)).toEqual([
      { AutoScalingGroupNames: ['immutable-dev-blue', 'immutable-dev-green'] },
    ]);
  });

  it('fails with FleetNotReady naming the missing group and its colour', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group('immutable-dev-green')] });
    await expect(describeGroups(new AutoScalingClient({}), names)).rejects.toThrow(
      new FleetNotReady(
        'Auto Scaling group immutable-dev-blue (blue) does not exist; deploy the stack first',
      ),
    );
  });
});

describe('scaleToZero', () => {
  it('drops both the minimum and the desired capacity, and leaves the maximum', async () => {
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    await scaleToZero(new AutoScalingClient({}), 'immutable-dev-green');
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });
});
