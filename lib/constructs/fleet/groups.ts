import { RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resourcePrefix } from '../../../lambda/shared/names';
import type { Colour } from '../../../lambda/shared/colours';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import type { FleetConfig } from '../../config';
import { denyOtherParameters } from '../instance-permissions';
import { DefaultVersion } from './default-version';
import { COLOUR_TAG } from '../../../lambda/shared/tags';
import {
  fleetGroupName,
  fleetLaunchTemplateName,
  fleetLogGroupName,
  runtimeParameters,
} from '../../../lambda/shared/names';
import { instanceTelemetryUserData } from './instance-telemetry';

/**
 * Instance metadata hop limit. 1 keeps IMDSv2 tokens on the instance itself: the application
 * runs as a systemd service on the host, not in a container that would need a second hop,
 * and a forwarding proxy or SSRF-exposed process can no longer relay a token request.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
 */
export const IMDS_HOP_LIMIT = 1;

/**
 * Termination order when a group scales in: instances of an older launch template version go
 * first, then the oldest instances — what a rotation wants, and what keeps a scale-in from
 * removing freshly rolled-out capacity.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-termination-policies.html
 */
export const TERMINATION_POLICIES = ['OldestLaunchTemplate', 'OldestInstance'];

/** CloudWatch agent metrics namespace the instances may publish to (the agent's default). */
export const AGENT_METRICS_NAMESPACE = 'CWAgent';

export interface FleetGroupsProps {
  readonly environment: EnvironmentName;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly instanceType: string;
  /** The application the image carries (the image factory's `app.name`): its log is shipped. */
  readonly appName: string;
  readonly appPort: number;
  readonly rootVolumeGiB: number;
  readonly rootDeviceName: string;
  readonly maxSize: number;
  readonly healthCheck: FleetConfig['healthCheck'];
  readonly sessionManager: boolean;
  readonly logRetentionDays: logs.RetentionDays;
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  readonly targetGroups: Readonly<Record<Colour, elbv2.ApplicationTargetGroup>>;
  /** Deploy-time reference to the released AMI id. */
  readonly imageId: string;
  /** Deploy-time reference to each group's explicit launch-template version. */
  readonly launchTemplateVersion: Readonly<Record<Colour, string>>;
}

/**
 * The launch template, the instance role and security group, and the blue and green groups.
 *
 * The groups are L1 `CfnAutoScalingGroup`s. The L2 `AutoScalingGroup` always runs its
 * template's `versionNumber`, which for a template defined here is `LatestVersionNumber`
 * (moving the groups on every definition change and ruling out refresh rollback); an
 * imported template with a token version would do, but the L2 then refuses to act as a
 * connectable, which attaching it to a target group requires.
 */
export class FleetGroups extends Construct {
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  /** The instance profile of the launch template's role. */
  readonly instanceProfileArn: string;
  readonly logGroup: logs.LogGroup;
  readonly groups: Readonly<Record<Colour, autoscaling.CfnAutoScalingGroup>>;

