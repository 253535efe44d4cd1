import {
  AutoScalingClient,
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { InstanceRefreshStatus } from '@aws-sdk/client-auto-scaling';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { restoreSafeState } from '../../../lambda/fleet/restore';
import type { FleetRecord } from '../../../lambda/shared/documents';
import { at, fleet, group, instances, NOW, OLDER_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const asg = mockClient(AutoScalingClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const s = settings();

type Members = Parameters<typeof group>[1];
function world(o: {
  weights?: [number, number];
  green?: Members;
  refresh?: InstanceRefreshStatus;
  blueVersion?: string;
}) {
  const [blue, green] = o.weights ?? [100, 0];
  elb.on(DescribeListenersCommand).resolves({
    Listeners: [
      {
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: s.targetGroups.blue, Weight: blue },
                { TargetGroupArn: s.targetGroups.green, Weight: green },
              ],
            },
          },
        ],
      },
    ],
  });
  elb.on(ModifyListenerCommand).resolves({});
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      group('immutable-dev-blue', { desired: 4, instances: instances(4), version: o.blueVersion ?? '7' }),
      group('immutable-dev-green', o.green ?? { min: 0, desired: 0 }),
    ],
  });
  asg.on(DescribeInstanceRefreshesCommand).resolves({
    InstanceRefreshes: o.refresh
      ? [{ InstanceRefreshId: 'ir-9', AutoScalingGroupName: 'immutable-dev-blue', Status: o.refresh }]
      : [],
  });
  asg.on(CancelInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-9' });
  asg.on(UpdateAutoScalingGroupCommand).resolves({});
}

const restore = (f: FleetRecord = fleet()) =>
  restoreSafeState(
    { settings: s, fleet: f },
    { elb: new ElasticLoadBalancingV2Client({}), autoscaling: new AutoScalingClient({}), now: NOW },
  );

beforeEach(() => {
  asg.reset();
  elb.reset();
});

