import { CfnResource, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { COLOURS } from '../../../lambda/shared/colours';
import type { Colour } from '../../../lambda/shared/colours';
import type { FleetConfig } from '../../config';
import { accessLogWriters } from './access-log-principal';
import { COLOUR_TAG } from '../../../lambda/shared/tags';

/**
 * AWS's recommended policy for HTTPS listeners: TLS 1.3 and a restricted set of TLS 1.2
 * ciphers, with hybrid post-quantum key exchange for clients that offer it.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const TLS_POLICY = elbv2.SslPolicy.TLS13_12_RES_PQ;

/**
 * Seconds a deregistering target keeps draining in-flight requests. Rotations deregister
 * every instance; the default 300 s would add five minutes per batch for requests that
 * finish in well under a second.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
 */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/** Key prefix of the access logs inside their bucket. */
export const ACCESS_LOG_PREFIX = 'alb';

export interface FleetLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly appPort: number;
  /** The target groups' health check: the fleet's settings and the application's path. */
  readonly healthCheck: FleetConfig['healthCheck'] & { readonly path: string };
  readonly loadBalancer: FleetConfig['loadBalancer'];
  readonly logRetentionDays: number;
  /** Each colour's listener weight (deploy-time references, never literals). */
  readonly weights: Readonly<Record<Colour, number>>;
}

/**
 * The ALB, its access-log bucket, the blue and green target groups, and the listener whose
 * weighted forward action the rollout workflow shifts.
 */
export class FleetLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  /** The listener that carries traffic (HTTPS with a certificate, else HTTP). */
  readonly listener: elbv2.ApplicationListener;
  /** Port 80 listener that only redirects to 443; present with a certificate. */
  readonly redirectListener?: elbv2.ApplicationListener;
  readonly targetGroups: Readonly<Record<Colour, elbv2.ApplicationTargetGroup>>;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FleetLoadBalancerProps) {
    super(scope, id);
    const { vpc, loadBalancer: lb } = props;
    const { certificateArn } = lb;
    const https = certificateArn !== undefined;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      allowAllOutbound: false,
      description: 'Load balancer: listener ports from the configured CIDR; egress to the fleet only',
    });
    const listenerPort = https ? 443 : 80;
    this.securityGroup.addIngressRule(
      ec2.Peer.ipv4(lb.ingressCidr),
      ec2.Port.tcp(listenerPort),
      https ? 'HTTPS from clients' : 'HTTP from clients',
    );
    if (https) {
      this.securityGroup.addIngressRule(
        ec2.Peer.ipv4(lb.ingressCidr),
        ec2.Port.tcp(80),
        'HTTP, redirected to HTTPS',
      );
    }
    if (lb.ingressCidr === '0.0.0.0/0') {
      Validations.of(this.securityGroup).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: `The load balancer serves the public (ingressCidr ${lb.ingressCidr}); only its listener ports are open.`,
      });
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      vpcSubnets: props.subnets,
      internetFacing: lb.internetFacing,
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: lb.deletionProtection,
    });

    this.accessLogBucket = this.logAccessLogs(props.logRetentionDays);

    this.targetGroups = { blue: this.targetGroup('blue', props), green: this.targetGroup('green', props) };
    // No stickiness: a canary at 5 % must see 5 % of requests, not 5 % of the clients that
    // happened to arrive first. The weights are list elements of a parameter (strings), which
    // CloudFormation converts for the integer Weight as it does for any Ref to a parameter.
    const forward = elbv2.ListenerAction.weightedForward(
      COLOURS.map((colour) => ({ targetGroup: this.targetGroups[colour], weight: props.weights[colour] })),
    );

    if (https) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
        sslPolicy: TLS_POLICY,
        open: false,
        defaultAction: forward,
      });
      this.redirectListener = this.loadBalancer.addListener('HttpRedirect', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: forward,
      });
    }
  }

  private targetGroup(colour: Colour, props: FleetLoadBalancerProps): elbv2.ApplicationTargetGroup {
    const hc = props.healthCheck;
    const group = new elbv2.ApplicationTargetGroup(this, colour === 'blue' ? 'Blue' : 'Green', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.INSTANCE,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: props.appPort,
      deregistrationDelay: Duration.seconds(DEREGISTRATION_DELAY_SECONDS),
      healthCheck: {
        enabled: true,
        protocol: elbv2.Protocol.HTTP,
        path: hc.path,
        interval: Duration.seconds(hc.intervalSeconds),
        timeout: Duration.seconds(hc.timeoutSeconds),
        healthyThresholdCount: hc.healthyThreshold,
        unhealthyThresholdCount: hc.unhealthyThreshold,
        healthyHttpCodes: '200',
      },
    });
    Tags.of(group).add(COLOUR_TAG, colour);
    return group;
  }

  /**
   * ALB access logs only support SSE-S3 buckets, so this bucket uses S3-managed keys.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
   */
  private logAccessLogs(retentionDays: number): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        { expiration: Duration.days(retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is itself a log destination (ALB access logs); S3 server access logs of it would need ' +
        'another log bucket with the same finding. Object-level audit belongs to CloudTrail data events.',
    });
    const objects = bucket.arnForObjects(`${ACCESS_LOG_PREFIX}/AWSLogs/${Stack.of(this).account}/*`);
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        principals: accessLogWriters(this),
        resources: [objects],
      }),
    );
    this.loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    this.loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
    this.loadBalancer.setAttribute('access_logs.s3.prefix', ACCESS_LOG_PREFIX);
    // ELB checks it may write to the bucket when the attribute is set: the policy must exist first.
    const policy = bucket.policy?.node.defaultChild;
    if (policy instanceof CfnResource) {
      (this.loadBalancer.node.defaultChild as CfnResource).addResourceDependency(policy);
    }
    return bucket;
  }
}
