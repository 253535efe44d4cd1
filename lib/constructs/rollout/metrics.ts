import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Action, Outcome } from '../../../lambda/shared/documents';
import { ROLLOUTS_STARTED_METRIC } from '../../../lambda/shared/operations';

/** The CloudWatch namespace the rollout functions publish to (POWERTOOLS_METRICS_NAMESPACE). */
export const ROLLOUT_METRICS_NAMESPACE = 'ImmutableFleet';

/**
 * The `service` dimension Powertools adds to every metric the functions publish. The handlers
 * create their Metrics with serviceName 'immutable-rollout' (lambda/runtime/handler.ts), and
 * Powertools prefers that option to the POWERTOOLS_SERVICE_NAME variable the functions get
 * (Metrics#resolveServiceName in @aws-lambda-powertools/metrics 2.36), so the dimension is the
 * same in every environment. metrics.test.ts checks it against what the ledger emits.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/metrics/
 */
export const ROLLOUT_METRICS_SERVICE = 'immutable-rollout';

/** Every action a rollout can take, as the ledger handler reports it in the `action` dimension. */
export const ROLLOUT_ACTIONS = Object.keys({
  phoenix: true,
  canary: true,
  rollback: true,
  restore: true,
  replace: true,
} satisfies Record<Action, true>) as Action[];

export interface RolloutMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Only rollouts of this action.
   * @default every action: metric math over one series per action, whose statistic is fixed
   * (Sum for counts, Maximum for durations) because no other combines exactly across series
   */
  readonly action?: Action;
}

export interface RolloutDurationMetricOptions extends RolloutMetricOptions {
  /**
   * Only rollouts that ended so.
   * @default 'SUCCEEDED'
   */
  readonly outcome?: Outcome;
}

/**
 * One of the metrics the ledger publishes when a rollout finishes (lambda/handlers/ledger.ts):
 * its dimensions are exactly `service`, `environment`, `action` and `outcome`, since CloudWatch
 * matches a metric only by its full set of dimensions (and environments may share an account).
 */
function ledgerMetric(
  environment: string,
  metricName: string,
  action: Action,
  outcome: Outcome,
  options: cloudwatch.MetricOptions,
): Metric {
  return new Metric({
    ...options,
    namespace: ROLLOUT_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: ROLLOUT_METRICS_SERVICE, environment, action, outcome },
  });
}

/** Rollouts that took the lock, per action (published by the ledger's lock step). */
export function rolloutsStarted(
  environment: string,
  action: Action,
  options: cloudwatch.MetricOptions = {},
): Metric {
  return new Metric({
    statistic: 'Sum',
    ...options,
    namespace: ROLLOUT_METRICS_NAMESPACE,
    metricName: ROLLOUTS_STARTED_METRIC,
    dimensionsMap: { service: ROLLOUT_METRICS_SERVICE, environment, action },
  });
}

/**
 * A ledger metric for one action, or for all of them combined by `combine` (SUM or MAX of an
 * array of time series: one value per period, across the series).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html#metric-math-syntax
 */
function acrossActions(
  environment: string,
  metricName: string,
  outcome: Outcome,
  combine: { readonly fn: 'SUM' | 'MAX'; readonly statistic: string; readonly label: string },
  props: RolloutMetricOptions,
): cloudwatch.IMetric {
  const { action, ...options } = props;
  if (action)
    return ledgerMetric(environment, metricName, action, outcome, {
      statistic: combine.statistic,
      ...options,
    });
  if (options.statistic !== undefined && options.statistic !== combine.statistic) {
    throw new Error(
      `${metricName} across actions can only be combined with statistic ${combine.statistic} ` +
        `(give an action for another), got ${options.statistic}`,
    );
  }
  const { label = combine.label, period, color, ...metricOptions } = options;
  return new MathExpression({
    expression: `${combine.fn}([${ROLLOUT_ACTIONS.join(', ')}])`,
    usingMetrics: Object.fromEntries(
      ROLLOUT_ACTIONS.map((a) => [
        a,
        ledgerMetric(environment, metricName, a, outcome, {
          ...metricOptions,
          statistic: combine.statistic,
          period,
        }),
      ]),
    ),
    label,
    period,
    color,
  });
}

/** Rollouts that ended so (FAILED: traffic back on the released image), per period. */
export function rolloutsEnded(
  environment: string,
  outcome: Outcome,
  props: RolloutMetricOptions = {},
): cloudwatch.IMetric {
  return acrossActions(
    environment,
    'Rollouts',
    outcome,
    { fn: 'SUM', statistic: 'Sum', label: `${outcome.charAt(0)}${outcome.slice(1).toLowerCase()} rollouts` },
    props,
  );
}

/** Rollouts that ended FAILED (traffic back on the released image), per period. */
export function rolloutsFailed(environment: string, props: RolloutMetricOptions = {}): cloudwatch.IMetric {
  return acrossActions(
    environment,
    'Rollouts',
    'FAILED',
    { fn: 'SUM', statistic: 'Sum', label: 'Failed rollouts' },
    props,
  );
}

/** Seconds from a rollout's start to its outcome being recorded; the longest in each period by default. */
export function rolloutDuration(
  environment: string,
  props: RolloutDurationMetricOptions = {},
): cloudwatch.IMetric {
  const { outcome = 'SUCCEEDED', ...rest } = props;
  return acrossActions(
    environment,
    'RolloutDuration',
    outcome,
    { fn: 'MAX', statistic: 'Maximum', label: `Longest rollout (${outcome})` },
    rest,
  );
}