describe('restoreSafeState when all is well', () => {
  it('changes nothing and reports no action', async () => {
    world({});
    expect(await restore()).toEqual({ actions: [] });
    expect(elb.commandCalls(ModifyListenerCommand)).toHaveLength(0);
    expect(asg.commandCalls(CancelInstanceRefreshCommand)).toHaveLength(0);
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('looks only at the newest refresh of the live group', async () => {
    world({});
    await restore();
    expect(inputsOf(asg, DescribeInstanceRefreshesCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue', MaxRecords: 1 },
    ]);
  });
});

describe('restoreSafeState puts traffic back on the live colour', () => {
  it('sends everything to the live colour when a canary left weights behind', async () => {
    world({ weights: [50, 50] });
    expect(await restore()).toEqual({ actions: ['listener weights 50/50 → all on blue'] });
    expect(inputsOf(elb, ModifyListenerCommand)[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual(
      [
        { TargetGroupArn: s.targetGroups.blue, Weight: 100 },
        { TargetGroupArn: s.targetGroups.green, Weight: 0 },
      ],
    );
  });

  it('knows green can be the live colour', async () => {
    world({ weights: [100, 0], green: { desired: 4, instances: instances(4, 10) } });
    const r = await restore(fleet({ liveColour: 'green' }));
    expect(r.actions).toContain('listener weights 100/0 → all on green');
  });
});

describe('restoreSafeState stops an unwatched refresh', () => {
  it.each(['Pending', 'InProgress', 'Baking'] as const)('cancels a refresh left %s', async (status) => {
    world({ refresh: status });
    expect((await restore()).actions).toEqual([
      `cancelled instance refresh ir-9 (${status}) on immutable-dev-blue`,
    ]);
    expect(inputsOf(asg, CancelInstanceRefreshCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-blue' },
    ]);
  });

  it.each([
    'Successful',
    'Failed',
    'Cancelled',
    'Cancelling',
    'RollbackInProgress',
    'RollbackSuccessful',
  ] as const)('leaves a refresh that is %s alone', async (status) => {
    world({ refresh: status });
    await restore();
    expect(asg.commandCalls(CancelInstanceRefreshCommand)).toHaveLength(0);
  });
});

describe('restoreSafeState rests the idle colour', () => {
  it('scales an idle colour that still has capacity to zero', async () => {
    world({ green: { min: 2, desired: 4, instances: instances(4, 10) } });
    expect((await restore()).actions).toEqual(['scaled idle green group immutable-dev-green from 4 to 0']);
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });

  it('scales to zero an idle colour whose minimum alone would keep instances', async () => {
    world({ green: { min: 1, desired: 0 } });
    await restore();
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toHaveLength(1);
  });

  it('keeps the previous release warm until its deadline', async () => {
    world({ green: { min: 2, desired: 4, version: '6', instances: instances(4, 10) } });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(1).toISOString() };
    expect(await restore(fleet({ warm }))).toEqual({ actions: [] });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('scales to zero a warm colour that a failed canary has taken over', async () => {
    // the record still names version 6 (the warm release); the canary moved green to version 8
    world({ green: { min: 2, desired: 4, version: '8', instances: instances(4, 10) } });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: at(600).toISOString() };
    expect((await restore(fleet({ warm }))).actions).toEqual([
      'scaled idle green group immutable-dev-green from 4 to 0',
    ]);
  });

  it('scales the warm colour to zero once its deadline has passed', async () => {
    world({ green: { min: 2, desired: 4, instances: instances(4, 10) } });
    const warm = { colour: 'green' as const, image: OLDER_AMI, until: NOW.toISOString() };
    await restore(fleet({ warm }));
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 0, DesiredCapacity: 0 },
    ]);
  });

  it('does not take a warm record naming the live colour as a reason to keep the idle one', async () => {
    world({ green: { min: 2, desired: 4, instances: instances(4, 10) } });
    const warm = { colour: 'blue' as const, image: OLDER_AMI, until: at(600).toISOString() };
    await restore(fleet({ warm }));
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toHaveLength(1);
  });
});

describe('restoreSafeState after a failed canary', () => {
  it('does every repair at once and reports each', async () => {
    world({
      weights: [50, 50],
      green: { min: 2, desired: 4, instances: instances(4, 10) },
      refresh: 'InProgress',
    });
    expect((await restore()).actions).toEqual([
      'listener weights 50/50 → all on blue',
      'cancelled instance refresh ir-9 (InProgress) on immutable-dev-blue',
      'scaled idle green group immutable-dev-green from 4 to 0',
    ]);
  });
});

describe('restoreSafeState in a dry run', () => {
  it('reports every repair it would make and makes none', async () => {
    world({
      weights: [50, 50],
      green: { min: 2, desired: 4, instances: instances(4, 10) },
      refresh: 'InProgress',
    });
    const r = await restoreSafeState(
      { settings: s, fleet: fleet(), dryRun: true },
      { elb: new ElasticLoadBalancingV2Client({}), autoscaling: new AutoScalingClient({}), now: NOW },
    );
    expect(r).toEqual({
      dryRun: true,
      actions: [
        'listener weights 50/50 → all on blue',
        'cancelled instance refresh ir-9 (InProgress) on immutable-dev-blue',
        'scaled idle green group immutable-dev-green from 4 to 0',
      ],
    });
    expect(inputsOf(elb, ModifyListenerCommand)).toEqual([]);
    expect(inputsOf(asg, CancelInstanceRefreshCommand)).toEqual([]);
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([]);
  });
});

describe('restoreSafeState after a rotation that was stopped', () => {
  it('reports the version its refresh, finished on its own, left on the live group', async () => {
    world({ blueVersion: '8', refresh: 'Successful' });
    expect(await restore()).toEqual({ actions: [], liveVersion: { colour: 'blue', version: '8' } });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('reports nothing while it cancels a refresh still running: the group keeps its version', async () => {
    world({ blueVersion: '8', refresh: 'InProgress' });
    expect((await restore()).liveVersion).toBeUndefined();
  });
});

describe('restoreSafeState while a refresh of the live group is stopping', () => {
  it('asks to look again once it has cancelled a running refresh', async () => {
    world({ refresh: 'InProgress' });
    expect((await restore()).waitSeconds).toBe(30);
  });

  it.each(['Cancelling', 'RollbackInProgress'] as const)(
    'asks to look again, and cancels nothing, while the refresh is %s',
    async (status) => {
      world({ refresh: status });
      expect(await restore()).toEqual({ actions: [], waitSeconds: 30 });
      expect(asg.commandCalls(CancelInstanceRefreshCommand)).toHaveLength(0);
    },
  );

  it.each(['Successful', 'Cancelled', 'RollbackSuccessful', 'Failed'] as const)(
    'does not wait for a refresh that is %s',
    async (status) => {
      world({ refresh: status });
      expect((await restore()).waitSeconds).toBeUndefined();
    },
  );
});
