import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { operationsNames } from '../../../lambda/shared/operations';
import type { OnInteractiveAccess } from '../../../lambda/shared/operations';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import { productFunction } from '../functions/product-function';
import { ROLLOUT_METRICS_NAMESPACE } from '../rollout/metrics';
import type { RolloutFleet } from '../rollout/rollout-fleet';
import { deadLetteredTarget } from '../events/dead-letters';
import { fleetMetric } from './fleet-metrics';
import type { OperatedWorkflow } from './operated-workflow';

export interface FleetCheckProps {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  readonly workflow: OperatedWorkflow;
  /** The names the check reads: groups, listener, target groups, runtime parameters. */
  readonly names: Pick<WorkflowSettings, 'groups' | 'listenerArn' | 'targetGroups' | 'parameters'>;
  readonly onInteractiveAccess: OnInteractiveAccess;
  /** Phoenix rotations skip a fleet younger than this. */
  readonly maxInstanceAgeDays: number;
  /** Slack before the fleet-age alarm fires: the phoenix schedule's period, and time to notice. */
  readonly fleetAgeGraceDays: number;
  /**
   * How often the fleet is looked at.
   * @default 15 minutes
   */
  readonly every?: Duration;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The scheduled look at the fleet: a function that publishes its age, shape, drift and tainted
 * instances as metrics (and replaces tainted instances whose replace was deferred), run on a
 * schedule whatever rollouts do, with two alarms to the notification topic: the fleet-age SLO
 * (the oldest instance is older than maxInstanceAgeDays plus the grace: rotations stopped) and
 * drift (the fleet is not what was released).
 */
export class FleetCheck extends Construct {
  readonly function: lambda.Function;
  readonly fleetAgeAlarm: cloudwatch.Alarm;
  readonly driftAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FleetCheckProps) {
    super(scope, id);
    const { environment, workflow } = props;
    const names = operationsNames(environment);
    const fn = productFunction(this, 'check-fleet', {
      handler: 'check-fleet',
      description: `Immutable fleet operations (${environment}): check-fleet`,
      logRetention: props.logRetention,
      service: `immutable-rollout-${environment}`,
      metricsNamespace: ROLLOUT_METRICS_NAMESPACE,
    });
    this.function = fn;
    // Only the names the check reads: Lambda holds at most 4 KB of environment variables.
    const { groups, listenerArn, targetGroups, parameters } = props.names;
    fn.addEnvironment(
      'FLEET',
      Stack.of(this).toJsonString({ environment, groups, listenerArn, targetGroups, parameters }),
    );
    fn.addEnvironment('ON_INTERACTIVE_ACCESS', props.onInteractiveAccess);
    fn.addEnvironment('TABLE_NAME', workflow.table.tableName);
    fn.addEnvironment('STATE_MACHINE_ARN', workflow.stateMachine.stateMachineArn);
    fn.addEnvironment('TOPIC_ARN', workflow.topic.topicArn);

    // Reads only: none of these supports resource-level permissions.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'ec2:DescribeInstances',
          'ec2:DescribeImages',
          'elasticloadbalancing:DescribeListeners',
        ],
        resources: ['*'],
      }),
    );
    props.fleet.grantReadRuntimeState(fn);
    workflow.table.grant(fn, 'dynamodb:GetItem');
    workflow.grantPublish(fn);
    if (props.onInteractiveAccess === 'replace') workflow.stateMachine.grantStartExecution(fn);

    new events.Rule(this, 'Schedule', {
      ruleName: names.fleetCheckSchedule,
      description: `Sample the ${environment} fleet's age and drift, whether or not rollouts run`,
      schedule: events.Schedule.rate(props.every ?? Duration.minutes(15)),
      targets: [deadLetteredTarget(fn, workflow.deadLetters, 2, Duration.minutes(10))],
    });

    const topic = new cloudwatchActions.SnsAction(workflow.topic);
    const threshold = props.maxInstanceAgeDays + props.fleetAgeGraceDays;
    this.fleetAgeAlarm = new cloudwatch.Alarm(this, 'FleetAgeAlarm', {
      alarmName: names.fleetAgeAlarm,
      alarmDescription:
        `The oldest ${environment} instance is older than ${threshold} days (maxInstanceAgeDays ` +
        `${props.maxInstanceAgeDays} + fleetAgeGraceDays ${props.fleetAgeGraceDays}): phoenix rotations stopped happening`,
      metric: fleetMetric(environment, 'oldestInstanceAgeDays', { period: Duration.hours(1) }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No sample at all means the check itself stopped: that hides the fleet's age, so it alarms too.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.driftAlarm = new cloudwatch.Alarm(this, 'DriftAlarm', {
      alarmName: names.driftAlarm,
      alarmDescription: `The ${environment} fleet drifted from what was released; run npm run drift -- --env ${environment}`,
      metric: fleetMetric(environment, 'driftFindings'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Two checks in a row: a rollout finishing between the reads of one check is not drift.
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.fleetAgeAlarm, this.driftAlarm]) {
      alarm.addAlarmAction(topic);
      alarm.addOkAction(topic);
    }
  }
}
