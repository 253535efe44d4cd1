import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { productTemplate } from '../../support/templates';
import { bakeStack } from './bake-stack';

describe('notifications', () => {
  let dev: Template;
  beforeAll(() => {
    dev = productTemplate('dev');
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
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('subscribes each given address to the topic', () => {
    const { stack, bake, template } = bakeStack({
      notificationEmails: ['builds@example.com', 'oncall@example.com'],
    });
    const topic = stack.resolve(bake.notificationTopic.topicArn) as unknown;
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
