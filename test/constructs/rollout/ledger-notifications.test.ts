import { Match } from 'aws-cdk-lib/assertions';
import type { EnvironmentConfig } from '../../../lib/config';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';
import { configOf, testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';

const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];
const EMAILS = ['platform@example.com', 'oncall@example.com'];

let app: TestApp;
let subscribed: TestApp;
const stacks = {} as Record<Env, ImmutableStack>;

function devWithEmails(): EnvironmentConfig {
  const config = configOf('dev');
  config.rollout.notificationEmails = EMAILS;
  return config;
}

beforeAll(() => {
  app = testApp();
  for (const env of ENVS) {
    stacks[env] = app.stack(env);
    app.template(env);
  }
  subscribed = testApp({ environments: [devWithEmails()] });
  subscribed.template('dev');
});
afterAll(() => {
  app.cleanup();
  subscribed.cleanup();
});

const logicalId = (stack: ImmutableStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('ledger', () => {
  it.each(ENVS)('%s: a pk/sk table on demand, with point-in-time recovery', (env) => {
    app.template(env).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: `immutable-${env}-rollouts`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it.each(ENVS)('%s: outlives the stack, and deletion protection follows the configuration', (env) => {
    const stack = stacks[env];
    const table = app.template(env).toJSON().Resources[logicalId(stack, stack.rollout.table)] as {
      DeletionPolicy: string;
      UpdateReplacePolicy: string;
      Properties: { Replicas: { DeletionProtectionEnabled?: boolean }[] };
    };
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.Replicas.map((r) => r.DeletionProtectionEnabled)).toEqual([
      stack.config.rollout.ledgerDeletionProtection,
    ]);
  });
});

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

  it.each(ENVS)('%s: no subscription when no email is configured', (env) => {
    expect(stacks[env].config.rollout.notificationEmails).toEqual([]);
    app.template(env).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes each configured email to the topic', () => {
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
});
