import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { FLEET_METRICS } from '../../../lambda/shared/operations';
import { ROLLOUT_METRICS_NAMESPACE, ROLLOUT_METRICS_SERVICE } from '../rollout/metrics';

/**
 * A metric the fleet check publishes (lambda/handlers/check-fleet.ts): Powertools adds the
 * `service` dimension to each, and CloudWatch matches a metric only by its full set of dimensions.
 */
export function fleetMetric(
  environment: string,
  name: keyof typeof FLEET_METRICS,
  options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ROLLOUT_METRICS_NAMESPACE,
    metricName: FLEET_METRICS[name],
    dimensionsMap: { service: ROLLOUT_METRICS_SERVICE, environment },
    statistic: 'Maximum',
    period: Duration.minutes(15),
    ...options,
  });
}

/**
 * Every series of a fleet metric split by `dimension` (image or colour): AMI ids are known only
 * at run time, so a SEARCH finds the series rather than the template naming them.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
 */
export function fleetMetricSearch(
  environment: string,
  name: keyof typeof FLEET_METRICS,
  dimension: 'image' | 'colour',
  label: string,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression:
      `SEARCH('{${ROLLOUT_METRICS_NAMESPACE},${dimension},environment,service} ` +
      `MetricName="${FLEET_METRICS[name]}" environment="${environment}"', 'Maximum', 900)`,
    label,
    period: Duration.minutes(15),
  });
}
