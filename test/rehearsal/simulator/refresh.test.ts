import {
  CancelInstanceRefreshCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
  type RefreshPreferences,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { NO_PROGRESS_TIMEOUT_SECONDS, type FleetSimulator } from '../../../rehearsal/simulator';
import { BAD_AMI, GONE_AMI, LT_ID, NEW_AMI, OLD_AMI } from './fixtures';
import { clients, rejection, simulate } from './harness';

const BLUE = 'immutable-dev-blue';

let sim: FleetSimulator;
let uninstall: () => void;
afterEach(() => uninstall());

async function newVersion(imageId: string): Promise<string> {
  const out = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: LT_ID,
      SourceVersion: '1',
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  return String(out.LaunchTemplateVersion?.VersionNumber);
}

async function start(preferences: RefreshPreferences, imageId = NEW_AMI): Promise<string> {
  const version = await newVersion(imageId);
  const out = await clients.autoScaling.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: BLUE,
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT_ID, Version: version } },
      Preferences: preferences,
    }),
  );
  return out.InstanceRefreshId as string;
}

async function describe1() {
  const out = await clients.autoScaling.send(
    new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: BLUE }),
  );
  return out.InstanceRefreshes?.[0];
}

/** Status changes (time → status) and the lowest healthy InService count seen. */
function watch(s: FleetSimulator) {
  const statuses: Array<[number, string]> = [];
  let minHealthy = Infinity;
  let maxLive = 0;
  s.onStep((snap) => {
    const status = snap.refresh?.status;
    if (status && statuses[statuses.length - 1]?.[1] !== status) statuses.push([snap.t, status]);
    minHealthy = Math.min(minHealthy, snap.groups.blue.healthy);
    maxLive = Math.max(maxLive, snap.groups.blue.inService + snap.groups.blue.pending);
  });
  return {
    statuses,
    get minHealthy() {
      return minHealthy;
    },
    get maxLive() {
      return maxLive;
    },
  };
}

describe('refresh batches and timings (10 instances, launch 120 s, warmup 60 s)', () => {
  beforeEach(() => ({ sim, uninstall } = simulate({ instances: 10, launchSeconds: 120, warmup: 60 })));

  it.each([
    // [min, max, finishes at, lowest healthy, most instances at once]
    [90, 100, 1800, 9, 10],
    [80, 100, 900, 8, 10],
    [0, 100, 180, 0, 10],
    [100, 100, 1800, 9, 10],
    [100, 150, 360, 10, 15],
    [90, 110, 900, 9, 11],
  ])(
    'min %i%% max %i%% succeeds at %i s (healthy >= %i, live <= %i)',
    async (min, max, end, lowest, most) => {
      const w = watch(sim);
      await start({ MinHealthyPercentage: min, MaxHealthyPercentage: max });
      sim.advance(end - 1);
      expect((await describe1())?.Status).toBe('InProgress');
      sim.advance(1);
      const refresh = await describe1();
      expect(refresh).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
      expect(refresh?.EndTime).toEqual(new Date(Date.parse('2030-01-01T00:00:00Z') + end * 1000));
      expect(sim.snapshot().groups.blue).toMatchObject({
        healthy: 10,
        imageIds: { [NEW_AMI]: 10 },
        launchTemplateVersion: '2',
      });
      expect(w.minHealthy).toBe(lowest);
      expect(w.maxLive).toBe(most);
    },
  );

  it('counts an instance as updated only after InService plus warmup', async () => {
    await start({ MinHealthyPercentage: 80 });
    sim.advance(179);
    expect(await describe1()).toMatchObject({ PercentageComplete: 0, InstancesToUpdate: 10 });
    sim.advance(1);
    expect(await describe1()).toMatchObject({
      PercentageComplete: 20,
      InstancesToUpdate: 8,
      ProgressDetails: { LivePoolProgress: { PercentageComplete: 20, InstancesToUpdate: 8 } },
    });
  });

  it('pauses at each checkpoint for CheckpointDelay, capping batches to land on it', async () => {
    const w = watch(sim);
    await start({ MinHealthyPercentage: 80, CheckpointPercentages: [20, 50, 100], CheckpointDelay: 600 });
    sim.advance(180);
    expect(await describe1()).toMatchObject({ PercentageComplete: 20, Status: 'InProgress' });
    expect((await describe1())?.StatusReason).toContain('checkpoint');
    sim.advance(599);
    expect(await describe1()).toMatchObject({ PercentageComplete: 20 });
    // 780: 2 more (40 %), then 1 (50 %) at 1140, pause to 1740, then 2, 2, 1 at 180 s each.
    sim.advance(1 + 180);
    expect(await describe1()).toMatchObject({ PercentageComplete: 40 });
    sim.advance(180);
    expect(await describe1()).toMatchObject({ PercentageComplete: 50 });
    sim.advance(600 + 540 - 1);
    expect((await describe1())?.Status).toBe('InProgress');
    sim.advance(1);
    expect(await describe1()).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect(w.statuses.at(-1)).toEqual([2280, 'Successful']);
  });

  it('stops at the last checkpoint below 100 (a partial refresh)', async () => {
    await start({ MinHealthyPercentage: 80, CheckpointPercentages: [40] });
    sim.advance(360);
    expect(await describe1()).toMatchObject({ Status: 'Successful', PercentageComplete: 40 });
    expect(sim.snapshot().groups.blue.imageIds).toEqual({ [OLD_AMI]: 6, [NEW_AMI]: 4 });
  });

  it('bakes for BakeTime after the last batch, alarms still armed', async () => {
    await start({
      MinHealthyPercentage: 80,
      BakeTime: 300,
      AlarmSpecification: { Alarms: ['immutable-dev-blue-health'] },
    });
    sim.advance(900);
    expect(await describe1()).toMatchObject({ Status: 'Baking', PercentageComplete: 100 });
    expect(sim.snapshot().groups.blue.launchTemplateVersion).toBe('1');
    sim.advance(300);
    expect(await describe1()).toMatchObject({ Status: 'Successful' });
    expect(sim.snapshot().groups.blue.launchTemplateVersion).toBe('2');
  });

  it('an alarm while baking rolls the whole group back', async () => {
    sim.forceAlarm('latency', 1000, 120);
    await start({
      MinHealthyPercentage: 80,
      BakeTime: 600,
      AutoRollback: true,
      AlarmSpecification: { Alarms: ['immutable-dev-blue-health'] },
    });
    sim.advance(1000);
    expect(await describe1()).toMatchObject({
      Status: 'RollbackInProgress',
      RollbackDetails: { PercentageCompleteOnRollback: 100, InstancesToUpdateOnRollback: 0 },
    });
    sim.advance(900);
    expect(await describe1()).toMatchObject({ Status: 'RollbackSuccessful' });
    expect(sim.snapshot().groups.blue).toMatchObject({
      imageIds: { [OLD_AMI]: 10 },
      launchTemplateVersion: '1',
    });
  });
});