  constructor(scope: Construct, id: string, props: FleetGroupsProps) {
    super(scope, id);
    const env = props.environment;

    this.securityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Fleet instances: app port from the load balancer only; HTTPS egress only',
    });
    this.securityGroup.connections.allowFrom(
      props.loadBalancerSecurityGroup,
      ec2.Port.tcp(props.appPort),
      'Requests and health checks from the load balancer',
    );
    // AWS APIs (VPC endpoints or NAT) and S3-hosted package repositories are all HTTPS.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and S3');

    // A fixed name: the launch template's user data configures the CloudWatch agent with it. Kept
    // when the stack is deleted (the instances' logs outlive a teardown), deleted when the create
    // that made it rolls back, so a failed first deploy can simply be retried. A re-created stack
    // adopts the kept group with `cdk deploy --import-existing-resources`: CloudFormation imports
    // a named resource whose name is a literal and whose policy is Retain or RetainExceptOnCreate.
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: fleetLogGroupName(env),
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.role = this.instanceRole(props);
    // The image installs the agent for every environment; this environment's instances configure
    // it at boot with their own log group and namespace, which the role above may write.
    const userData = instanceTelemetryUserData({
      appName: props.appName,
      logGroupName: fleetLogGroupName(env),
      metricsNamespace: AGENT_METRICS_NAMESPACE,
    });

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateName: fleetLaunchTemplateName(env),
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: {
        getImage: () => ({
          imageId: props.imageId,
          osType: ec2.OperatingSystemType.LINUX,
          userData,
        }),
      },
      userData,
      role: this.role,
      securityGroup: this.securityGroup,
      httpEndpoint: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: IMDS_HOP_LIMIT,
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: props.rootDeviceName,
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            // The account's AWS managed key (aws/ebs). A customer managed key would need a key
            // policy naming the Auto Scaling service-linked role, which a fresh account lacks
            // until its first group exists, so the first deploy would fail.
            encrypted: true,
            deleteOnTermination: true,
          }),
        },
      ],
    });

    // The profile the template creates for its role; launch rights are conditioned on its ARN.
    this.instanceProfileArn = (
      this.launchTemplate.node.findChild('Profile') as iam.CfnInstanceProfile
    ).attrArn;

    new DefaultVersion(this, 'DefaultVersion', {
      launchTemplate: this.launchTemplate,
      logRetention: props.logRetentionDays,
    });

    const subnetIds = props.vpc.selectSubnets(props.subnets).subnetIds;
    this.groups = {
      blue: this.group('blue', props, subnetIds),
      green: this.group('green', props, subnetIds),
    };
  }

  private instanceRole(props: FleetGroupsProps): iam.Role {
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Fleet instances of ${resourcePrefix(props.environment)}`,
      managedPolicies: props.sessionManager
        ? [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')]
        : [],
    });
    this.logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        // PutMetricData has no resource-level permissions; the namespace condition scopes it.
        // @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': AGENT_METRICS_NAMESPACE } },
      }),
    );
    if (props.sessionManager) {
      denyOtherParameters(role, [`${runtimeParameters(props.environment).root}/*`]);
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        reason:
          'fleet.sessionManager is on: AmazonSSMManagedInstanceCore is the policy AWS maintains for the SSM ' +
          'agent and Session Manager channels; a copy would silently fall behind agent changes.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `cloudwatch:PutMetricData has no resource-level permissions; it is limited to the ${AGENT_METRICS_NAMESPACE} namespace by condition.`,
    });
    return role;
  }

  private group(
    colour: Colour,
    props: FleetGroupsProps,
    subnetIds: string[],
  ): autoscaling.CfnAutoScalingGroup {
    const targetGroup = props.targetGroups[colour];
    const group = new autoscaling.CfnAutoScalingGroup(this, colour === 'blue' ? 'Blue' : 'Green', {
      autoScalingGroupName: fleetGroupName(props.environment, colour),
      // Runtime-owned sizes: the workflow sets desired capacity and raises the live colour's
      // minimum; the template only bounds the group.
      minSize: '0',
      maxSize: String(props.maxSize),
      launchTemplate: {
        launchTemplateId: this.launchTemplate.launchTemplateId!,
        version: props.launchTemplateVersion[colour],
      },
      vpcZoneIdentifier: subnetIds,
      targetGroupArns: [targetGroup.targetGroupArn],
      // "ELB" adds the target group's verdict to the EC2 status checks, which always apply.
      // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html
      healthCheckType: 'ELB',
      healthCheckGracePeriod: props.healthCheck.gracePeriodSeconds,
      // An instance counts towards refresh progress and scaling metrics once the application
      // has had its grace period to start.
      defaultInstanceWarmup: props.healthCheck.gracePeriodSeconds,
      capacityRebalance: true,
      terminationPolicies: TERMINATION_POLICIES,
      metricsCollection: [{ granularity: '1Minute' }],
      tags: [
        { key: COLOUR_TAG, value: colour, propagateAtLaunch: true },
        { key: 'Name', value: fleetGroupName(props.environment, colour), propagateAtLaunch: true },
      ],
    });
    // Without this, any update of the group resource re-sends MinSize 0 and would drop the
    // live colour's runtime minimum. It never replaces or rolls instances. AWS documents it for
    // groups with scheduled actions, but its effect (apply a size property only when the template
    // changes it) does not depend on one; CDK sets it on every AutoScalingGroup for this reason.
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html#cfn-attributes-updatepolicy-scheduledactions
    group.cfnOptions.updatePolicy = {
      autoScalingScheduledAction: { ignoreUnmodifiedGroupSizeProperties: true },
    };
    // A target group must belong to a load balancer before a group can register into it.
    group.node.addDependency(targetGroup.loadBalancerAttached);
    Tags.of(group).add(COLOUR_TAG, colour);
    Validations.of(group).acknowledge({
      id: 'AwsSolutions-AS3',
      reason:
        'Every scaling of these groups is made by the rollout workflow, which records and notifies it; ' +
        'Auto Scaling also emits each launch and termination to EventBridge without a topic.',
    });
    return group;
  }
}
