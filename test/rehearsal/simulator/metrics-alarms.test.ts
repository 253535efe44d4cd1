import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FleetSimulator } from '../../../rehearsal/simulator';
import { BAD_AMI, BLUE_TG, GREEN_TG, LISTENER, LT_ID, NEW_AMI, OLD_AMI } from './fixtures';
import { clients, rejection, simulate } from './harness';

const START = Date.parse('2030-01-01T00:00:00Z');
const LB_DIM = { Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' };
const dims = (colour: 'blue' | 'green') => [
  {
    Name: 'TargetGroup',
    Value: colour === 'blue' ? 'targetgroup/blue/0123456789abcdef' : 'targetgroup/green/fedcba9876543210',
  },
  LB_DIM,
];
const query = (
  id: string,
  colour: 'blue' | 'green',
  MetricName: string,
  Stat: string,
  Period = 60,
): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: 'AWS/ApplicationELB', MetricName, Dimensions: dims(colour) },
    Period,
    Stat,
  },
});

let sim: FleetSimulator;
let uninstall: () => void;
beforeEach(() => ({ sim, uninstall } = simulate({ instances: 4, requestsPerSecond: 100 })));
afterEach(() => uninstall());

/** Brings green up on `imageId` (4 instances, InService at t=120), then shifts 10 % to it. */
async function canary(imageId: string): Promise<void> {
  const version = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: LT_ID,
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  await clients.autoScaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: 'immutable-dev-green',
      DesiredCapacity: 4,
      LaunchTemplate: {
        LaunchTemplateId: LT_ID,
        Version: String(version.LaunchTemplateVersion?.VersionNumber),
      },
    }),
  );
  sim.advance(120);
  await clients.elbv2.send(
    new ModifyListenerCommand({
      ListenerArn: LISTENER,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: BLUE_TG, Weight: 90 },
              { TargetGroupArn: GREEN_TG, Weight: 10 },
            ],
          },
        },
      ],
    }),
  );
}

async function metrics(queries: MetricDataQuery[], fromSecond: number, toSecond: number) {
  const out = await clients.cloudWatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(START + fromSecond * 1000),
      EndTime: new Date(START + toSecond * 1000),
    }),
  );
  return Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
}