describe('refresh failure, rollback and cancellation', () => {
  beforeEach(() => ({ sim, uninstall } = simulate({ instances: 10, launchSeconds: 120, warmup: 60 })));

  it('an alarm in ALARM with AutoRollback rolls back to the previous version', async () => {
    sim.forceAlarm('5xx', 300);
    const w = watch(sim);
    await start({
      MinHealthyPercentage: 80,
      AutoRollback: true,
      AlarmSpecification: { Alarms: ['immutable-dev-blue-health'] },
    });
    sim.advance(300);
    const rolling = await describe1();
    expect(rolling).toMatchObject({
      Status: 'RollbackInProgress',
      RollbackDetails: { PercentageCompleteOnRollback: 20, InstancesToUpdateOnRollback: 8 },
    });
    expect(rolling?.RollbackDetails?.RollbackReason).toContain('immutable-dev-blue-health');
    sim.advance(1200);
    expect(await describe1()).toMatchObject({ Status: 'RollbackSuccessful' });
    expect(sim.snapshot().groups.blue).toMatchObject({
      healthy: 10,
      imageIds: { [OLD_AMI]: 10 },
      launchTemplateVersion: '1',
    });
    expect(w.statuses.map(([, s]) => s)).toEqual(['InProgress', 'RollbackInProgress', 'RollbackSuccessful']);
  });

  it('an alarm without AutoRollback fails the refresh and keeps the group configuration', async () => {
    sim.forceAlarm('unhealthy-hosts', 300, 60);
    await start({
      MinHealthyPercentage: 80,
      AlarmSpecification: { Alarms: ['immutable-dev-blue-unhealthy-hosts'] },
    });
    sim.advance(300);
    expect(await describe1()).toMatchObject({ Status: 'Failed', PercentageComplete: 20 });
    sim.advance(600);
    expect(sim.snapshot().groups.blue).toMatchObject({ launchTemplateVersion: '1', desired: 10 });
  });

  it('fails after an hour without progress when replacements never turn healthy, then rolls back', async () => {
    await start({ MinHealthyPercentage: 90, AutoRollback: true }, BAD_AMI);
    sim.advance(NO_PROGRESS_TIMEOUT_SECONDS - 1);
    expect(await describe1()).toMatchObject({ Status: 'InProgress', PercentageComplete: 0 });
    expect(sim.snapshot().instancesReplaced).toBeGreaterThan(10);
    sim.advance(1);
    const failed = await describe1();
    expect(failed?.Status).toBe('RollbackInProgress');
    expect(failed?.RollbackDetails?.RollbackReason).toContain('no progress');
    sim.advance(600);
    expect(await describe1()).toMatchObject({ Status: 'RollbackSuccessful' });
    expect(sim.snapshot().groups.blue).toMatchObject({ healthy: 10, imageIds: { [OLD_AMI]: 10 } });
  });

  it('fails after an hour when launches fail (the AMI is gone)', async () => {
    await start({ MinHealthyPercentage: 90 }, GONE_AMI);
    sim.advance(NO_PROGRESS_TIMEOUT_SECONDS);
    expect(await describe1()).toMatchObject({ Status: 'Failed' });
    expect(sim.snapshot().groups.blue).toMatchObject({ desired: 10, healthy: 9 });
    // The group's own configuration is unchanged, so its next launch (after the back-off) works.
    sim.advance(300 + 120);
    expect(sim.snapshot().groups.blue).toMatchObject({ healthy: 10, imageIds: { [OLD_AMI]: 10 } });
  });

  it('cancels: the launches in flight finish, no new batch starts, the group keeps its configuration', async () => {
    await start({ MinHealthyPercentage: 80 });
    sim.advance(200);
    await clients.autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: BLUE }));
    // WaitForTransitioningInstances defaults to true
    expect((await describe1())?.Status).toBe('Cancelling');
    expect(sim.snapshot().groups.blue.pending).toBeGreaterThan(0);
    sim.advance(600);
    expect((await describe1())?.Status).toBe('Cancelled');
    expect(sim.snapshot().groups.blue).toMatchObject({ launchTemplateVersion: '1', healthy: 10 });
    expect(sim.snapshot().groups.blue.imageIds[NEW_AMI]).toBe(4);
    const again = await rejection(
      clients.autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: BLUE })),
    );
    expect(again).toMatchObject({
      name: 'ActiveInstanceRefreshNotFoundFault',
      Code: 'ActiveInstanceRefreshNotFound',
    });
  });

  it('cancels at once when told not to wait for transitioning instances', async () => {
    await start({ MinHealthyPercentage: 80 });
    sim.advance(200);
    await clients.autoScaling.send(
      new CancelInstanceRefreshCommand({ AutoScalingGroupName: BLUE, WaitForTransitioningInstances: false }),
    );
    expect((await describe1())?.Status).toBe('Cancelled');
  });

  it('allows one active refresh per group', async () => {
    await start({ MinHealthyPercentage: 80 });
    const second = await rejection(start({ MinHealthyPercentage: 80 }));
    expect(second).toMatchObject({
      name: 'InstanceRefreshInProgressFault',
      Code: 'InstanceRefreshInProgress',
    });
  });

  it('locks the launch template while a refresh with a desired configuration runs', async () => {
    await start({ MinHealthyPercentage: 80 });
    const error = await rejection(
      clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: BLUE,
          LaunchTemplate: { LaunchTemplateId: LT_ID, Version: '1' },
        }),
      ),
    );
    expect(error.name).toBe('ValidationError');
  });

  it('lists refreshes newest first and filters by id', async () => {
    const first = await start({ MinHealthyPercentage: 0 });
    sim.advance(180);
    const second = await start({ MinHealthyPercentage: 0 });
    const all = await clients.autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: BLUE }),
    );
    expect(all.InstanceRefreshes?.map((r) => r.InstanceRefreshId)).toEqual([second, first]);
    const one = await clients.autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: BLUE, InstanceRefreshIds: [first] }),
    );
    expect(one.InstanceRefreshes?.map((r) => r.Status)).toEqual(['Successful']);
  });
});

