import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { RolloutConfig } from '../../config';
import { logRetentionFor } from '../log-retention';
import { RolloutLedger } from './ledger';
import { rolloutDuration, rolloutsFailed } from './metrics';
import type { RolloutDurationMetricOptions, RolloutMetricOptions } from './metrics';
import { RolloutNotifications } from './notifications';
import type { RolloutFleet, RolloutImages } from './rollout-fleet';
import { RolloutFunctions } from './rollout-functions';
import { grantRolloutPermissions } from './rollout-permissions';
import { workflowSettings } from './settings';
import { RolloutStateMachine } from './state-machine/rollout-state-machine';
import { RolloutTriggers } from './triggers';

export interface RolloutWorkflowProps extends RolloutConfig {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  readonly images: RolloutImages;
  /**
   * Days the functions' and the state machine's logs are kept (a CloudWatch Logs retention
   * period; the environment's `fleet.logRetentionDays`). Required: a silent default would keep
   * every environment's logs alike, whatever its configuration says.
   */
  readonly logRetentionDays: number;
}

/**
 * The rollout workflow of one environment: a Step Functions state machine whose Lambdas run
 * phoenix rotations, canary shifts and rollbacks with a lock, a ledger and notifications;
 * started by new images (EventBridge), by a schedule (EventBridge Scheduler) and from the
 * console. Composed of one construct per concern: ledger, notifications, functions, state
 * machine and triggers.
 */
export class RolloutWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The lock, the fleet record and the ledger of every rollout. */
  readonly table: dynamodb.ITableV2;
  /** Where outcomes and trigger failures are announced (KMS-encrypted). */
  readonly topic: sns.ITopic;
  readonly functions: RolloutFunctions;
  /** Where triggers that could not be delivered or handled go (an alarm watches it). */
  readonly deadLetters: sqs.IQueue;

  constructor(scope: Construct, id: string, props: RolloutWorkflowProps) {
    super(scope, id);
    const { environment, fleet } = props;
    const logRetention = logRetentionFor(props.logRetentionDays);

    const ledger = new RolloutLedger(this, 'Ledger', {
      environment,
      deletionProtection: props.ledgerDeletionProtection,
    });
    this.table = ledger.table;
    const notifications = new RolloutNotifications(this, 'Notifications', {
      environment,
      emails: props.notificationEmails,
    });
    this.topic = notifications.topic;
    this.functions = new RolloutFunctions(this, 'Functions', { environment, logRetention });

    grantRolloutPermissions(this.functions, { fleet, ledger, images: props.images });

    this.stateMachine = new RolloutStateMachine(this, 'StateMachine', {
      environment,
      functions: this.functions,
      notifications,
      settings: workflowSettings({ environment, fleet, table: ledger.table.tableName, rollout: props }),
      timeout: Duration.minutes(props.timeoutMinutes),
      logRetention,
    }).stateMachine;

    // 'Default', which CDK leaves out of every id it derives from a path, keeps the ids the
    // triggers had when the workflow built them itself: the schedule, queue and alarm have fixed
    // names, and a new logical id would make the deploy fail.
    // @see https://docs.aws.amazon.com/cdk/v2/guide/refactor.html
    this.deadLetters = new RolloutTriggers(this, 'Default', {
      environment,
      stateMachine: this.stateMachine,
      functions: this.functions,
      ledger,
      images: props.images,
      phoenixSchedule: props.phoenixSchedule,
      topic: notifications.topic,
    }).deadLetters;
  }

  /** Permits starting rollouts (states:StartExecution on this state machine), e.g. for an operator role. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * Rollouts that failed (and put traffic back on the released image), per period: Sum, over
   * every action unless one is given. Published by the ledger when a rollout finishes.
   */
  metricRolloutsFailed(props?: RolloutMetricOptions): cloudwatch.IMetric {
    return rolloutsFailed(props);
  }

  /**
   * Seconds from a rollout's start to its recorded outcome: the longest in each period, over
   * every action unless one is given (then any statistic, e.g. p90), of rollouts that SUCCEEDED
   * unless another outcome is given.
   */
  metricRolloutDuration(props?: RolloutDurationMetricOptions): cloudwatch.IMetric {
    return rolloutDuration(props);
  }
}
