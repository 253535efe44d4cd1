import { Duration, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import type * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { alarmedDeadLetterQueue, deadLetteredTarget } from '../events/dead-letters';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { PRODUCT_EVENTS } from '../../../lambda/shared/events';
import { resourcePrefix } from '../../../lambda/shared/names';
import { AUTOMATIC_RESTORES_PER_HOUR } from '../../../lambda/shared/recovery';
import type { RolloutConfig } from '../../config';
import { ROLLOUT_METRICS_NAMESPACE, ROLLOUT_METRICS_SERVICE } from './metrics';
import type { RolloutLedger } from './ledger';
import type { RolloutImages } from './rollout-fleet';
import type { RolloutFunctions } from './rollout-functions';

export interface RolloutTriggersProps {
  readonly environment: EnvironmentName;
  /** The workflow the triggers start. */
  readonly stateMachine: sfn.IStateMachine;
  /** on-image-available and release-abandoned-lock run here. */
  readonly functions: RolloutFunctions;
  /** Where the lock janitor finds an abandoned lock. */
  readonly ledger: RolloutLedger;
  /** The image factory whose announcements are recorded (and, in the first environment, start a canary). */
  readonly images: RolloutImages;
  /** When phoenix rotations run. */
  readonly phoenixSchedule: RolloutConfig['phoenixSchedule'];
  /** Where the dead-letter alarm notifies. */
  readonly topic: sns.ITopic;
}

/**
 * What starts and cleans up after the workflow: a new image (EventBridge), the phoenix schedule
 * (EventBridge Scheduler) and the end of an execution that never ran its own cleanup. Whatever
 * a trigger could not deliver or handle lands in a dead-letter queue that raises an alarm.
 */
export class RolloutTriggers extends Construct {
  /** Where triggers that could not be delivered or handled go (an alarm watches it). */
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: RolloutTriggersProps) {
    super(scope, id);
    const { environment, stateMachine, functions } = props;
    this.deadLetters = this.deadLetterQueue(environment, props.topic);

    // The image factory announced an image → record it; in the first environment, start its
    // canary (the handler picks this region's AMI and applies the scan gate).
    const onImage = functions.get('on-image-available');
    onImage.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    onImage.addEnvironment('TABLE_NAME', props.ledger.table.tableName);
    onImage.addEnvironment('SCAN_FAIL_ON_SEVERITY', props.images.scanGateSeverity);
    onImage.addEnvironment('TAKES_FACTORY_IMAGES', String(props.images.takesFactoryImages));
    onImage.addEnvironment('IMAGE_FACTORY_ACCOUNT', props.images.factoryAccount);
    if (props.images.takesFactoryImages) stateMachine.grantStartExecution(onImage);
    new events.Rule(this, 'ImageAvailable', {
      description: props.images.takesFactoryImages
        ? `Start a canary in ${environment} when the image factory announces an image`
        : `Record in ${environment} each image the image factory announces`,
      eventPattern: {
        source: [PRODUCT_EVENTS.imageAvailable.source],
        detailType: [PRODUCT_EVENTS.imageAvailable.detailType],
        account: [props.images.factoryAccount],
      },
      targets: [this.target(onImage, 4, Duration.hours(2))],
    });

    // An execution that was stopped or timed out never ran its own cleanup, and one that failed
    // may not have finished it: free its lock, and restore the fleet if it was left unsafe.
    const janitor = functions.get('release-abandoned-lock');
    janitor.addEnvironment('TABLE_NAME', props.ledger.table.tableName);
    janitor.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(janitor);
    this.alarmOnRefusedRestores(environment, props.topic);
    new events.Rule(this, 'ExecutionEnded', {
      description: `Release the ${environment} fleet lock an ended rollout held, and restore the fleet it left unsafe`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [stateMachine.stateMachineArn],
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
        },
      },
      targets: [this.target(janitor, 8, Duration.hours(6))],
    });

    // Phoenix on a schedule: scheduled runs skip themselves inside freeze windows.
    const s = props.phoenixSchedule;
    new scheduler.Schedule(this, 'PhoenixSchedule', {
      scheduleName: `${resourcePrefix(environment)}-phoenix`,
      description: `Scheduled phoenix rotation of the ${environment} fleet`,
      schedule: scheduler.ScheduleExpression.expression(s.cron, TimeZone.of(s.timezone)),
      timeWindow:
        s.flexibleWindowMinutes > 0
          ? scheduler.TimeWindow.flexible(Duration.minutes(s.flexibleWindowMinutes))
          : scheduler.TimeWindow.off(),
      enabled: s.enabled,
      target: new schedulerTargets.StepFunctionsStartExecution(stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({
          action: 'phoenix',
          trigger: 'schedule',
          reason: 'scheduled phoenix rotation',
        }),
        retryAttempts: 3,
        deadLetterQueue: this.deadLetters,
      }),
    });
  }

  /**
   * The lock janitor starts at most a few automatic restores an hour (AUTOMATIC_RESTORES_PER_HOUR):
   * one it refuses beyond that means the fleet keeps failing its way back, and needs a person.
   */
  private alarmOnRefusedRestores(environment: EnvironmentName, topic: sns.ITopic): void {
    const alarm = new cloudwatch.Alarm(this, 'AutomaticRestoresRefused', {
      alarmName: `${resourcePrefix(environment)}-automatic-restores-refused`,
      alarmDescription:
        `The ${environment} lock janitor refused an automatic restore: ${AUTOMATIC_RESTORES_PER_HOUR} ran in the last hour ` +
        'and the fleet is still not in its safe state. Look at the rollout ledger, then start {"action":"restore"}.',
      metric: new cloudwatch.Metric({
        namespace: ROLLOUT_METRICS_NAMESPACE,
        metricName: 'AutomaticRestoresRefused',
        dimensionsMap: { service: ROLLOUT_METRICS_SERVICE },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  }

  /** An EventBridge target that retries, then hands the event to the dead-letter queue. */
  private target(fn: lambda.IFunction, retryAttempts: number, maxEventAge: Duration): targets.LambdaFunction {
    return deadLetteredTarget(fn, this.deadLetters, retryAttempts, maxEventAge);
  }

  /**
   * Where a trigger that could not be delivered or handled goes, instead of vanishing; any
   * message there raises an alarm on the notification topic.
   */
  private deadLetterQueue(environment: EnvironmentName, topic: sns.ITopic): sqs.Queue {
    return alarmedDeadLetterQueue(this, 'TriggerDeadLetters', {
      name: `${resourcePrefix(environment)}-rollout-trigger-dead-letters`,
      alarmDescription:
        'A rollout trigger (new image, schedule, lock janitor) failed; see the dead-letter queue',
      deadLettersOf: 'the rollout triggers',
      topic,
    });
  }
}
