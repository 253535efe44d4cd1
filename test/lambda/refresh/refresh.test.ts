import {
  AutoScalingClient,
  DescribeInstanceRefreshesCommand,
  InstanceRefreshInProgressFault,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { checkRefresh, refreshPreferences, startRefresh } from '../../../lambda/refresh/refresh';
import { FleetNotReady, RefreshFailed } from '../../../lambda/shared/errors';
import type { RefreshProgress } from '../../../lambda/shared/documents';
import { at, execution, LAUNCH_TEMPLATE, NOW, OLD_AMI, refreshPlan, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const deps = () => ({ autoscaling: new AutoScalingClient({}), ec2: new EC2Client({}), now: NOW });

beforeEach(() => {
  asg.reset();
  ec2.reset();
  ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
});

const start = () =>
  startRefresh({ settings: settings(), execution: execution(), plan: refreshPlan() }, deps());

describe('startRefresh creates an explicit launch-template version', () => {
  it('copies $Default with the released image and says who made it', async () => {
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    await start();
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)).toEqual([
      {
        LaunchTemplateId: LAUNCH_TEMPLATE,
        SourceVersion: '$Default',
        VersionDescription: `phoenix ${OLD_AMI} by run-1`,
        LaunchTemplateData: { ImageId: OLD_AMI },
      },
    ]);
  });

  it('keeps the version description within the 255 characters EC2 accepts', async () => {
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    await startRefresh(
      { settings: settings(), execution: execution({ name: 'n'.repeat(300) }), plan: refreshPlan() },
      deps(),
    );
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)[0]?.VersionDescription).toHaveLength(255);
  });

  it('fails when EC2 returns no version number', async () => {
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: {} });
    await expect(start()).rejects.toThrow(
      `CreateLaunchTemplateVersion on ${LAUNCH_TEMPLATE} returned no version`,
    );
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
  });
});

describe('startRefresh starts the instance refresh', () => {
  it('passes DesiredConfiguration with the new version and the preferences exactly', async () => {
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    await start();
    expect(inputsOf(asg, StartInstanceRefreshCommand)).toEqual([
      {
        AutoScalingGroupName: 'immutable-dev-blue',
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '8' } },
        Preferences: refreshPreferences(settings().refresh, ['immutable-dev-blue-5xx']),
      },
    ]);
  });

  it("uses the refreshed colour's alarms", async () => {
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    await startRefresh(
      {
        settings: settings(),
        execution: execution(),
        plan: refreshPlan({ colour: 'green', group: 'immutable-dev-green' }),
      },
      deps(),
    );
    expect(inputsOf(asg, StartInstanceRefreshCommand)[0]).toMatchObject({
      AutoScalingGroupName: 'immutable-dev-green',
      Preferences: { AlarmSpecification: { Alarms: ['immutable-dev-green-5xx'] } },
    });
  });

  it('returns the first poll, timed for the expected end of the refresh', async () => {
    asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
    // 4 instances at 50-150 %: one batch of 120 s boot + 60 s warmup
    expect(await start()).toEqual({
      refreshId: 'ir-1',
      version: '8',
      status: 'Pending',
      percentageComplete: 0,
      done: false,
      waitSeconds: 180,
      startedAt: NOW.toISOString(),
    });
  });

  it('propagates errors other than a refresh in progress', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(Object.assign(new Error('bad'), { name: 'ValidationError' }));
    await expect(start()).rejects.toMatchObject({ name: 'ValidationError' });
    expect(asg.commandCalls(DescribeInstanceRefreshesCommand)).toHaveLength(0);
  });
});

describe('startRefresh after a retry', () => {
  const inProgress = () =>
    new InstanceRefreshInProgressFault({
      message:
        'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
      $metadata: { httpStatusCode: 400 },
    });
  const active = (o: Partial<InstanceRefresh>): InstanceRefresh => ({
    InstanceRefreshId: 'ir-first',
    AutoScalingGroupName: 'immutable-dev-blue',
    Status: 'InProgress',
    StartTime: at(-20),
    DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '7' } },
    ...o,
  });

  it('adopts the refresh its own first attempt started, with the version that refresh runs', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(inProgress());
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [active({})] });
    const progress = await start();
    expect(progress).toMatchObject({ refreshId: 'ir-first', version: '7', status: 'Pending', done: false });
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', MaxRecords: 1 },
    ]);
  });

  it('fails when the running refresh started before this execution, naming it', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(inProgress());
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [active({ InstanceRefreshId: 'ir-foreign', StartTime: at(-3600) })],
    });
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetNotReady);
    expect((error as Error).message).toBe(
      'another instance refresh (ir-foreign, InProgress) is running on immutable-dev-blue; ' +
        'let it finish or cancel it, then start again',
    );
  });

  it('fails when the running refresh uses another launch template', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(inProgress());
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [
        active({ DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0fffffffffffffff0' } } }),
      ],
    });
    await expect(start()).rejects.toBeInstanceOf(FleetNotReady);
  });

  it('fails when the refresh that blocked the start has vanished', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(inProgress());
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    await expect(start()).rejects.toThrow('another instance refresh (unknown, unknown) is running');
  });
});

