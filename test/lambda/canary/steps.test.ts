import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDataResult } from '@aws-sdk/client-cloudwatch';
import {
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { judgeCanaryStep, shiftTraffic } from '../../../lambda/canary/steps';
import { CanaryFailed } from '../../../lambda/shared/errors';
import type { CanaryPlan, CanaryProgress, FlipPlan } from '../../../lambda/shared/documents';
import { at, canaryPlan, canaryProgress, flipPlan, NEW_AMI, NOW, OLD_AMI, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const elb = mockClient(ElasticLoadBalancingV2Client);
const cw = mockClient(CloudWatchClient);
const s = settings();

beforeEach(() => {
  elb.reset();
  cw.reset();
  elb.on(ModifyListenerCommand).resolves({});
});

describe('shiftTraffic', () => {
  const shift = (plan: CanaryPlan | FlipPlan, progress?: CanaryProgress) =>
    shiftTraffic(
      { settings: s, plan, ...(progress ? { progress } : {}) },
      {
        elb: new ElasticLoadBalancingV2Client({}),
        now: NOW,
      },
    );
  const weightsSent = () =>
    inputsOf(elb, ModifyListenerCommand).map((i) =>
      i.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => [t.TargetGroupArn, t.Weight]),
    );

  it('puts the first step on the listener as one weighted forward action, without stickiness', async () => {
    await shift(canaryPlan(), canaryProgress({ step: 0, weight: 0, stepStartedAt: undefined }));
    expect(inputsOf(elb, ModifyListenerCommand)).toEqual([
      {
        ListenerArn: s.listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: s.targetGroups.blue, Weight: 90 },
                { TargetGroupArn: s.targetGroups.green, Weight: 10 },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
    ]);
  });

  it.each([
    [0, 10, 90, 10],
    [1, 50, 50, 50],
    [2, 100, 0, 100],
  ])('gives step %i its weight (%i %% on the canary)', async (step, weight, blue, green) => {
    const p = await shift(canaryPlan(), canaryProgress({ step }));
    expect(weightsSent()).toEqual([
      [
        [s.targetGroups.blue, blue],
        [s.targetGroups.green, green],
      ],
    ]);
    expect(p).toMatchObject({ step, weight, stepStartedAt: NOW.toISOString(), done: false });
  });

  it('shifts towards blue when blue is the canary colour', async () => {
    await shift(
      canaryPlan({ from: { colour: 'green', imageId: OLD_AMI }, to: { colour: 'blue', imageId: NEW_AMI } }),
      canaryProgress({ step: 0 }),
    );
    expect(weightsSent()).toEqual([
      [
        [s.targetGroups.blue, 10],
        [s.targetGroups.green, 90],
      ],
    ]);
  });

  it('keeps what the progress already holds', async () => {
    const judged = canaryProgress({ step: 1, version: '8', capacity: 4, healthy: 4 });
    expect(await shift(canaryPlan(), judged)).toEqual({
      ...judged,
      weight: 50,
      stepStartedAt: NOW.toISOString(),
    });
  });

  it('flips all traffic to the warm colour in one step, and is done', async () => {
    const p = await shift(flipPlan());
    expect(weightsSent()).toEqual([
      [
        [s.targetGroups.blue, 0],
        [s.targetGroups.green, 100],
      ],
    ]);
    expect(p).toMatchObject({
      step: 0,
      weight: 100,
      done: true,
      stepStartedAt: NOW.toISOString(),
      judgements: [],
    });
  });
});

describe('judgeCanaryStep measures the step', () => {
  const judge = (progress: CanaryProgress = canaryProgress({ step: 1, weight: 50 }), plan = canaryPlan()) =>
    judgeCanaryStep({ settings: s, plan, progress }, { cloudwatch: new CloudWatchClient({}), now: NOW });
  const series = (results: Record<string, number[]>): MetricDataResult[] =>
    Object.entries(results).map(([Id, Values]) => ({ Id, Values, StatusCode: 'Complete', Timestamps: [] }));
  const metrics = (results: Record<string, number[]>) =>
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: series(results) });
  const healthy = {
    req0: [300, 320, 310],
    err0: [0, 1, 0],
    p990: [0.41, 0.45, 0.43],
    req1: [300, 310, 300],
    err1: [1, 0, 0],
    p991: [0.4, 0.42, 0.44],
  };

  beforeEach(() => cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] }));

  it('queries requests, 5xx and p99 of both target groups per minute', async () => {
    metrics(healthy);
    await judge();
    const dims = (colour: 'blue' | 'green') => [
      { Name: 'TargetGroup', Value: s.targetGroupDimensions[colour] },
      { Name: 'LoadBalancer', Value: s.loadBalancerDimension },
    ];
    const query = (Id: string, colour: 'blue' | 'green', MetricName: string, Stat: string) => ({
      Id,
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: 'AWS/ApplicationELB', MetricName, Dimensions: dims(colour) },
        Period: 60,
        Stat,
      },
    });
    expect(inputsOf(cw, GetMetricDataCommand)[0]?.MetricDataQueries).toEqual([
      query('req0', 'green', 'RequestCount', 'Sum'),
      query('err0', 'green', 'HTTPCode_Target_5XX_Count', 'Sum'),
      query('p990', 'green', 'TargetResponseTime', 'p99'),
      query('req1', 'blue', 'RequestCount', 'Sum'),
      query('err1', 'blue', 'HTTPCode_Target_5XX_Count', 'Sum'),
      query('p991', 'blue', 'TargetResponseTime', 'p99'),
    ]);
  });

  it('measures whole minutes inside the step, leaving out the partial minute before the shift', async () => {
    metrics(healthy);
    await judge(canaryProgress({ step: 1, weight: 50, stepStartedAt: '2026-03-02T09:57:20.000Z' }));
    expect(inputsOf(cw, GetMetricDataCommand)[0]).toMatchObject({
      StartTime: new Date('2026-03-02T09:58:00.000Z'),
      EndTime: new Date('2026-03-02T10:00:00.000Z'),
      ScanBy: 'TimestampDescending',
    });
  });

  it('widens to the enclosing minutes when the step is shorter than a whole minute', async () => {
    metrics(healthy);
    await judge(canaryProgress({ step: 1, weight: 50, stepStartedAt: '2026-03-02T09:59:40.000Z' }));
    expect(inputsOf(cw, GetMetricDataCommand)[0]).toMatchObject({
      StartTime: new Date('2026-03-02T09:59:00.000Z'),
      EndTime: new Date('2026-03-02T10:00:00.000Z'),
    });
  });

  it("asks for the canary colour's alarms, metric and composite", async () => {
    metrics(healthy);
    await judge();
    expect(inputsOf(cw, DescribeAlarmsCommand)).toEqual([
      { AlarmNames: s.alarms.green, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
    ]);
  });

  it('does not ask for alarms when the colour has none', async () => {
    metrics(healthy);
    await judgeCanaryStep(
      { settings: { ...s, alarms: { blue: [], green: [] } }, plan: canaryPlan(), progress: canaryProgress() },
      { cloudwatch: new CloudWatchClient({}), now: NOW },
    );
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });
});