async function alarmStates(): Promise<Record<string, string>> {
  const out = await clients.cloudWatch.send(
    new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  return Object.fromEntries(
    [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => [
      a.AlarmName,
      a.StateValue as string,
    ]),
  );
}

describe('traffic model and metrics', () => {
  it('splits requests by weight and, within a group, by healthy instances per image', async () => {
    await canary(NEW_AMI);
    expect(sim.snapshot().trafficByImage).toEqual({ [OLD_AMI]: 90, [NEW_AMI]: 10 });
    sim.advance(60);
    const r = await metrics(
      [
        query('blue', 'blue', 'RequestCount', 'Sum'),
        query('green', 'green', 'RequestCount', 'Sum'),
        query('greenerrors', 'green', 'HTTPCode_Target_5XX_Count', 'Sum'),
        query('greenp99', 'green', 'TargetResponseTime', 'p99'),
        query('hosts', 'green', 'HealthyHostCount', 'Average'),
      ],
      120,
      180,
    );
    expect(r.blue?.Values).toEqual([5400]);
    expect(r.green?.Values).toEqual([600]);
    expect(r.greenerrors?.Values?.[0]).toBeCloseTo(0.6, 10);
    expect(r.greenp99?.Values).toEqual([0.18]);
    expect(r.hosts?.Values).toEqual([4]);
    expect(r.green?.Timestamps).toEqual([new Date(START + 120_000)]);
    expect(r.green).toMatchObject({ Label: 'RequestCount', StatusCode: 'Complete' });
  });

  it('returns datapoints newest first and no count datapoint in a minute without requests', async () => {
    await canary(NEW_AMI);
    sim.advance(180);
    const r = await metrics(
      [
        query('green', 'green', 'RequestCount', 'Sum'),
        query('hosts', 'green', 'HealthyHostCount', 'Maximum'),
      ],
      0,
      300,
    );
    expect(r.green?.Timestamps).toEqual([240, 180, 120].map((s) => new Date(START + s * 1000)));
    expect(r.hosts?.Values).toEqual([4, 4, 4, 0, 0]);
  });

  it('shows an image that regresses mid-run from then on, leaving the minutes before it as they were', async () => {
    await canary(NEW_AMI);
    // 20 s into the minute that starts at 180
    sim.regressImage(NEW_AMI, 200, { errorRate: 0.5, p99LatencyMs: 3000 });
    sim.advance(180);
    const r = await metrics(
      [
        query('errors', 'green', 'HTTPCode_Target_5XX_Count', 'Sum'),
        query('p99', 'green', 'TargetResponseTime', 'p99'),
        query('blue', 'blue', 'TargetResponseTime', 'p99'),
      ],
      120,
      300,
    );
    // newest first: 60 s regressed; 40 s regressed after 20 s as it was; as it was
    expect(r.errors?.Values?.map((v: number) => Math.round(v * 10) / 10)).toEqual([300, 200.2, 0.6]);
    expect(r.p99?.Values).toEqual([3, 3, 0.18]);
    expect(r.blue?.Values).toEqual([0.2, 0.2, 0.2]);
    // two breaching minutes of three: the canary's alarms go off, the baseline's do not
    expect(await alarmStates()).toMatchObject({
      'immutable-dev-green-5xx': 'ALARM',
      'immutable-dev-green-latency': 'ALARM',
      'immutable-dev-blue-5xx': 'OK',
      'immutable-dev-blue-latency': 'OK',
    });
  });

  it('refuses a regression of an image it does not know, or out of range', () => {
    expect(() => sim.regressImage('ami-0fffffffffffffff0', 10, { errorRate: 0.5 })).toThrow(
      'regressImage: ami-0fffffffffffffff0 is not an image of this account',
    );
    expect(() => sim.regressImage(NEW_AMI, 10, { errorRate: 2 })).toThrow(
      'regressImage: errorRate must be within 0..1, got 2',
    );
  });

  it('answers 5xx for the whole share of a weighted target group with no healthy target', async () => {
    uninstall();
    // A grace period long enough to see the failing targets counted before they are replaced.
    ({ sim, uninstall } = simulate({ instances: 4, requestsPerSecond: 100, grace: 300 }));
    await canary(BAD_AMI);
    expect(sim.snapshot().trafficByImage).toEqual({ [OLD_AMI]: 90 });
    sim.advance(120);
    const r = await metrics(
      [
        query('requests', 'green', 'RequestCount', 'Sum'),
        query('errors', 'green', 'HTTPCode_Target_5XX_Count', 'Sum'),
        query('bad', 'green', 'UnHealthyHostCount', 'Maximum'),
      ],
      120,
      240,
    );
    expect(r.requests?.Values).toEqual([600, 600]);
    expect(r.errors?.Values).toEqual([600, 600]);
    // Newest first: failing targets count as unhealthy once they failed the threshold's checks
    // (2 × 30 s by default), not while they are still in their initial checks.
    expect(r.bad?.Values).toEqual([4, 0]);
  });

  it('has no datapoints for a metric that does not exist (wrong dimensions)', async () => {
    const r = await metrics(
      [
        {
          Id: 'x',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [LB_DIM] },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      0,
      600,
    );
    expect(r.x?.Values).toEqual([]);
  });

  it.each([
    [
      'a query id starts with a capital',
      [{ ...query('x', 'blue', 'RequestCount', 'Sum'), Id: 'Bad' }],
      'InvalidParameterValueException',
    ],
    [
      'the period is not a multiple of 60',
      [query('x', 'blue', 'RequestCount', 'Sum', 90)],
      'InvalidParameterValueException',
    ],
    ['it uses metric math', [{ Id: 'ratio', Expression: 'm1 / m2' }], 'SimulatorUnsupportedError'],
    [
      'the metric is not simulated',
      [query('x', 'blue', 'ActiveConnectionCount', 'Sum')],
      'SimulatorUnsupportedError',
    ],
  ])('fails when %s', async (_, queries, name) => {
    const error = await rejection(metrics(queries, 0, 60));
    expect(error.name).toBe(name);
  });
});

describe('alarms', () => {
  it('go to ALARM on M of N breaching datapoints, missing data not breaching', async () => {
    // 5xx alarms: 2 of 3 one-minute datapoints at or above 0.05.
    await canary(BAD_AMI);
    expect((await alarmStates())['immutable-dev-green-5xx']).toBe('OK');
    sim.advance(60);
    expect((await alarmStates())['immutable-dev-green-5xx']).toBe('OK');
    sim.advance(60);
    const states = await alarmStates();
    expect(states).toMatchObject({
      'immutable-dev-green-5xx': 'ALARM',
      'immutable-dev-green-health': 'ALARM',
      'immutable-dev-blue-5xx': 'OK',
      'immutable-dev-blue-health': 'OK',
    });
    const described = await clients.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: ['immutable-dev-green-5xx'] }),
    );
    expect(described.MetricAlarms?.[0]).toMatchObject({
      TreatMissingData: 'notBreaching',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    expect(described.MetricAlarms?.[0]?.StateUpdatedTimestamp).toEqual(new Date(START + 240_000));
  });

  it('return to OK once fewer than M of the last N datapoints breach', async () => {
    await canary(BAD_AMI);
    sim.advance(120);
    await clients.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: LISTENER,
        DefaultActions: [
          { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 1 }] } },
        ],
      }),
    );
    sim.advance(60);
    expect((await alarmStates())['immutable-dev-green-5xx']).toBe('ALARM');
    sim.advance(60);
    expect((await alarmStates())['immutable-dev-green-5xx']).toBe('OK');
  });

  it('forced: every alarm of a kind, and so its composites, is in ALARM for the window', async () => {
    sim.forceAlarm('latency', 30, 60);
    sim.advance(29);
    expect((await alarmStates())['immutable-dev-blue-latency']).toBe('OK');
    sim.advance(1);
    expect(await alarmStates()).toMatchObject({
      'immutable-dev-blue-latency': 'ALARM',
      'immutable-dev-green-latency': 'ALARM',
      'immutable-dev-blue-health': 'ALARM',
      'immutable-dev-green-health': 'ALARM',
      'immutable-dev-blue-5xx': 'OK',
    });
    expect(sim.snapshot().alarms['immutable-dev-green-health']).toBe('ALARM');
    sim.advance(60);
    expect((await alarmStates())['immutable-dev-blue-health']).toBe('OK');
  });

  it('DescribeAlarms returns only metric alarms unless asked for composites', async () => {
    const out = await clients.cloudWatch.send(new DescribeAlarmsCommand({}));
    expect(out.MetricAlarms).toHaveLength(6);
    expect(out.CompositeAlarms).toEqual([]);
    const composite = await clients.cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmTypes: ['CompositeAlarm'],
        AlarmNames: ['immutable-dev-blue-health'],
      }),
    );
    expect(composite.CompositeAlarms?.[0]).toMatchObject({
      AlarmName: 'immutable-dev-blue-health',
      StateValue: 'OK',
    });
  });
});
