import type {
  CompositeAlarm,
  DescribeAlarmsCommandInput,
  DescribeAlarmsCommandOutput,
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricAlarm,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { awsError, SimulatorUnsupportedError } from '../errors';
import { METRIC_STATS, type MetricName } from '../traffic';
import type { World } from '../world';

type Out<T> = Omit<T, '$metadata'>;
const invalidValue = (message: string) => awsError('cloudWatch', 'InvalidParameterValue', message);
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

/** CloudWatch: alarm states and the ALB metrics of the traffic model. */
export class CloudWatchService {
  constructor(private readonly world: World) {}

  /**
   * Without AlarmTypes only metric alarms are returned, as in AWS.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
   */
  describeAlarms(input: DescribeAlarmsCommandInput): Out<DescribeAlarmsCommandOutput> {
    if (input.AlarmNames && input.AlarmNamePrefix)
      throw awsError(
        'cloudWatch',
        'InvalidParameterCombination',
        'AlarmNames and AlarmNamePrefix cannot be used together',
      );
    if ((input.AlarmNames?.length ?? 0) > 100) throw invalidValue('AlarmNames can have at most 100 members');
    if (input.ChildrenOfAlarmName || input.ParentsOfAlarmName || input.ActionPrefix)
      throw new SimulatorUnsupportedError(
        'DescribeAlarms by children, parents or action prefix is not simulated',
      );
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const wanted = (name: string, state: string) =>
      (!input.AlarmNames || input.AlarmNames.includes(name)) &&
      (!input.AlarmNamePrefix || name.startsWith(input.AlarmNamePrefix)) &&
      (!input.StateValue || input.StateValue === state);
    const traffic = this.world.traffic;
    const { region, accountId } = this.world.spec;
    const arn = (name: string) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
    const metricAlarms: MetricAlarm[] = [];
    if (types.includes('MetricAlarm')) {
      for (const alarm of traffic.alarms.values()) {
        if (!wanted(alarm.spec.name, alarm.state)) continue;
        const target = this.world.spec.targetGroups.find((t) => t.arn === alarm.spec.targetGroupArn);
        const dimensions = [
          { Name: 'TargetGroup', Value: target?.fullName },
          { Name: 'LoadBalancer', Value: target?.loadBalancerFullName },
        ];
        const metric =
          alarm.spec.kind === 'latency'
            ? { MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99' }
            : alarm.spec.kind === 'unhealthy-hosts'
              ? { MetricName: 'UnHealthyHostCount', Statistic: 'Maximum' as const }
              : undefined;
        metricAlarms.push({
          AlarmName: alarm.spec.name,
          AlarmArn: arn(alarm.spec.name),
          StateValue: alarm.state,
          StateReason: alarm.reason,
          StateUpdatedTimestamp: this.world.dateAt(alarm.updatedAt),
          ...(metric
            ? {
                ...metric,
                Namespace: 'AWS/ApplicationELB',
                Dimensions: dimensions,
                Period: alarm.spec.periodSeconds,
              }
            : {
                Metrics: [
                  { Id: 'ratio', Expression: 'errors / requests', ReturnData: true },
                  {
                    Id: 'errors',
                    ReturnData: false,
                    MetricStat: {
                      Metric: {
                        Namespace: 'AWS/ApplicationELB',
                        MetricName: 'HTTPCode_Target_5XX_Count',
                        Dimensions: dimensions,
                      },
                      Period: alarm.spec.periodSeconds,
                      Stat: 'Sum',
                    },
                  },
                  {
                    Id: 'requests',
                    ReturnData: false,
                    MetricStat: {
                      Metric: {
                        Namespace: 'AWS/ApplicationELB',
                        MetricName: 'RequestCount',
                        Dimensions: dimensions,
                      },
                      Period: alarm.spec.periodSeconds,
                      Stat: 'Sum',
                    },
                  },
                ],
              }),
          Threshold: alarm.spec.threshold,
          EvaluationPeriods: alarm.spec.evaluationPeriods,
          DatapointsToAlarm: alarm.spec.datapointsToAlarm,
          ComparisonOperator: alarm.spec.comparisonOperator ?? 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          ActionsEnabled: false,
        });
      }
    }
    const compositeAlarms: CompositeAlarm[] = [];
    if (types.includes('CompositeAlarm')) {
      for (const composite of traffic.composites.values()) {
        if (!wanted(composite.name, composite.state)) continue;
        compositeAlarms.push({
          AlarmName: composite.name,
          AlarmArn: arn(composite.name),
          AlarmRule: composite.children.map((c) => `ALARM("${c}")`).join(' OR '),
          StateValue: composite.state,
          StateReason: composite.reason,
          StateUpdatedTimestamp: this.world.dateAt(composite.updatedAt),
          ActionsEnabled: false,
        });
      }
    }
    return { MetricAlarms: metricAlarms, CompositeAlarms: compositeAlarms };
  }

  /**
   * MetricStat queries on AWS/ApplicationELB by TargetGroup + LoadBalancer; results newest first.
   * A metric that does not exist (wrong dimensions) has no datapoints, as in CloudWatch. Metric
   * math is refused: the handlers compute their ratios themselves.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html
   */
  getMetricData(input: GetMetricDataCommandInput): Out<GetMetricDataCommandOutput> {
    const queries = input.MetricDataQueries ?? [];
    if (queries.length === 0)
      throw awsError('cloudWatch', 'MissingParameter', 'The parameter MetricDataQueries is required.');
    if (queries.length > 500) throw invalidValue('MetricDataQueries can have at most 500 members');
    if (!input.StartTime || !input.EndTime)
      throw awsError('cloudWatch', 'MissingParameter', 'The parameters StartTime and EndTime are required.');
    const start = new Date(input.StartTime).getTime() / 1000;
    const end = new Date(input.EndTime).getTime() / 1000;
    if (!(start < end))
      throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
    const ids = new Set<string>();
    const results: MetricDataResult[] = [];
    const order = input.ScanBy ?? 'TimestampDescending';
    for (const query of queries) {
      const id = query.Id ?? '';
      if (!QUERY_ID.test(id))
        throw invalidValue(
          `The value ${id} for parameter MetricDataQueries.member.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
        );
      if (ids.has(id))
        throw invalidValue(`The value ${id} for parameter MetricDataQueries.member.Id is duplicated.`);
      ids.add(id);
      if (query.Expression !== undefined)
        throw new SimulatorUnsupportedError(
          `GetMetricData metric math (query ${id}: ${query.Expression}) is not simulated`,
        );
      const stat = query.MetricStat;
      if (!stat)
        throw awsError(
          'cloudWatch',
          'MissingParameter',
          `Query ${id} needs either MetricStat or Expression.`,
        );
      const period = stat.Period ?? 0;
      if (!(period >= 60 && period % 60 === 0)) {
        if ([1, 5, 10, 20, 30].includes(period))
          throw new SimulatorUnsupportedError(
            `High-resolution period ${period} is not simulated (ALB metrics are per minute)`,
          );
        throw invalidValue(
          `The parameter MetricDataQueries.member.MetricStat.Period must be 1, 5, 10, 20, 30, 60 or a multiple of 60, got ${period}.`,
        );
      }
      const metric = stat.Metric;
      const name = metric?.MetricName as MetricName;
      if (metric?.Namespace !== 'AWS/ApplicationELB' || !(name in METRIC_STATS))
        throw new SimulatorUnsupportedError(
          `Metric ${metric?.Namespace}/${metric?.MetricName} is not simulated`,
        );
      if (!METRIC_STATS[name].includes(stat.Stat ?? ''))
        throw new SimulatorUnsupportedError(
          `Statistic ${stat.Stat} of ${name} is not simulated (${METRIC_STATS[name].join(', ')})`,
        );
      const dims = new Map((metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      const target = this.world.spec.targetGroups.find(
        (t) =>
          dims.size === 2 &&
          dims.get('TargetGroup') === t.fullName &&
          dims.get('LoadBalancer') === t.loadBalancerFullName,
      );
      let points = target
        ? this.world.traffic.series(target.arn, name, stat.Stat as string, period, start, end)
        : [];
      if (order === 'TimestampDescending') points = points.reverse();
      results.push({
        Id: id,
        Label: query.Label ?? name,
        Timestamps: points.map((p) => new Date(p.timestamp * 1000)),
        Values: points.map((p) => p.value),
        StatusCode: 'Complete',
      });
    }
    return { MetricDataResults: results.filter((_, i) => queries[i]?.ReturnData !== false), Messages: [] };
  }
}