describe('refresh validation', () => {
  beforeEach(() => ({ sim, uninstall } = simulate({ instances: 4 })));

  const startRaw = (input: Record<string, unknown>) =>
    clients.autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: BLUE, ...input }));

  it.each([
    [
      'MinHealthyPercentage above 100',
      { Preferences: { MinHealthyPercentage: 101 } },
      'minHealthyPercentage',
    ],
    [
      'MaxHealthyPercentage above 200',
      { Preferences: { MinHealthyPercentage: 90, MaxHealthyPercentage: 201 } },
      'maxHealthyPercentage',
    ],
    [
      'MaxHealthyPercentage without MinHealthyPercentage',
      { Preferences: { MaxHealthyPercentage: 150 } },
      'MinHealthyPercentage',
    ],
    [
      'max - min is above 100',
      { Preferences: { MinHealthyPercentage: 0, MaxHealthyPercentage: 150 } },
      'cannot be greater than 100',
    ],
    ['checkpoints are not ascending', { Preferences: { CheckpointPercentages: [50, 20] } }, 'ascending'],
    [
      'CheckpointDelay comes without CheckpointPercentages',
      { Preferences: { CheckpointDelay: 60 } },
      'CheckpointPercentages',
    ],
    ['BakeTime is above 172800', { Preferences: { BakeTime: 172_801 } }, 'bakeTime'],
    ['an alarm does not exist', { Preferences: { AlarmSpecification: { Alarms: ['nope'] } } }, 'nope'],
    [
      'AutoRollback has no desired configuration',
      { Preferences: { AutoRollback: true } },
      'no desired configuration',
    ],
    [
      'AutoRollback targets $Latest',
      {
        Preferences: { AutoRollback: true },
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT_ID, Version: '$Latest' } },
      },
      '$Latest',
    ],
    ['the group does not exist', { AutoScalingGroupName: 'nope' }, 'not found'],
  ])('fails when %s', async (_, input, message) => {
    const error = await rejection(startRaw(input));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain(message);
    expect(sim.snapshot().refresh).toBeUndefined();
  });
});
