import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { resourcePrefix } from '../../../lambda/shared/names';
import { allowAlarmsToPublish } from '../alarm-publishers';

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
    // 'Default' keeps the topic's logical id (and fixed name) from before this construct existed.
    // @see https://docs.aws.amazon.com/cdk/v2/guide/refactor.html
    this.topic = new sns.Topic(this, 'Default', {
      topicName: `${prefix}-rollouts`,
      displayName: `Immutable fleet ${props.environment} rollouts`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // The alarms of this environment (the trigger dead-letter alarm) are the only service that
    // publishes here; their names share the environment's prefix.
    allowAlarmsToPublish(this.topic, this.key, `${prefix}-*`);
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
