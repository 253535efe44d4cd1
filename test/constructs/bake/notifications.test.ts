import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { factoryTemplate } from '../../support/templates';

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
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('is the topic the build infrastructure notifies', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^BakeNotificationsTopic') },
    });
  });
});
