import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { TargetHealthStateEnum } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { checkCanary, prepareCanary } from '../../../lambda/canary/colour';
import type { PreparedCanary } from '../../../lambda/canary/colour';
import { CanaryUnhealthy } from '../../../lambda/shared/errors';
import type { CanaryPlan } from '../../../lambda/shared/documents';
import {
  at,
  canaryPlan,
  execution,
  flipPlan,
  group,
  instanceId,
  instances,
  LAUNCH_TEMPLATE,
  NEW_AMI,
  NOW,
  settings,
} from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const elb = mockClient(ElasticLoadBalancingV2Client);
const GREEN_TG = settings().targetGroups.green;

type Members = Parameters<typeof group>[1];
/** Blue serves four instances; green is what the test says. */
const greenGroup = (green: Members) =>
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      group('immutable-dev-blue', { desired: 4, instances: instances(4) }),
      group('immutable-dev-green', green),
    ],
  });
const targets = (states: Record<string, string>) =>
  elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: Object.entries(states).map(([id, state]) => ({
      Target: { Id: id, Port: 80 },
      HealthCheckPort: '80',
      TargetHealth: { State: state as TargetHealthStateEnum },
    })),
  });

beforeEach(() => {
  asg.reset();
  ec2.reset();
  elb.reset();
  asg.on(UpdateAutoScalingGroupCommand).resolves({});
  ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
});

const prepare = (plan: CanaryPlan = canaryPlan()) =>
  prepareCanary(
    { settings: settings(), execution: execution(), plan },
    { autoscaling: new AutoScalingClient({}), ec2: new EC2Client({}), now: NOW },
  );

describe('prepareCanary on an empty idle colour', () => {
  it('creates a launch-template version on the new image', async () => {
    greenGroup({ desired: 0 });
    await prepare();
    expect(inputsOf(ec2, CreateLaunchTemplateVersionCommand)).toEqual([
      {
        LaunchTemplateId: LAUNCH_TEMPLATE,
        SourceVersion: '$Default',
        VersionDescription: `canary ${NEW_AMI} by run-1`,
        LaunchTemplateData: { ImageId: NEW_AMI },
      },
    ]);
  });

  it('points the idle group at it and scales it to the planned capacity', async () => {
    greenGroup({ desired: 0 });
    await prepare();
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

  it('widens the group limits when the plan needs more, or fewer, instances than they allow', async () => {
    greenGroup({ desired: 0 });
    await prepare(canaryPlan({ capacity: 12 }));
    await prepare(canaryPlan({ capacity: 1 }));
    expect(
      inputsOf(asg, UpdateAutoScalingGroupCommand).map((u) => [u.MinSize, u.MaxSize, u.DesiredCapacity]),
    ).toEqual([
      [2, 12, 12],
      [1, 8, 1],
    ]);
  });

  it('starts waiting for the instances, with a deadline', async () => {
    greenGroup({ desired: 0 });
    expect(await prepare()).toEqual({
      phase: 'launching',
      version: '8',
      capacity: 4,
      healthy: 0,
      ready: false,
      deadline: at(900).toISOString(),
      waitSeconds: 120,
      step: 0,
      weight: 0,
      done: false,
      judgements: [],
    });
  });
});

describe('prepareCanary on an occupied idle colour', () => {
  it('empties it first, already on the new version, so the canary serves nothing else', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    const p = await prepare();
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      {
        AutoScalingGroupName: 'immutable-dev-green',
        LaunchTemplate: { LaunchTemplateId: LAUNCH_TEMPLATE, Version: '8' },
        MinSize: 0,
        DesiredCapacity: 0,
      },
    ]);
    expect(p).toMatchObject({ phase: 'draining', waitSeconds: 15, ready: false });
  });

  it('drains a group that is still launching instances it was asked for', async () => {
    greenGroup({ desired: 2, instances: [] });
    expect((await prepare()).phase).toBe('draining');
  });
});

describe('checkCanary while draining', () => {
  const draining = (): PreparedCanary => ({
    phase: 'draining',
    version: '8',
    capacity: 4,
    healthy: 0,
    ready: false,
    deadline: at(600).toISOString(),
    waitSeconds: 15,
    step: 0,
    weight: 0,
    done: false,
    judgements: [],
  });
  const check = (progress: PreparedCanary = draining()) =>
    checkCanary(
      { settings: settings(), execution: execution(), plan: canaryPlan(), progress },
      { autoscaling: new AutoScalingClient({}), elb: new ElasticLoadBalancingV2Client({}), now: NOW },
    );

  it('keeps waiting 15 s while old instances are terminating', async () => {
    greenGroup({ desired: 0, instances: instances(2, 10, { lifecycle: 'Terminating', version: '6' }) });
    expect(await check()).toMatchObject({ phase: 'draining', waitSeconds: 15, ready: false });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
    expect(elb.calls()).toHaveLength(0);
  });

  it('scales up to the planned capacity once the group is empty', async () => {
    greenGroup({ desired: 0, instances: [] });
    expect(await check()).toMatchObject({ phase: 'launching', waitSeconds: 120 });
    expect(inputsOf(asg, UpdateAutoScalingGroupCommand)).toEqual([
      { AutoScalingGroupName: 'immutable-dev-green', MinSize: 2, MaxSize: 8, DesiredCapacity: 4 },
    ]);
  });

  it('fails with CanaryUnhealthy when draining outlasts the deadline', async () => {
    greenGroup({ desired: 0, instances: instances(1, 10, { lifecycle: 'Terminating', version: '6' }) });
    await expect(check({ ...draining(), deadline: NOW.toISOString() })).rejects.toBeInstanceOf(
      CanaryUnhealthy,
    );
  });
});

