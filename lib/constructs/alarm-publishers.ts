import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Let this account's CloudWatch alarms named `alarmNamePattern` (e.g. `immutable-dev-*`) publish
 * to a topic encrypted with `key`.
 *
 * A topic policy replaces the default one (which let any principal of the account publish), so
 * every AWS service that publishes needs its own Allow: without it the alarm's action fails and
 * nobody hears of it. Same-account roles publish under their own IAM policies. Scoped to this
 * account's alarms of that name, as AWS recommends against the confused deputy. CloudWatch
 * encrypts what it publishes with the topic's key, so the key policy lets it use the key too.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/US_SetupSNS.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function allowAlarmsToPublish(topic: sns.Topic, key: kms.IKey, alarmNamePattern: string): void {
  const stack = Stack.of(topic);
  const fromOwnAlarms = {
    ArnLike: {
      'aws:SourceArn': stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: alarmNamePattern,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
    StringEquals: { 'aws:SourceAccount': stack.account },
  };
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromOwnAlarms,
    }),
  );
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromOwnAlarms,
    }),
  );
}
