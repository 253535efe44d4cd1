import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface AlarmedDeadLetterQueueProps {
  /** The queue's name, and its alarm's. */
  readonly name: string;
  readonly alarmDescription: string;
  /** Whose dead-letter queue it is, as the cdk-nag acknowledgement says. */
  readonly deadLettersOf: string;
  /** Where the alarm publishes. */
  readonly topic: sns.ITopic;
}

/**
 * A dead-letter queue (`id`) and its alarm (`<id>Alarm`) on `topic`: any message in it raises
 * the alarm, so what could not be delivered or handled is noticed instead of vanishing. SSE-SQS
 * (not KMS) because EventBridge and EventBridge Scheduler cannot write to a queue under the
 * AWS-managed SQS key.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
export function alarmedDeadLetterQueue(
  scope: Construct,
  id: string,
  props: AlarmedDeadLetterQueueProps,
): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    queueName: props.name,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `this queue is itself the dead-letter queue of ${props.deadLettersOf}`,
  });
  new cloudwatch.Alarm(scope, `${id}Alarm`, {
    alarmName: props.name,
    alarmDescription: props.alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(new cloudwatchActions.SnsAction(props.topic));
  return queue;
}

/**
 * An EventBridge target that retries, then hands the event to the dead-letter queue; a function
 * that keeps failing on it (a malformed event, say) ends up there too, after Lambda's own retries.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export function deadLetteredTarget(
  fn: lambda.IFunction,
  deadLetters: sqs.IQueue,
  retryAttempts: number,
  maxEventAge: Duration,
): targets.LambdaFunction {
  fn.configureAsyncInvoke({
    retryAttempts: 2,
    maxEventAge,
    onFailure: new destinations.SqsDestination(deadLetters),
  });
  return new targets.LambdaFunction(fn, { retryAttempts, maxEventAge, deadLetterQueue: deadLetters });
}
