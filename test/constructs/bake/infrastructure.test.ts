import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { logRetentionFor } from '../../../lib/constructs/log-retention';
import { factoryTemplate } from '../../support/templates';
import { bakeStack, devBakeProps, factoryStack } from './bake-stack';

/** The configured factory (t3.small, 90 days of logs, no NAT in its network). */
let factory: Template;
/** Other instance types, a year of logs and an S3 artifact. */
let variant: Template;
beforeAll(() => {
  factory = factoryTemplate();
  ({ template: variant } = bakeStack({
    instanceTypes: ['t3.medium', 't3a.medium'],
    logRetentionDays: 365,
    app: { ...devBakeProps().app, artifactUri: 's3://releases-bucket/web/web-1.0.0.tar.gz' },
  }));
});

const statementsOf = (template: Template, rolePrefix: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(rolePrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);

describe('infrastructure configuration', () => {
  it('requires IMDSv2, uses no key pair and terminates instances of failed builds', () => {
    factory.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      Name: 'immutable-web-build',
      InstanceMetadataOptions: { HttpTokens: 'required' },
      TerminateInstanceOnFailure: true,
      KeyPair: Match.absent(),
      InstanceTypes: ['t3.small'],
    });
    variant.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      InstanceTypes: ['t3.medium', 't3a.medium'],
    });
  });

  it('sends build logs to the log bucket and notifications to the topic', () => {
    factory.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      Logging: {
        S3Logs: { S3BucketName: { Ref: Match.stringLikeRegexp('^BakeLogsBucket') }, S3KeyPrefix: 'builds' },
      },
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^BakeNotificationsTopic') },
    });
  });

  it('tags build instances with the pipeline that runs them, not an environment', () => {
    const [infrastructure] = Object.values(
      factory.findResources('AWS::ImageBuilder::InfrastructureConfiguration'),
    );
    expect(infrastructure?.Properties.ResourceTags).toEqual({
      Name: 'immutable-web-build',
      'immutable:pipeline': 'immutable-web',
    });
  });

  it('runs in the default VPC when none is given (no subnet, no security group)', () => {
    const { template } = bakeStack();
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SubnetId: Match.absent(),
      SecurityGroupIds: Match.absent(),
    });
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  it("builds in the factory's own private subnets: isolated without NAT, NAT-routed with it", () => {
    factory.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SubnetId: { Ref: Match.stringLikeRegexp('^NetworkVpcprivateSubnet') },
      SecurityGroupIds: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeInfrastructureSecurityGroup'), 'GroupId'] },
      ],
    });
    const { template: withNat } = factoryStack((f) => {
      f.network = { kind: 'new', cidr: '10.0.0.0/16', maxAzs: 2, natGateways: 1 };
    });
    withNat.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SubnetId: { Ref: Match.stringLikeRegexp('^NetworkVpcprivateSubnet') },
    });
  });
});

describe('build instance role', () => {
  it('has the SSM core and Image Builder instance policies', () => {
    const managed = (name: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]],
    });
    factory.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
      },
      ManagedPolicyArns: [
        managed('AmazonSSMManagedInstanceCore'),
        managed('EC2InstanceProfileForImageBuilder'),
      ],
    });
    factory.hasResourceProperties('AWS::IAM::InstanceProfile', {
      Roles: [{ Ref: Match.stringLikeRegexp('^BakeInfrastructureInstanceRole') }],
    });
  });

  it('may only upload objects under the build-log prefix of the log bucket', () => {
    const allows = statementsOf(factory, 'BakeInfrastructureInstanceRole').filter(
      (s) => s.Effect === 'Allow',
    );
    expect(allows).toEqual([
      {
        Action: 's3:PutObject',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [{ 'Fn::GetAtt': [expect.stringMatching(/^BakeLogsBucket/), 'Arn'] }, '/builds/*'],
          ],
        },
      },
    ]);
  });

  it('may read the application artifact object when it comes from S3, and nothing else in that bucket', () => {
    expect(statementsOf(variant, 'BakeInfrastructureInstanceRole')).toContainEqual({
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::releases-bucket/web/web-1.0.0.tar.gz']],
      },
    });
  });
});

describe('build network (with a VPC)', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = bakeStack({}, (stack) => ({
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    })));
  });

  it('builds in the first selected subnet with the build security group', () => {
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SubnetId: { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') },
      SecurityGroupIds: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeInfrastructureSecurityGroup'), 'GroupId'] },
      ],
    });
  });

  it('admits no inbound traffic and allows HTTPS out only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('no ingress'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [
        { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() },
      ],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('fails when the subnet selection matches no subnet', () => {
    expect(() =>
      bakeStack({}, (stack) => ({
        vpc: new ec2.Vpc(stack, 'Vpc', {
          maxAzs: 2,
          subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
        }),
        subnetSelection: { subnetGroupName: 'private' },
      })),
    ).toThrow(/private/);
  });
});

describe('build log bucket', () => {
  it('is encrypted, private, TLS-only and expires logs after the retention period', () => {
    factory.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
    variant.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
    factory.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('keeps CloudWatch logs at least as long as the S3 copy, in a period CloudWatch accepts', () => {
    expect(logRetentionFor(30)).toBe(30);
    expect(logRetentionFor(31)).toBe(60);
    expect(logRetentionFor(1)).toBe(1);
    expect(logRetentionFor(3653)).toBe(3653);
    expect(() => logRetentionFor(3654)).toThrow('logRetentionDays must be 1-3653, got 3654');
    expect(() => logRetentionFor(0)).toThrow('logRetentionDays must be 1-3653, got 0');
  });
});
