import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { COLOURS } from '../../../lambda/shared/colours';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { operationsNames, ROLLOUTS_STARTED_METRIC } from '../../../lambda/shared/operations';
import { ROLLOUT_METRICS_NAMESPACE } from '../rollout/metrics';
import type { RolloutFleet } from '../rollout/rollout-fleet';
import { fleetMetric, fleetMetricSearch } from './fleet-metrics';
import type { OperatedWorkflow } from './operated-workflow';

export interface FleetDashboardProps {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  readonly workflow: OperatedWorkflow;
  /** The fleet check's alarms, shown with the fleet's. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly maxInstanceAgeDays: number;
  readonly fleetAgeGraceDays: number;
}

const WIDTH = 24;

/**
 * One CloudWatch dashboard per environment, built with the L2 `Dashboard`: every widget reads a
 * metric this product publishes or an alarm it defines, so a library of generic per-service
 * monitors (cdk-monitoring-constructs) would add a dependency and widgets nobody reads.
 */
export class FleetDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: FleetDashboardProps) {
    super(scope, id);
    const { environment, fleet, workflow } = props;
    const ageThreshold = props.maxInstanceAgeDays + props.fleetAgeGraceDays;

    this.dashboard = new cloudwatch.Dashboard(this, 'Default', {
      dashboardName: operationsNames(environment).dashboard,
      defaultInterval: Duration.days(7),
    });
    const fleetAlarms = COLOURS.flatMap((c) => {
      const a = fleet.alarms[c];
      return [a.fleetUnhealthy, a.errors5xx, a.latency, a.unhealthyHosts];
    });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# ${environment} fleet\n` +
          `Instances older than **${props.maxInstanceAgeDays} days** are rotated by phoenix; the fleet-age alarm fires past **${ageThreshold} days**. ` +
          `\`npm run status -- --env ${environment}\` and \`npm run drift -- --env ${environment}\` tell the rest.`,
        width: WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms, ...fleetAlarms],
        width: WIDTH,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Instances per image',
        left: [fleetMetricSearch(environment, 'instances', 'image', '')],
        stacked: true,
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Instances per colour',
        left: [fleetMetricSearch(environment, 'instances', 'colour', '')],
        stacked: true,
        width: 8,
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Released image age (days)',
        metrics: [fleetMetric(environment, 'releasedImageAgeDays', { label: 'released image age' })],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Instance age (days)',
        left: [
          fleetMetric(environment, 'oldestInstanceAgeDays', { label: 'oldest' }),
          fleetMetric(environment, 'medianInstanceAgeDays', { label: 'median' }),
        ],
        leftAnnotations: [
          { value: props.maxInstanceAgeDays, label: 'maxInstanceAgeDays', color: '#ff7f0e' },
          { value: ageThreshold, label: 'fleet-age alarm', color: '#d62728' },
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Drift findings and tainted instances',
        left: [
          fleetMetric(environment, 'driftFindings', { label: 'drift findings' }),
          fleetMetric(environment, 'taintedInstances', { label: 'tainted instances serving' }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Rollouts',
        left: [
          ledgerSearch(environment, 'SUM', ROLLOUTS_STARTED_METRIC, 'Sum', 'Started'),
          ledgerSearch(environment, 'SUM', 'Rollouts', 'Sum', 'Succeeded', 'SUCCEEDED'),
          ledgerSearch(environment, 'SUM', 'Rollouts', 'Sum', 'Failed', 'FAILED'),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rollout duration (s)',
        left: [
          ledgerSearch(environment, 'MAX', 'RolloutDuration', 'Maximum', 'Longest succeeded', 'SUCCEEDED'),
          ledgerSearch(environment, 'MAX', 'RolloutDuration', 'Maximum', 'Longest failed', 'FAILED'),
        ],
        width: 12,
      }),
    );
    // Each colour's judging alarms with their thresholds: a canary's steps show as its colour's series.
    this.dashboard.addWidgets(
      ...COLOURS.flatMap((c) => [
        new cloudwatch.AlarmWidget({ title: `${c}: 5xx ratio`, alarm: fleet.alarms[c].errors5xx, width: 6 }),
        new cloudwatch.AlarmWidget({ title: `${c}: p99 latency`, alarm: fleet.alarms[c].latency, width: 6 }),
      ]),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Rollout trigger dead letters',
        left: [
          workflow.deadLetters.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: Duration.minutes(5),
            label: 'messages waiting',
          }),
        ],
        width: WIDTH,
      }),
    );
  }
}

/**
 * A ledger metric combined across actions by a search, per hour: several such series share one
 * graph, where metric math over named metrics could not (the ids would repeat).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
 */
function ledgerSearch(
  environment: string,
  combine: 'SUM' | 'MAX',
  metricName: string,
  statistic: 'Sum' | 'Maximum',
  label: string,
  outcome?: string,
): cloudwatch.MathExpression {
  const schema = outcome
    ? `{${ROLLOUT_METRICS_NAMESPACE},action,environment,outcome,service}`
    : `{${ROLLOUT_METRICS_NAMESPACE},action,environment,service}`;
  const filter = `MetricName="${metricName}" environment="${environment}"${outcome ? ` outcome="${outcome}"` : ''}`;
  return new cloudwatch.MathExpression({
    expression: `${combine}(SEARCH('${schema} ${filter}', '${statistic}', 3600))`,
    label,
    period: Duration.hours(1),
  });
}
