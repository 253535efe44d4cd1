import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowSettings } from '../../../lambda/shared/settings';
import type { RolloutConfig } from '../../config';
import { COLOURS } from '../../../lambda/shared/colours';
import { resourcePrefix, runtimeParameters } from '../../../lambda/shared/names';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { rolloutDefinition } from './state-machine/definition';
import { workflowSettings } from './settings';
import type { RolloutFleet, RolloutImages } from './rollout-fleet';
import { RolloutFunctions } from './rollout-functions';
import { grantRolloutPermissions } from './rollout-permissions';

export interface RolloutWorkflowProps extends RolloutConfig {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  readonly images: RolloutImages;
  /**
   * Log retention for the functions and the state machine.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The rollout workflow of one environment: a Step Functions state machine whose Lambdas run
 * phoenix rotations, canary shifts and rollbacks with a lock, a ledger and notifications;
 * started by new images (EventBridge), by a schedule (EventBridge Scheduler) and from the
 * console.
 */
export class RolloutWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly table: dynamodb.TableV2;
  readonly topic: sns.Topic;
  readonly functions: RolloutFunctions;
  /** Where triggers that could not be delivered or handled go (an alarm watches it). */
  readonly deadLetters: sqs.IQueue;
  /** The settings embedded in the definition (contains tokens). */
  readonly settings: WorkflowSettings;

  constructor(scope: Construct, id: string, props: RolloutWorkflowProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.environment);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    this.table = new dynamodb.TableV2(this, 'Ledger', {
      tableName: `${prefix}-rollouts`,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.ledgerDeletionProtection,
      // The ledger is the audit trail: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const key = new kms.Key(this, 'TopicKey', {
      description: `Encrypts ${prefix} rollout notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch alarms (the trigger dead-letter alarm) publish to the encrypted topic too.
    // @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Notifications', {
      topicName: `${prefix}-rollouts`,
      displayName: `Immutable fleet ${props.environment} rollouts`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.notificationEmails)
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    this.functions = new RolloutFunctions(this, 'Functions', {
      environment: props.environment,
      logRetention,
    });
    const parameters = runtimeParameters(props.environment);
    const { fleet } = props;
    this.settings = workflowSettings({
      environment: props.environment,
      fleet,
      table: this.table.tableName,
      rollout: props,
    });

    grantRolloutPermissions(this, this.functions, {
      groupNames: fleet.groupNames,
      listenerArn: fleet.listenerArn,
      launchTemplateId: fleet.launchTemplateId,
      instanceRoleArn: fleet.instanceRole.roleArn,
      table: this.table,
      parameterNames: [
        parameters.releasedImage,
        parameters.listenerWeights,
        ...COLOURS.map((c) => parameters.launchTemplateVersion(c)),
      ],
      alarmPrefix: `${prefix}-`,
      imageArnPattern: props.images.imageArnPattern,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${prefix}-rollout`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(
        rolloutDefinition(this, { functions: this.functions, topic: this.topic, settings: this.settings }),
      ),
      timeout: Duration.minutes(props.timeoutMinutes),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'ExecutionLogs', {
          retention: logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
      comment: `Rollouts of the ${props.environment} fleet: phoenix rotation, canary shift, rollback`,
    });

    // Publishing to a KMS-encrypted topic runs under the publisher's credentials: without the
    // key, every Notify Outcome fails with KMS access denied (SnsPublish grants sns:Publish only).
    // @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
    key.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');

    this.acknowledgeStateMachineRole();
    this.deadLetters = this.deadLetterQueue(props.environment);
    this.addTriggers(props);
  }

