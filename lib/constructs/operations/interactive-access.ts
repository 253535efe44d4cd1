import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import {
  INTERACTIVE_ACCESS_APIS,
  INTERACTIVE_ACCESS_SOURCES,
  TAINT_TAG,
} from '../../../lambda/shared/operations';
import type { OnInteractiveAccess } from '../../../lambda/shared/operations';
import { productFunction } from '../functions/product-function';
import { ROLLOUT_METRICS_NAMESPACE } from '../rollout/metrics';
import type { RolloutFleet } from '../rollout/rollout-fleet';
import { deadLetteredTarget } from '../events/dead-letters';
import type { OperatedWorkflow } from './operated-workflow';

export interface InteractiveAccessResponseProps {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  /** The workflow that replaces tainted instances, its lock, topic and dead-letter queue. */
  readonly workflow: OperatedWorkflow;
  /** `replace`: tag and replace the instance; `alert`: tag it and notify. */
  readonly onInteractiveAccess: OnInteractiveAccess;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The answer to someone opening a way into a fleet instance: an EventBridge rule on the
 * CloudTrail records of Session Manager `StartSession`, Run Command `SendCommand` and EC2
 * Instance Connect `SendSSHPublicKey`, and a function that tags each fleet instance reached
 * `immutable:tainted` (how, who, when) and, under `replace`, starts a replace of it through the
 * workflow. EventBridge receives these records only where a trail logs management events.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-auditing.html
 */
export class InteractiveAccessResponse extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: InteractiveAccessResponseProps) {
    super(scope, id);
    const { environment, fleet, workflow } = props;
    const fn = productFunction(this, 'on-interactive-access', {
      handler: 'on-interactive-access',
      description: `Immutable fleet operations (${environment}): on-interactive-access`,
      logRetention: props.logRetention,
      service: `immutable-rollout-${environment}`,
      metricsNamespace: ROLLOUT_METRICS_NAMESPACE,
    });
    this.function = fn;
    const env: Record<string, string> = {
      ENVIRONMENT: environment,
      BLUE_GROUP: fleet.groupNames.blue,
      GREEN_GROUP: fleet.groupNames.green,
      ON_INTERACTIVE_ACCESS: props.onInteractiveAccess,
      TABLE_NAME: workflow.table.tableName,
      STATE_MACHINE_ARN: workflow.stateMachine.stateMachineArn,
      TOPIC_ARN: workflow.topic.topicArn,
    };
    for (const [k, v] of Object.entries(env)) fn.addEnvironment(k, v);

    // Which instances a call reached: the fleet's groups, and the tags of its instances (Run
    // Command tag targets). Neither read supports resource-level permissions.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances'],
        resources: ['*'],
      }),
    );
    fleet.grantTagInstances(fn, TAINT_TAG);
    workflow.table.grant(fn, 'dynamodb:GetItem');
    workflow.grantPublish(fn);
    // Only a replace starts anything; under alert the function cannot start the workflow at all.
    if (props.onInteractiveAccess === 'replace') workflow.stateMachine.grantStartExecution(fn);

    const sources = [...new Set(INTERACTIVE_ACCESS_APIS.map((api) => INTERACTIVE_ACCESS_SOURCES[api]))];
    this.rule = new events.Rule(this, 'Rule', {
      description: `Taint${props.onInteractiveAccess === 'replace' ? ' and replace' : ''} any ${environment} fleet instance someone opens a session on, runs a command on or pushes an SSH key to`,
      eventPattern: {
        // aws.ssm, aws.ec2-instance-connect: `aws.` and the event source's service name.
        source: sources.map((s) => `aws.${s.replace('.amazonaws.com', '')}`),
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: sources, eventName: [...INTERACTIVE_ACCESS_APIS] },
      },
      targets: [deadLetteredTarget(fn, workflow.deadLetters, 8, Duration.hours(6))],
    });
  }
}
