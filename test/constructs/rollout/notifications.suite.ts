import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { EnvironmentConfig } from '../../../lib/config';
import { RolloutNotifications } from '../../../lib/constructs/rollout/notifications';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf, testApp } from '../../support/synth';
import { shippedProduct } from '../../support/shipped-product';
import type { TestApp } from '../../support/synth';
import { grantsOf, rendered } from './rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];
const EMAILS = ['platform@example.com', 'oncall@example.com'];

let app: TestApp;
let subscribed: TestApp;
let publisher: { stack: ImmutableStack; role: string; notifications: RolloutNotifications };
const stacks = {} as Record<Env, ImmutableStack>;

function devWithEmails(): EnvironmentConfig {
  const config = configOf('dev');
  config.rollout.notificationEmails = EMAILS;
  return config;
}

beforeAll(() => {
  app = shippedProduct();
  for (const env of ENVS) {
    stacks[env] = app.stack(env);
    app.template(env);
  }
  // A separate app: the subscriptions and the probe publisher must not change the templates above.
  subscribed = testApp({ environments: [devWithEmails()] });
  const stack = subscribed.stack('dev');
  const notifications = new RolloutNotifications(stack, 'ProbeNotifications', {
    environment: 'dev',
    emails: [],
  });
  const role = new iam.Role(stack, 'Publisher', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  notifications.grantPublish(role);
  publisher = { stack, notifications, role: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) };
  subscribed.template('dev');
});
afterAll(() => {
  app.cleanup();
  subscribed.cleanup();
});

const logicalId = (stack: ImmutableStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('notifications', () => {
  it.each(ENVS)('%s: the topic is encrypted with its own rotating key', (env) => {
    const stack = stacks[env];
    const keyId = logicalId(stack, stack.rollout.topic.masterKey as never);
    app.template(env).hasResourceProperties('AWS::SNS::Topic', {
      TopicName: `immutable-${env}-rollouts`,
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(app.template(env).toJSON().Resources[keyId]).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
    });
  });

  it.each(ENVS)('%s: publishing requires TLS', (env) => {
    const stack = stacks[env];
    app.template(env).hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalId(stack, stack.rollout.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it.each(ENVS)("%s: CloudWatch may publish for this environment's alarms only, and use the key", (env) => {
    const stack = stacks[env];
    const fromOwnAlarms = {
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudwatch:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              `:alarm:immutable-${env}-*`,
            ],
          ],
        },
      },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    };
    const topic = logicalId(stack, stack.rollout.topic);
    app.template(env).hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topic },
            Condition: fromOwnAlarms,
          },
        ]),
      },
    });
    const key = app.template(env).toJSON().Resources[
      logicalId(stack, stack.rollout.topic.masterKey as never)
    ];
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: fromOwnAlarms,
    });
  });

  it.each(ENVS)('%s: subscribes the configured address to the rollout topic', (env) => {
    const stack = stacks[env];
    expect(stack.config.rollout.notificationEmails).toEqual(['platform-oncall@example.com']);
    app.template(env).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform-oncall@example.com',
      TopicArn: { Ref: logicalId(stack, stack.rollout.topic) },
    });
  });

  it('subscribes each configured email to the rollout topic (the factory subscribes its own)', () => {
    const stack = subscribed.stacks[0] as ImmutableStack;
    const template = subscribed.template('dev');
    template.resourceCountIs('AWS::SNS::Subscription', EMAILS.length);
    for (const email of EMAILS) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: logicalId(stack, stack.rollout.topic) },
      });
    }
  });

  it('grantPublish permits publishing to the topic and the data-key actions on its key, nothing wider', () => {
    const { stack, notifications, role } = publisher;
    const grants = grantsOf(subscribed.template('dev'), role).map((g) => [g.actions, g.resources]);
    expect(grants).toEqual([
      [['sns:Publish'], [rendered(stack, notifications.topic.topicArn)]],
      [['kms:Decrypt', 'kms:GenerateDataKey'], [rendered(stack, notifications.key.keyArn)]],
    ]);
  });
});
