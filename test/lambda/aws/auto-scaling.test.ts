import {
  AutoScalingClient,
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  InstanceRefreshInProgressFault,
  InstanceRefreshStatus,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { AutoScalingFleetGroups, AutoScalingInstanceRefreshes } from '../../../lambda/aws/auto-scaling';
import { REFRESH_STATUSES, refreshPreferences } from '../../../lambda/refresh/refresh';
import { at, group, instanceId, LAUNCH_TEMPLATE, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const asg = mockClient(AutoScalingClient);
const names = settings().groups;
const groups = () => new AutoScalingFleetGroups(new AutoScalingClient({}));
const refreshes = () => new AutoScalingInstanceRefreshes(new AutoScalingClient({}));

beforeEach(() => asg.reset());

describe('AutoScalingFleetGroups.describe', () => {
  it('views both groups in one call, whatever order Auto Scaling returns them in', async () => {
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
    expect(await groups().describe(names)).toEqual({
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
    expect(inputsOf(asg, DescribeAutoScalingGroupsCommand)).toEqual([
      { AutoScalingGroupNames: ['immutable-dev-blue', 'immutable-dev-green'] },
    ]);
  });

  it('leaves out a group that does not exist', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group('immutable-dev-green')] });
    const found = await groups().describe(names);
    expect(found.blue).toBeUndefined();
    expect(found.green?.name).toBe('immutable-dev-green');
  });
});

describe('AutoScalingFleetGroups.update', () => {
  beforeEach(() => asg.on(UpdateAutoScalingGroupCommand).resolves({}));

  it('sends the launch-template version and the sizes given', async () => {
    await groups().update('immutable-dev-green', {
      launchTemplate: { id: LAUNCH_TEMPLATE, version: '8' },
      min: 2,
      max: 8,
      desired: 4,
    });
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

  it('leaves out what the change leaves out, zero sizes included', async () => {
    await groups().update('immutable-dev-green', { min: 0, desired: 0 });
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });
});

describe('AutoScalingInstanceRefreshes.start', () => {
  const preferences = refreshPreferences(settings().refresh, ['immutable-dev-blue-5xx']);
  const start = () =>
    refreshes().start('immutable-dev-blue', { launchTemplateId: LAUNCH_TEMPLATE, version: '8' }, preferences);

  it('starts a rolling refresh onto the version, with the preferences exactly', async () => {
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    expect(await start()).toEqual({ refreshId: 'ir-1' });
    expect(inputsOf(asg, StartInstanceRefreshCommand)).toEqual([
      {
        AutoScalingGroupName: 'immutable-dev-blue',
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '8' } },
        Preferences: preferences,
      },
    ]);
  });

  it.each([
    // SDK v3 raises the API's InstanceRefreshInProgress code as its modelled fault
    new InstanceRefreshInProgressFault({
      message: 'already in progress',
      $metadata: { httpStatusCode: 400 },
    }),
    Object.assign(new Error('already in progress'), { name: 'InstanceRefreshInProgress' }),
  ])('reports a refresh already running when Auto Scaling answers %s', async (error) => {
    asg.on(StartInstanceRefreshCommand).rejects(error);
    expect(await start()).toEqual({ alreadyRunning: true });
  });

  it('propagates any other error', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(Object.assign(new Error('bad'), { name: 'ValidationError' }));
    await expect(start()).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('AutoScalingInstanceRefreshes reads', () => {
  it('finds one refresh by id, with what it reports', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [
        {
          InstanceRefreshId: 'ir-1',
          AutoScalingGroupName: 'immutable-dev-blue',
          Status: 'RollbackSuccessful',
          PercentageComplete: 50,
          StartTime: at(-100),
          StatusReason: 'Alarm immutable-dev-blue-5xx went into ALARM',
          RollbackDetails: { RollbackReason: 'CloudWatch alarm threshold was breached' },
          DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '8' } },
        },
      ],
    });
    expect(await refreshes().find('immutable-dev-blue', 'ir-1')).toEqual({
      id: 'ir-1',
      status: 'RollbackSuccessful',
      percentageComplete: 50,
      startedAt: at(-100),
      statusReason: 'Alarm immutable-dev-blue-5xx went into ALARM',
      rollbackReason: 'CloudWatch alarm threshold was breached',
      target: { launchTemplateId: LAUNCH_TEMPLATE, version: '8' },
    });
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', InstanceRefreshIds: ['ir-1'] },
    ]);
  });

  it('reads only the newest refresh of a group as its latest', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [{ InstanceRefreshId: 'ir-9', Status: 'InProgress' }],
    });
    expect(await refreshes().latest('immutable-dev-blue')).toMatchObject({
      id: 'ir-9',
      status: 'InProgress',
    });
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', MaxRecords: 1 },
    ]);
  });

  it('reads undefined when the group has no such refresh', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    expect(await refreshes().find('immutable-dev-blue', 'ir-1')).toBeUndefined();
    expect(await refreshes().latest('immutable-dev-blue')).toBeUndefined();
  });

  it('passes on every status the SDK knows, each of which the workflow decides on', () => {
    expect(Object.keys(REFRESH_STATUSES).sort()).toEqual(Object.values(InstanceRefreshStatus).sort());
  });
});

describe('AutoScalingInstanceRefreshes.cancel', () => {
  it("cancels the group's running refresh", async () => {
    asg.on(CancelInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-9' });
    await refreshes().cancel('immutable-dev-blue');
    expect(inputsOf(asg, CancelInstanceRefreshCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue' },
    ]);
  });
});
