import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { allowAlarmsToPublish } from '../alarm-publishers';

/** Properties of {@link BakeNotificationTopic}. */
export interface BakeNotificationTopicProps {
  /** Shown in notification e-mails. */
  readonly displayName: string;
  /**
   * Addresses subscribed to every image notification (each confirms its subscription once).
   * @default none: nobody hears of a failed build unless they subscribe
   */
  readonly emails?: readonly string[];
  /**
   * This account's CloudWatch alarms that may publish here, as an alarm-name pattern
   * (e.g. `immutable-web-*`).
   * @default none: the topic policy (TLS only) lets no alarm publish
   */
  readonly alarmNamePattern?: string;
}

/**
 * The topic Image Builder notifies (image AVAILABLE or FAILED), encrypted with a customer-managed
 * key that rotates yearly. Image Builder publishes as its service-linked role or the pipeline's
 * execution role, both of this account, under their own IAM policies: the topic policy needs no
 * Allow for them. The factory's alarms (`alarmNamePattern`) do need one, and get it.
 */
export class BakeNotificationTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: BakeNotificationTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts ${props.displayName}`,
      enableKeyRotation: true,
    });
    // Image Builder publishes as its service-linked role, which must be able to use the key.
    // The role is named in a condition rather than as the principal because KMS rejects a key
    // policy naming a role that does not exist yet, and the role only appears with the account's
    // first Image Builder resource. kms:ViaService limits the grant to SNS encrypting messages.
    // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-sns.html#integ-sns-encrypted
    const account = Stack.of(this).account;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ImageBuilderPublishesToEncryptedTopic',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${account}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder`,
            'kms:CallerAccount': account,
            'kms:ViaService': `sns.${Aws.REGION}.amazonaws.com`,
          },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmNamePattern !== undefined)
      allowAlarmsToPublish(this.topic, this.key, props.alarmNamePattern);
    for (const email of props.emails ?? [])
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