describe('checkCanary while launching', () => {
  const launching = (o: Partial<PreparedCanary> = {}): PreparedCanary => ({
    phase: 'launching',
    version: '8',
    capacity: 4,
    healthy: 0,
    ready: false,
    deadline: at(600).toISOString(),
    waitSeconds: 120,
    step: 0,
    weight: 0,
    done: false,
    judgements: [],
    ...o,
  });
  const check = (o: Partial<PreparedCanary> = {}) =>
    checkCanary(
      { settings: settings(), execution: execution(), plan: canaryPlan(), progress: launching(o) },
      { autoscaling: new AutoScalingClient({}), elb: new ElasticLoadBalancingV2Client({}), now: NOW },
    );

  it("reads the canary colour's target group", async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets({});
    await check();
    expect(inputsOf(elb, DescribeTargetHealthCommand)).toEqual([{ TargetGroupArn: GREEN_TG }]);
  });

  it('is ready once the planned capacity is healthy on the new version', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'healthy'])));
    expect(await check()).toMatchObject({ phase: 'launching', healthy: 4, ready: true, waitSeconds: 0 });
  });

  it('counts only healthy targets that are InService instances on the new version', async () => {
    greenGroup({
      instances: [
        ...instances(2, 10, { version: '8' }), // counted
        { id: instanceId(12), version: '6' }, // an old version still registered
        { id: instanceId(13), lifecycle: 'Pending', version: '8' }, // not in service yet
        { id: instanceId(14), version: '8' }, // in service, but its target is unhealthy
      ],
    });
    targets({
      [instanceId(10)]: 'healthy',
      [instanceId(11)]: 'healthy',
      [instanceId(12)]: 'healthy',
      [instanceId(13)]: 'healthy',
      [instanceId(14)]: 'unhealthy',
      [instanceId(99)]: 'healthy', // not a member of the group at all
    });
    expect(await check()).toMatchObject({ healthy: 2, ready: false });
  });

  it.each(['initial', 'unhealthy', 'draining', 'unused', 'unavailable'])(
    'does not count %s targets',
    async (state) => {
      greenGroup({ instances: instances(4, 10, { version: '8' }) });
      targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, state])));
      expect(await check()).toMatchObject({ healthy: 0, ready: false });
    },
  );

  it('polls a quarter of the boot time apart while instances come up', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets({ [instanceId(10)]: 'healthy' });
    expect(await check()).toMatchObject({ healthy: 1, waitSeconds: 30 });
  });

  it('never waits past the deadline', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets({});
    expect((await check({ deadline: at(20).toISOString() })).waitSeconds).toBe(20);
  });

  it('fails with CanaryUnhealthy after the deadline, with the counts by lifecycle state', async () => {
    greenGroup({
      instances: [
        ...instances(3, 10, { version: '8' }),
        { id: instanceId(13), lifecycle: 'Pending', version: '8' },
      ],
    });
    targets({ [instanceId(10)]: 'healthy', [instanceId(11)]: 'healthy', [instanceId(12)]: 'unhealthy' });
    await expect(check({ deadline: at(-1).toISOString() })).rejects.toThrow(
      new CanaryUnhealthy(
        '2 of 4 canary instances in immutable-dev-green became healthy before the deadline ' +
          '(4 instances: 3 InService, 1 Pending)',
      ),
    );
  });

  it('still succeeds at the deadline when the capacity is healthy', async () => {
    greenGroup({ instances: instances(4, 10, { version: '8' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'healthy'])));
    expect((await check({ deadline: at(-1).toISOString() })).ready).toBe(true);
  });
});

describe('checkCanary before a rollback flips to the warm colour', () => {
  // The flip's own deadline is the moment it was planned: nothing is waited for.
  const check = () =>
    checkCanary(
      {
        settings: settings(),
        execution: execution(),
        plan: flipPlan(),
        progress: {
          phase: 'launching',
          version: flipPlan().version,
          capacity: flipPlan().capacity,
          healthy: 0,
          ready: false,
          deadline: flipPlan().healthyBy,
          waitSeconds: 0,
          step: 0,
          weight: 0,
          done: false,
          judgements: [],
        },
      },
      { autoscaling: new AutoScalingClient({}), elb: new ElasticLoadBalancingV2Client({}), now: at(1) },
    );

  it('is ready when the warm colour has as many healthy targets on its version as the live colour', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'healthy'])));
    expect(await check()).toMatchObject({ healthy: 4, ready: true });
  });

  it('fails with CanaryUnhealthy at once when its targets are not healthy', async () => {
    greenGroup({ desired: 4, instances: instances(4, 10, { version: '6' }) });
    targets(Object.fromEntries(instances(4, 10).map((i) => [i.id, 'unhealthy'])));
    await expect(check()).rejects.toThrow(CanaryUnhealthy);
  });
});
