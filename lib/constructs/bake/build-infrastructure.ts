import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnInfrastructureConfiguration } from 'aws-cdk-lib/aws-imagebuilder';
import type { CfnInfrastructureConfigurationProps } from 'aws-cdk-lib/aws-imagebuilder';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { BuildLogs } from './build-logs';
import { denyOtherParameters } from '../instance-permissions';

/** Properties of {@link BuildInfrastructure}. */
export interface BuildInfrastructureProps {
  /** Infrastructure configuration name. */
  readonly name: string;
  /** Instance types Image Builder may use. */
  readonly instanceTypes: readonly string[];
  /** Where build logs go. */
  readonly logs: BuildLogs;
  /** Topic Image Builder notifies of image state changes. */
  readonly topic: sns.ITopic;
  /** Tags put on the build and test instances. */
  readonly instanceTags: Readonly<Record<string, string>>;
  /**
   * s3:// URI of the application release the build downloads; the role may read that object only.
   * @default - the build downloads nothing from S3 outside Image Builder's own buckets
   */
  readonly artifactUri?: string;
  /**
   * VPC to build in.
   * @default - the account's default VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc`; the first one is used.
   * @default - the VPC's default selection (private subnets first)
   */
  readonly subnetSelection?: ec2.SubnetSelection;
}

/**
 * The build and test instances: their role, network and Image Builder infrastructure
 * configuration (IMDSv2 required, no key pair, terminated when a build fails).
 */
export class BuildInfrastructure extends Construct {
  readonly configuration: CfnInfrastructureConfiguration;
  readonly role: iam.Role;
  /** Present when a VPC was given: no ingress, HTTPS egress only. */
  readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: BuildInfrastructureProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Build and test instances of ${props.name}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('EC2InstanceProfileForImageBuilder'),
      ],
    });
    // @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-builder-setting-up.html#image-builder-IAM-prereq
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason:
        'Image Builder runs every build and test step through the SSM agent; this AWS-maintained policy is the documented minimum for it and tracks SSM API changes.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/EC2InstanceProfileForImageBuilder]',
      reason:
        'Documented instance profile policy for Image Builder: fetch components, write /aws/imagebuilder/* logs, tag what Image Builder created. AWS keeps it in step with the service.',
    });

    // A build reads public AWS parameters only (the parent image is resolved by Image Builder).
    denyOtherParameters(this.role, []);
    props.logs.grantUpload(this.role);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.logs.bucket.node.defaultChild as CfnElement)}.Arn>/${props.logs.prefix}*]`,
      reason:
        'Image Builder writes one object per build step under a key it chooses (image name, version, build); PutObject is limited to the build-log prefix of this bucket.',
    });
    const artifact = props.artifactUri && s3ObjectArn(this, props.artifactUri);
    if (artifact) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [artifact] }),
      );
    }

    const profile = new iam.InstanceProfile(this, 'InstanceProfile', { role: this.role });

    let network: Pick<CfnInfrastructureConfigurationProps, 'subnetId' | 'securityGroupIds'> = {};
    if (props.vpc) {
      const subnetId = props.vpc.selectSubnets(props.subnetSelection).subnetIds[0];
      if (!subnetId)
        throw new Error(
          `BuildInfrastructure ${props.name}: the subnet selection matches no subnet of the VPC`,
        );
      // A build needs outbound HTTPS only (SSM, Image Builder, S3, CloudWatch Logs, package
      // repositories, the artifact); DNS, IMDS and time sync are link-local and not filtered.
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `Build and test instances of ${props.name}: no ingress, HTTPS egress only`,
        allowAllOutbound: false,
      });
      this.securityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS to AWS APIs and package repositories',
      );
      network = { subnetId, securityGroupIds: [this.securityGroup.securityGroupId] };
    }

    this.configuration = new CfnInfrastructureConfiguration(this, 'Configuration', {
      name: props.name,
      description: `Build and test instances of ${props.name}`,
      instanceProfileName: profile.instanceProfileName,
      instanceTypes: [...props.instanceTypes],
      // @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_InstanceMetadataOptions.html
      instanceMetadataOptions: { httpTokens: 'required' },
      terminateInstanceOnFailure: true,
      logging: {
        s3Logs: {
          s3BucketName: props.logs.bucket.bucketName,
          s3KeyPrefix: props.logs.prefix.replace(/\/$/, ''),
        },
      },
      snsTopicArn: props.topic.topicArn,
      resourceTags: props.instanceTags,
      ...network,
    });
  }
}

/** The logical id cdk-nag quotes in a finding about `element` (`<LogicalId.Arn>`). */
function logicalIdOf(element: CfnElement): string {
  const stack = Stack.of(element);
  return stack.resolve(stack.getLogicalId(element)) as string;
}

/** `arn:…:s3:::bucket/key` of an `s3://bucket/key` URI, or undefined for any other scheme. */
function s3ObjectArn(scope: Construct, uri: string): string | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return undefined;
  return Stack.of(scope).formatArn({
    service: 's3',
    region: '',
    account: '',
    resource: match[1] ?? '',
    resourceName: match[2],
  });
}
