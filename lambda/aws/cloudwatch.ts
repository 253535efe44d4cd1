import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CanaryMetrics, MinuteSeries, TargetGroupMetrics } from '../canary/ports';

/**
 * The Application Load Balancer's per-target-group metrics, and the fleet's alarms.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export class CloudWatchCanaryMetrics implements CanaryMetrics {
  constructor(private readonly cloudwatch: CloudWatchClient) {}

  async perMinute(targets: readonly TargetGroupMetrics[], start: Date, end: Date): Promise<MinuteSeries[]> {
    const metric = (id: string, target: TargetGroupMetrics, name: string, stat: string): MetricDataQuery => ({
      Id: id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: name,
          Dimensions: [
            { Name: 'TargetGroup', Value: target.targetGroup },
            { Name: 'LoadBalancer', Value: target.loadBalancer },
          ],
        },
        Period: 60,
        Stat: stat,
      },
    });
    // One request for every target group: the ids tell their series apart.
    const queries = targets.flatMap((t, i) => [
      metric(`req${i}`, t, 'RequestCount', 'Sum'),
      metric(`err${i}`, t, 'HTTPCode_Target_5XX_Count', 'Sum'),
      metric(`p99${i}`, t, 'TargetResponseTime', 'p99'),
    ]);
    const out = await this.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampDescending',
      }),
    );
    const values = (id: string) => out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
    return targets.map((_, i) => ({
      requests: values(`req${i}`),
      errors5xx: values(`err${i}`),
      p99LatencySeconds: values(`p99${i}`),
    }));
  }

  async inAlarm(names: readonly string[]): Promise<string[]> {
    // Asked with no names, DescribeAlarms would list every alarm in the account.
    if (names.length === 0) return [];
    const out = await this.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]
      .filter((a) => a.StateValue === 'ALARM')
      .map((a) => a.AlarmName ?? 'unnamed');
  }
}
