import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { deploymentParameterName } from '../../../lambda/shared/deployment';
import type { EnvironmentDeployment } from '../../../lambda/shared/deployment';
import type { Action, Outcome } from '../../../lambda/shared/documents';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { DownstreamEnvironment, WorkflowSettings } from '../../../lambda/shared/settings';
import { STEP_HANDLERS, STEP_SETTINGS_VARIABLE, stepSettingsOf } from '../../../lambda/shared/step-settings';
import type { PromotionConfig, RolloutConfig } from '../../config';
import { logRetentionFor } from '../log-retention';
import { PromotionWorkflow } from '../promotion/promotion-workflow';
import { RolloutLedger } from './ledger';
import { rolloutDuration, rolloutsEnded, rolloutsFailed, rolloutsStarted } from './metrics';
import type { RolloutDurationMetricOptions, RolloutMetricOptions } from './metrics';
import { RolloutNotifications } from './notifications';
import { trustedImageOwners } from './rollout-fleet';
import type { RolloutFleet, RolloutImages } from './rollout-fleet';
import { RolloutFunctions } from './rollout-functions';
import { grantRolloutPermissions } from './rollout-permissions';
import { workflowSettings } from './settings';
import { RolloutStateMachine } from './state-machine/rollout-state-machine';
import { RolloutTriggers } from './triggers';

export interface RolloutWorkflowProps extends RolloutConfig {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  /** The image factory whose announcements the environment records (and the first one rolls out). */
  readonly images: RolloutImages;
  /**
   * Where the environment's images come from: the factory's announcements, or what an upstream
   * environment released (then a promotion workflow soaks, checks and, if asked, waits for approval).
   */
  readonly promotion: PromotionConfig;
  /** The upstream environment's account, when the environment promotes from one. */
  readonly upstreamAccount?: string;
  /** The environments that take this one's releases (what its release notifications announce next). */
  readonly downstream: readonly DownstreamEnvironment[];
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
  /** The promotion from the upstream environment, where the environment takes another's releases. */
  readonly promotion?: PromotionWorkflow;
  /** The environment whose rollouts these are. */
  readonly environment: EnvironmentName;
  /** What every step knows about the environment: its resources' names and the rollout's settings. */
  readonly settings: WorkflowSettings;
  private readonly notifications: RolloutNotifications;

  constructor(scope: Construct, id: string, props: RolloutWorkflowProps) {
    super(scope, id);
    const { environment, fleet } = props;
    this.environment = environment;
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
    this.notifications = notifications;
    const promotion = props.promotion.from === 'image-factory' ? undefined : props.promotion;
    this.functions = new RolloutFunctions(this, 'Functions', {
      environment,
      logRetention,
      promotes: promotion !== undefined,
    });

    grantRolloutPermissions(this.functions, {
      fleet,
      ledger,
      imageOwners: trustedImageOwners(props.images),
    });

    this.settings = workflowSettings({
      environment,
      fleet,
      table: ledger.table.tableName,
      rollout: props,
      ...(promotion ? { promoteFrom: promotion.from } : {}),
      downstream: props.downstream,
      images: props.images,
    });
    // Each step's settings are its own configuration, only what it acts on: never its payload's.
    const stack = Stack.of(this);
    for (const step of STEP_HANDLERS)
      this.functions
        .get(step)
        .addEnvironment(STEP_SETTINGS_VARIABLE, stack.toJsonString(stepSettingsOf(step, this.settings)));
    this.stateMachine = new RolloutStateMachine(this, 'StateMachine', {
      environment,
      functions: this.functions,
      notifications,
      fleet: this.settings,
      timeout: Duration.minutes(props.timeoutMinutes),
      logRetention,
      // The execution history is the audit trail beside the ledger: kept where the ledger is.
      retainLogs: props.ledgerDeletionProtection,
    }).stateMachine;
    // The way back calls these itself, with no Lambda function in between.
    fleet.grantShiftTraffic(this.stateMachine);
    fleet.grantScaleGroups(this.stateMachine);

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

    if (promotion) {
      if (!props.upstreamAccount)
        throw new Error(
          `RolloutWorkflow (${environment}): upstreamAccount is required to promote from ${promotion.from}`,
        );
      this.promotion = new PromotionWorkflow(this, 'Promotion', {
        environment,
        from: promotion.from,
        upstreamAccount: props.upstreamAccount,
        soakMinutes: promotion.soakMinutes,
        approval: promotion.approval,
        approvalTimeoutHours: promotion.approvalTimeoutHours,
        functions: this.functions,
        ledger,
        notifications,
        rollout: this.stateMachine,
        rolloutTimeout: Duration.minutes(props.timeoutMinutes),
        deadLetters: this.deadLetters,
        logRetention,
        retainLogs: props.ledgerDeletionProtection,
      });
    }
    this.describeDeployment();
  }

  /**
   * What this environment deployed, in one parameter its operators' tools read (and the
   * rehearsal): resources, tuning and state machines. Intelligent-Tiering: standard (free) while it
   * fits in 4 KB, advanced only if a large configuration needs it.
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
   */
  private describeDeployment(): void {
    const deployment: EnvironmentDeployment = {
      settings: this.settings,
      rolloutStateMachineArn: this.stateMachine.stateMachineArn,
      ...(this.promotion
        ? {
            promotion: {
              ...this.promotion.settings,
              stateMachineArn: this.promotion.stateMachine.stateMachineArn,
            },
          }
        : {}),
    };
    new ssm.StringParameter(this, 'Deployment', {
      parameterName: deploymentParameterName(this.environment),
      description: `What the ${this.environment} environment deployed: its rollout's resources and settings, its state machines`,
      stringValue: Stack.of(this).toJsonString(deployment),
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });
  }

  /** Permits publishing to the notification topic (its KMS key included). */
  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.notifications.grantPublish(grantee);
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
    return rolloutsFailed(this.environment, props);
  }

  /**
   * Rollouts that ended with `outcome` (SUCCEEDED, FAILED, SKIPPED, DRY_RUN), per period: Sum,
   * over every action unless one is given.
   */
  metricRolloutsEnded(outcome: Outcome, props?: RolloutMetricOptions): cloudwatch.IMetric {
    return rolloutsEnded(this.environment, outcome, props);
  }

  /** Rollouts of `action` that took the fleet's lock, per period (Sum). */
  metricRolloutsStarted(action: Action, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return rolloutsStarted(this.environment, action, props);
  }

  /**
   * Seconds from a rollout's start to its recorded outcome: the longest in each period, over
   * every action unless one is given (then any statistic, e.g. p90), of rollouts that SUCCEEDED
   * unless another outcome is given.
   */
  metricRolloutDuration(props?: RolloutDurationMetricOptions): cloudwatch.IMetric {
    return rolloutDuration(this.environment, props);
  }
}