  /** The state machine role's wildcards, each for a reason IAM leaves no narrower choice. */
  private acknowledgeStateMachineRole(): void {
    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended delivery and X-Ray, used by the state machine, support no resource-level permissions',
    });
    const stack = Stack.of(this);
    for (const fn of this.functions.all()) {
      const logicalId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId) as string;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `versions and aliases of the rollout's own ${fn.node.id} function (Step Functions grants ARN and ARN:*)`,
      });
    }
  }

  private addTriggers(props: RolloutWorkflowProps): void {
    const deadLetters = this.deadLetters;
    const target = (fn: lambda.IFunction, retryAttempts: number, maxEventAge: Duration) => {
      // A function that keeps failing, like an event that cannot be delivered, ends up here.
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge,
        onFailure: new destinations.SqsDestination(deadLetters),
      });
      return new targets.LambdaFunction(fn, { retryAttempts, maxEventAge, deadLetterQueue: deadLetters });
    };

    // A baked image becomes AVAILABLE → canary (the handler resolves the AMI and applies the scan gate).
    const onImage = this.functions.get('on-image-available');
    onImage.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    onImage.addEnvironment('SCAN_FAIL_ON_SEVERITY', props.images.scanGateSeverity);
    this.stateMachine.grantStartExecution(onImage);
    new events.Rule(this, 'ImageAvailable', {
      description: `Start a canary when the ${props.environment} pipeline publishes an image`,
      eventPattern: {
        source: ['aws.imagebuilder'],
        detailType: ['EC2 Image Builder Image State Change'],
        // The pattern ends in `*`, which a prefix filter would take literally (matching nothing).
        // @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
        resources: events.Match.wildcard(props.images.imageArnPattern),
        detail: { state: { status: ['AVAILABLE'] } },
      },
      targets: [target(onImage, 4, Duration.hours(2))],
    });

    // An execution that was stopped or timed out never ran its own cleanup: free its lock.
    const janitor = this.functions.get('release-abandoned-lock');
    janitor.addEnvironment('TABLE_NAME', this.table.tableName);
    new events.Rule(this, 'ExecutionEnded', {
      description: `Release the ${props.environment} fleet lock held by a stopped or timed-out rollout`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [this.stateMachine.stateMachineArn],
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
        },
      },
      targets: [target(janitor, 8, Duration.hours(6))],
    });

    // Phoenix on a schedule: scheduled runs skip themselves inside freeze windows.
    const s = props.phoenixSchedule;
    new scheduler.Schedule(this, 'PhoenixSchedule', {
      scheduleName: `${resourcePrefix(props.environment)}-phoenix`,
      description: `Scheduled phoenix rotation of the ${props.environment} fleet`,
      schedule: scheduler.ScheduleExpression.expression(s.cron, TimeZone.of(s.timezone)),
      timeWindow:
        s.flexibleWindowMinutes > 0
          ? scheduler.TimeWindow.flexible(Duration.minutes(s.flexibleWindowMinutes))
          : scheduler.TimeWindow.off(),
      enabled: s.enabled,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({
          action: 'phoenix',
          trigger: 'schedule',
          reason: 'scheduled phoenix rotation',
        }),
        retryAttempts: 3,
        deadLetterQueue: deadLetters,
      }),
    });
  }

  /**
   * Where a trigger that could not be delivered or handled goes, instead of vanishing; any
   * message there raises an alarm on the notification topic. SSE-SQS (not KMS) because
   * EventBridge and EventBridge Scheduler cannot write to a queue under the AWS-managed SQS key.
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
   */
  private deadLetterQueue(environment: EnvironmentName): sqs.Queue {
    const queue = new sqs.Queue(this, 'TriggerDeadLetters', {
      queueName: `${resourcePrefix(environment)}-rollout-trigger-dead-letters`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'this queue is itself the dead-letter queue of the rollout triggers',
    });
    const alarm = new cloudwatch.Alarm(this, 'TriggerDeadLettersAlarm', {
      alarmName: `${resourcePrefix(environment)}-rollout-trigger-dead-letters`,
      alarmDescription:
        'A rollout trigger (new image, schedule, lock janitor) failed; see the dead-letter queue',
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
    return queue;
  }
}