describe('judgeCanaryStep decides', () => {
  const judge = (progress: CanaryProgress) =>
    judgeCanaryStep(
      { settings: s, plan: canaryPlan(), progress },
      { cloudwatch: new CloudWatchClient({}), now: NOW },
    );
  const metrics = (results: Record<string, number[]>) =>
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: Object.entries(results).map(([Id, Values]) => ({ Id, Values })),
    });
  const noAlarms = () => cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });

  it('passes a healthy step and moves to the next one, keeping the judgement with its numbers', async () => {
    noAlarms();
    metrics({
      req0: [100, 100],
      err0: [1, 0],
      p990: [0.3, 0.5],
      req1: [900, 900],
      err1: [9, 9],
      p991: [0.4, 0.4],
    });
    const p = await judge(canaryProgress({ step: 0, weight: 10, stepStartedAt: at(-180).toISOString() }));
    expect(p).toMatchObject({ step: 1, done: false, weight: 10 });
    expect(p.judgements).toEqual([
      {
        weight: 10,
        verdict: 'pass',
        reasons: [],
        canary: { requests: 200, errors5xx: 1, errorRatio: 0.005, p99LatencySeconds: 0.5 },
        baseline: { requests: 1800, errors5xx: 18, errorRatio: 0.01, p99LatencySeconds: 0.4 },
        alarmsInAlarm: [],
      },
    ]);
  });

  it('is done after the last step passes', async () => {
    noAlarms();
    metrics({ req0: [1000], err0: [0], p990: [0.3], req1: [], err1: [], p991: [] });
    const p = await judge(canaryProgress({ step: 2, weight: 100 }));
    expect(p).toMatchObject({ step: 3, done: true });
  });

  it('judges a step with no data points as thin traffic', async () => {
    noAlarms();
    metrics({});
    const p = await judge(canaryProgress({ step: 0, weight: 10 }));
    expect(p.judgements[0]).toMatchObject({
      verdict: 'pass',
      canary: { requests: 0, errors5xx: 0, errorRatio: 0, p99LatencySeconds: null },
      reasons: ['thin traffic: 0 canary requests < 50, judged on alarms only'],
    });
  });

  it('fails with CanaryFailed naming the step, the image, the reasons and the numbers', async () => {
    noAlarms();
    metrics({
      req0: [500, 500],
      err0: [40, 40],
      p990: [0.5, 0.6],
      req1: [500, 500],
      err1: [5, 5],
      p991: [0.5, 0.5],
    });
    const error = await judge(canaryProgress({ step: 1, weight: 50 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CanaryFailed);
    expect((error as Error).message).toBe(
      `step 2/3 at 50 % on ${NEW_AMI}: canary 5xx ratio 0.08 > 0.05 (80/1000); ` +
        'canary 5xx ratio 0.08 exceeds baseline 0.01 by more than 0.02 ' +
        '(canary 1000 requests, 80 5xx (8.00 %), p99 0.600 s; baseline 1000 requests, 10 5xx (1.00 %), p99 0.500 s)',
    );
  });

  it('fails when a canary alarm, metric or composite, is in ALARM', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'immutable-dev-green-5xx', StateValue: 'OK' },
        { AlarmName: 'immutable-dev-green-latency', StateValue: 'ALARM' },
      ],
      CompositeAlarms: [{ AlarmName: 'immutable-dev-green-health', StateValue: 'ALARM' }],
    });
    metrics({ req0: [1000], err0: [0], p990: [0.3], req1: [1000], err1: [0], p991: [0.3] });
    await expect(judge(canaryProgress({ step: 0, weight: 10 }))).rejects.toThrow(
      /^step 1\/3 at 10 % on ami-0bbbbbbbbbbbbbbbb: alarm immutable-dev-green-latency is in ALARM; alarm immutable-dev-green-health is in ALARM /,
    );
  });

  it('does not count an alarm with INSUFFICIENT_DATA', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'immutable-dev-green-5xx', StateValue: 'INSUFFICIENT_DATA' }],
    });
    metrics({ req0: [1000], err0: [0], p990: [0.3], req1: [1000], err1: [0], p991: [0.3] });
    await expect(judge(canaryProgress({ step: 0, weight: 10 }))).resolves.toMatchObject({ step: 1 });
  });

  it('takes the worst minute as the step p99', async () => {
    noAlarms();
    metrics({
      req0: [500, 500],
      err0: [0, 0],
      p990: [0.3, 2.4, 0.2],
      req1: [500, 500],
      err1: [0, 0],
      p991: [0.3],
    });
    await expect(judge(canaryProgress({ step: 0, weight: 10 }))).rejects.toThrow('canary p99 2.4 s > 2 s');
  });
});
