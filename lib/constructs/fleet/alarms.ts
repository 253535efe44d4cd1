import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { Colour } from '../../../lambda/shared/colours';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { FleetConfig } from '../../config';
import { fleetAlarmNames } from '../../../lambda/shared/names';

/** ALB metrics are published per minute; the alarms judge minute by minute. */
export const ALARM_PERIOD = Duration.minutes(1);

/** The alarms that judge one colour. */
export interface ColourAlarms {
  readonly errors5xx: cloudwatch.IAlarm;
  readonly latency: cloudwatch.IAlarm;
  readonly unhealthyHosts: cloudwatch.IAlarm;
  /** Composite: ALARM when any of the three is. */
  readonly fleetUnhealthy: cloudwatch.IAlarm;
}

/** The metrics behind one colour's alarms, all per target group. */
export class ColourMetrics {
  constructor(private readonly targetGroup: elbv2.ApplicationTargetGroup) {}

  requestCount(): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCount({ period: ALARM_PERIOD, statistic: 'Sum' });
  }

  errors5xxCount(): cloudwatch.Metric {
    return this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      period: ALARM_PERIOD,
      statistic: 'Sum',
    });
  }

  p99Latency(): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime({ period: ALARM_PERIOD, statistic: 'p99' });
  }

  unhealthyHosts(): cloudwatch.Metric {
    return this.targetGroup.metrics.unhealthyHostCount({ period: ALARM_PERIOD, statistic: 'Maximum' });
  }

  /**
   * Target 5xx responses per request. ELB publishes a count only in minutes where it is
   * non-zero, so a healthy minute would otherwise have no ratio at all: FILL makes it 0.
   * Minutes without requests stay empty (missing data, not breaching).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
   */
  errors5xxRatio(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'FILL(m5xx, 0) / requests',
      usingMetrics: { m5xx: this.errors5xxCount(), requests: this.requestCount() },
      period: ALARM_PERIOD,
      label: '5xx ratio',
    });
  }
}

export interface FleetAlarmsProps {
  readonly environment: EnvironmentName;
  readonly colour: Colour;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly alarms: FleetConfig['alarms'];
}

/**
 * One colour's rollout judges. Missing data is "not breaching": an idle colour has no
 * traffic, and an alarm in INSUFFICIENT_DATA would refuse to start an instance refresh.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 */
export class FleetAlarms extends Construct implements ColourAlarms {
  readonly metrics: ColourMetrics;
  readonly errors5xx: cloudwatch.Alarm;
  readonly latency: cloudwatch.Alarm;
  readonly unhealthyHosts: cloudwatch.Alarm;
  readonly fleetUnhealthy: cloudwatch.CompositeAlarm;

  constructor(scope: Construct, id: string, props: FleetAlarmsProps) {
    super(scope, id);
    const { alarms, colour } = props;
    const names = fleetAlarmNames(props.environment, colour);
    this.metrics = new ColourMetrics(props.targetGroup);
    const judged = {
      evaluationPeriods: alarms.evaluationPeriods,
      datapointsToAlarm: alarms.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };

    this.errors5xx = new cloudwatch.Alarm(this, 'Errors5xx', {
      ...judged,
      alarmName: names.errors5xx,
      alarmDescription: `${colour}: target 5xx responses above ${alarms.max5xxRatio * 100} % of requests`,
      metric: this.metrics.errors5xxRatio(),
      threshold: alarms.max5xxRatio,
    });
    this.latency = new cloudwatch.Alarm(this, 'Latency', {
      ...judged,
      alarmName: names.latency,
      alarmDescription: `${colour}: p99 target response time above ${alarms.p99LatencySeconds} s`,
      metric: this.metrics.p99Latency(),
      threshold: alarms.p99LatencySeconds,
    });
    this.unhealthyHosts = new cloudwatch.Alarm(this, 'UnhealthyHosts', {
      ...judged,
      alarmName: names.unhealthyHosts,
      alarmDescription: `${colour}: more than ${alarms.maxUnhealthyHosts} unhealthy targets`,
      metric: this.metrics.unhealthyHosts(),
      threshold: alarms.maxUnhealthyHosts,
    });
    this.fleetUnhealthy = new cloudwatch.CompositeAlarm(this, 'FleetUnhealthy', {
      compositeAlarmName: names.fleetUnhealthy,
      alarmDescription: `${colour}: any of the 5xx, latency or unhealthy-hosts alarms`,
      alarmRule: cloudwatch.AlarmRule.anyOf(
        ...[this.errors5xx, this.latency, this.unhealthyHosts].map((a) =>
          cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM),
        ),
      ),
    });
  }
}
