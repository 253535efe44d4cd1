import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchCanaryMetrics } from '../../../lambda/aws/cloudwatch';
import { settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';

const cw = mockClient(CloudWatchClient);
const s = settings();
const metrics = () => new CloudWatchCanaryMetrics(new CloudWatchClient({}));
const target = (colour: 'blue' | 'green') => ({
  targetGroup: s.targetGroupDimensions[colour],
  loadBalancer: s.loadBalancerDimension,
});
const start = new Date('2026-03-02T09:58:00.000Z');
const end = new Date('2026-03-02T10:00:00.000Z');

beforeEach(() => cw.reset());

describe('CloudWatchCanaryMetrics.perMinute', () => {
  it('queries requests, 5xx and p99 of every target group per minute, in one request', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await metrics().perMinute([target('green'), target('blue')], start, end);
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
    expect(inputsOf(cw, GetMetricDataCommand)).toEqual([
      {
        MetricDataQueries: [
          query('req0', 'green', 'RequestCount', 'Sum'),
          query('err0', 'green', 'HTTPCode_Target_5XX_Count', 'Sum'),
          query('p990', 'green', 'TargetResponseTime', 'p99'),
          query('req1', 'blue', 'RequestCount', 'Sum'),
          query('err1', 'blue', 'HTTPCode_Target_5XX_Count', 'Sum'),
          query('p991', 'blue', 'TargetResponseTime', 'p99'),
        ],
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampDescending',
      },
    ]);
  });

  it("returns each target group's series by its ids, and none where CloudWatch has none", async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'p990', Values: [0.41, 0.45], StatusCode: 'Complete', Timestamps: [] },
        { Id: 'req0', Values: [300, 320] },
        { Id: 'err0', Values: [0, 1] },
        { Id: 'req1', Values: [900] },
      ],
    });
    expect(await metrics().perMinute([target('green'), target('blue')], start, end)).toEqual([
      { requests: [300, 320], errors5xx: [0, 1], p99LatencySeconds: [0.41, 0.45] },
      { requests: [900], errors5xx: [], p99LatencySeconds: [] },
    ]);
  });
});

describe('CloudWatchCanaryMetrics.inAlarm', () => {
  it('asks for the alarms by name, metric and composite, and returns those in ALARM', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'immutable-dev-green-5xx', StateValue: 'OK' },
        { AlarmName: 'immutable-dev-green-latency', StateValue: 'ALARM' },
      ],
      CompositeAlarms: [{ AlarmName: 'immutable-dev-green-health', StateValue: 'ALARM' }],
    });
    const names = [...s.alarms.green, 'immutable-dev-green-health'];
    expect(await metrics().inAlarm(names)).toEqual([
      'immutable-dev-green-latency',
      'immutable-dev-green-health',
    ]);
    expect(inputsOf(cw, DescribeAlarmsCommand)).toEqual([
      { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
    ]);
  });

  it('does not count an alarm with INSUFFICIENT_DATA', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'immutable-dev-green-5xx', StateValue: 'INSUFFICIENT_DATA' }],
    });
    expect(await metrics().inAlarm(s.alarms.green)).toEqual([]);
  });

  it('does not ask at all for no alarms', async () => {
    expect(await metrics().inAlarm([])).toEqual([]);
    expect(cw.calls()).toHaveLength(0);
  });
});
