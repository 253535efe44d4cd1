import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { resourcePrefix } from '../../../lambda/shared/names';

export interface RolloutNotificationsProps {
  /** The environment whose rollouts are announced; names the topic. */
  readonly environment: EnvironmentName;
  /** Addresses subscribed to every outcome and alarm (each confirms its subscription once). */
  readonly emails: readonly string[];
}

/**
 * Where rollout outcomes and trigger failures are announced: an SNS topic encrypted with its own
 * rotating KMS key, publishable over TLS only.
 */
export class RolloutNotifications extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: RolloutNotificationsProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.environment);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts ${prefix} rollout notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    const stack = Stack.of(this);
    // The alarms of this environment (the trigger dead-letter alarm) are the only service that
    // publishes here; their ARNs share the environment's prefix.
    const ownAlarms = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${prefix}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const fromOwnAlarms = {
      ArnLike: { 'aws:SourceArn': ownAlarms },
      StringEquals: { 'aws:SourceAccount': stack.account },
    };
    // CloudWatch encrypts what it publishes to the topic with the topic's key.
    // @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    // 'Default' keeps the topic's logical id (and fixed name) from before this construct existed.
    // @see https://docs.aws.amazon.com/cdk/v2/guide/refactor.html
    this.topic = new sns.Topic(this, 'Default', {
      topicName: `${prefix}-rollouts`,
      displayName: `Immutable fleet ${props.environment} rollouts`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces the default one (which let any principal of the account publish),
    // so every AWS service that publishes needs its own Allow: without it the alarm's action
    // fails and nobody hears of it. Same-account roles (the state machine's) publish under their
    // own IAM policy. Scoped to this account's alarms of this environment, as AWS recommends
    // against the confused deputy.
    // @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/US_SetupSNS.html
    // @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }

  /**
   * Permits publishing to the topic. Publishing to a KMS-encrypted topic runs under the
   * publisher's credentials, so the grant includes the key's data-key actions; without them
   * every publish fails with KMS access denied.
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
   */
  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grants
      .actions(grantee, ['sns:Publish'])
      .combine(this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey'));
  }
}
