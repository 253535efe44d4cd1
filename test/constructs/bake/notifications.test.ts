import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { factoryTemplate } from '../../support/templates';
import { bakeStack } from './bake-stack';

describe('notifications', () => {
  let dev: Template;
  beforeAll(() => {
    dev = factoryTemplate();
  });

  it('encrypts the topic with a customer-managed key that rotates', () => {
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeNotificationsKey'), 'Arn'] },
    });
  });

  it("lets Image Builder's service-linked role use the key, through SNS only", () => {
    dev.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: {
              StringEquals: {
                'aws:PrincipalArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':iam::',
                      { Ref: 'AWS::AccountId' },
                      ':role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder',
                    ],
                  ],
                },
                'kms:CallerAccount': { Ref: 'AWS::AccountId' },
                'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets the pipeline execution role publish too, and refuses publishing without TLS', () => {
    dev.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^BakeExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('^BakeNotificationsTopic') },
          }),
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeNotificationsKey'), 'Arn'] },
          }),
        ]),
      },
    });
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("lets the factory's own alarms publish, and use the key, and no one else's", () => {
    const ownAlarms = {
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
              ':alarm:immutable-web-*',
            ],
          ],
        },
      },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    };
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: ownAlarms,
          }),
        ]),
      },
    });
    dev.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: ownAlarms,
          }),
        ]),
      },
    });
    // The dead-letter alarm is one of them.
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'immutable-web-image-event-dead-letters',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^BakeNotificationsTopic') }],
    });
  });

  it('subscribes the configured addresses', () => {
    dev.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform-oncall@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^BakeNotificationsTopic') },
    });
  });

  it('subscribes each given address to the topic', () => {
    const { stack, bake, template } = bakeStack({
      notificationEmails: ['builds@example.com', 'oncall@example.com'],
    });
    const topic = stack.resolve(bake.topic.topicArn) as unknown;
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of ['builds@example.com', 'oncall@example.com'])
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: topic,
      });
  });

  it('is the topic the build infrastructure notifies', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^BakeNotificationsTopic') },
    });
  });
});