describe('checkRefresh', () => {
  const progress = (o: Partial<RefreshProgress> = {}): RefreshProgress => ({
    refreshId: 'ir-1',
    version: '8',
    status: 'Pending',
    percentageComplete: 0,
    done: false,
    waitSeconds: 180,
    startedAt: at(-100).toISOString(),
    ...o,
  });
  const check = (o: Partial<RefreshProgress> = {}) =>
    checkRefresh(
      { settings: settings(), plan: refreshPlan(), progress: progress(o) },
      { autoscaling: new AutoScalingClient({}), now: NOW },
    );
  const reports = (r: Partial<InstanceRefresh>) =>
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [{ InstanceRefreshId: 'ir-1', AutoScalingGroupName: 'immutable-dev-blue', ...r }],
    });

  it('reads exactly its own refresh', async () => {
    reports({ Status: 'InProgress', PercentageComplete: 0, StartTime: at(-100) });
    await check();
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', InstanceRefreshIds: ['ir-1'] },
    ]);
  });

  it.each(['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'])(
    'keeps waiting while %s',
    async (status) => {
      reports({ Status: status as 'Pending', PercentageComplete: 25, StartTime: at(-100) });
      const p = await check();
      expect(p).toMatchObject({ status, percentageComplete: 25, done: false, version: '8' });
      expect(p.waitSeconds).toBeGreaterThanOrEqual(15);
      expect(p.waitSeconds).toBeLessThanOrEqual(600);
    },
  );

  it('waits as long as the observed pace says the rest will take', async () => {
    reports({ Status: 'InProgress', PercentageComplete: 50, StartTime: at(-100) });
    expect((await check()).waitSeconds).toBe(100);
  });

  it('aims at the expected end before the first batch completes', async () => {
    // expected 180 s for one batch; 100 s have passed
    reports({ Status: 'InProgress', PercentageComplete: 0, StartTime: at(-100) });
    expect((await check()).waitSeconds).toBe(80);
  });

  it('falls back to the start time it recorded when the refresh has none', async () => {
    reports({ Status: 'Pending' });
    expect((await check({ startedAt: at(-30).toISOString() })).waitSeconds).toBe(150);
  });

  it('is done, with no wait, when Successful', async () => {
    reports({ Status: 'Successful', PercentageComplete: 100, StartTime: at(-300) });
    expect(await check()).toMatchObject({ status: 'Successful', done: true, waitSeconds: 0, version: '8' });
  });

  it.each(['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'])(
    'fails with RefreshFailed when %s',
    async (status) => {
      reports({ Status: status as 'Failed', PercentageComplete: 40 });
      await expect(check()).rejects.toBeInstanceOf(RefreshFailed);
    },
  );

  it('fails with a cause that carries status, progress, reason and rollback reason', async () => {
    reports({
      Status: 'RollbackSuccessful',
      PercentageComplete: 50,
      StatusReason: 'Alarm immutable-dev-blue-5xx went into ALARM',
      RollbackDetails: { RollbackReason: 'CloudWatch alarm threshold was breached' },
    });
    await expect(check()).rejects.toThrow(
      'instance refresh ir-1 on immutable-dev-blue ended RollbackSuccessful; 50 % replaced; ' +
        'reason: Alarm immutable-dev-blue-5xx went into ALARM; rollback: CloudWatch alarm threshold was breached; ' +
        'the group is back on its previous launch-template version',
    );
  });

  it('fails loudly when the rollback itself failed', async () => {
    reports({ Status: 'RollbackFailed', PercentageComplete: 30 });
    await expect(check()).rejects.toThrow(
      'the rollback itself failed: inspect the group before the next rollout',
    );
  });

  it('fails when the refresh no longer exists', async () => {
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    await expect(check()).rejects.toThrow(
      new RefreshFailed('instance refresh ir-1 on immutable-dev-blue no longer exists'),
    );
  });

  it('fails on a status it does not know rather than waiting forever', async () => {
    reports({ Status: 'Paused' as 'Pending' });
    await expect(check()).rejects.toThrow('instance refresh ir-1 reported unknown status Paused');
  });
});
