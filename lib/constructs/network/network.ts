import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { NetworkConfig } from '../../config';

export interface EnvironmentNetworkProps {
  /** A new VPC (`kind: 'new'`) or an existing one described by ids (`kind: 'import'`). */
  readonly network: NetworkConfig;
  /** Whether the fleet's load balancer faces the internet (a new VPC then gets public subnets). */
  readonly internetFacing: boolean;
  /** Days the VPC flow logs are kept (a new VPC only). */
  readonly logRetentionDays: logs.RetentionDays;
  /**
   * Interface endpoints this network's workers need beyond {@link ISOLATED_INTERFACE_ENDPOINTS}
   * when it has no NAT (the image factory's builds talk to Image Builder).
   * @default - none
   */
  readonly extraInterfaceEndpoints?: Readonly<Record<string, ec2.IInterfaceVpcEndpointService>>;
}

/**
 * Interface endpoints a VPC without NAT needs so instances reach Systems Manager (agent,
 * Session Manager channels) and CloudWatch (logs, metrics) privately.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
 */
export const ISOLATED_INTERFACE_ENDPOINTS = {
  Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  SsmMessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  Ec2Messages: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
} as const;

/**
 * Where an environment's fleet and image builds run. Never a `fromLookup`: a new VPC is fully
 * described by config, an existing one by its ids, so synth stays offline and deterministic.
 */
export class EnvironmentNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  /**
   * Private subnets for short-lived workers (image builds): behind NAT when there is one; without
   * NAT, isolated, reaching AWS through the interface endpoints and S3 through its gateway
   * endpoint (the Amazon Linux 2023 package repositories are S3 buckets). A public subnet would
   * not do: Image Builder gives its instances no public address, so without NAT they would reach
   * nothing. An imported network's private subnets are assumed to route out.
   * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html
   * @see https://repost.aws/knowledge-center/ec2-al1-al2-update-yum-without-internet
   */
  readonly workerSubnets: ec2.SubnetSelection;
  /**
   * The interface endpoints' security group (no NAT only). It admits nobody by default:
   * see {@link allowEndpointsFrom}.
   */
  private readonly endpointSecurityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: EnvironmentNetworkProps) {
    super(scope, id);
    const { network, internetFacing } = props;
    const privateWithEgress = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    if (network.kind === 'import') {
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: network.vpcId,
        vpcCidrBlock: network.vpcCidr,
        availabilityZones: [...network.availabilityZones],
        privateSubnetIds: [...network.privateSubnetIds],
        publicSubnetIds: network.publicSubnetIds.length > 0 ? [...network.publicSubnetIds] : undefined,
      });
      this.workerSubnets = privateWithEgress;
    } else {
      const isolated = network.natGateways === 0;
      const privateType = isolated ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS;
      const needsPublic = internetFacing || !isolated;
      if (!network.availabilityZones && network.maxAzs > 2 && Token.isUnresolved(Stack.of(this).region)) {
        Annotations.of(this).addWarningV2(
          'immutable:fleet-two-zones',
          `An environment-agnostic stack can only use 2 availability zones (maxAzs is ${network.maxAzs}); ` +
            'set account, region and network.availabilityZones to spread the fleet wider.',
        );
      }
      const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
        retention: props.logRetentionDays,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const vpc = new ec2.Vpc(this, 'Vpc', {
        ipAddresses: ec2.IpAddresses.cidr(network.cidr),
        ...(network.availabilityZones
          ? { availabilityZones: [...network.availabilityZones] }
          : { maxAzs: network.maxAzs }),
        natGateways: network.natGateways,
        subnetConfiguration: [
          ...(needsPublic
            ? [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false }]
            : []),
          { name: 'private', subnetType: privateType },
        ],
        flowLogs: {
          all: {
            destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
            trafficType: ec2.FlowLogTrafficType.ALL,
          },
        },
      });
      const privateSubnets = { subnetType: privateType };
      this.workerSubnets = privateSubnets;
      if (isolated) {
        this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
          vpc,
          allowAllOutbound: false,
          description: 'Interface endpoints: HTTPS from the instances of this network only',
        });
        const endpoints = { ...ISOLATED_INTERFACE_ENDPOINTS, ...props.extraInterfaceEndpoints };
        for (const [endpointId, service] of Object.entries(endpoints)) {
          vpc.addInterfaceEndpoint(endpointId, {
            service,
            privateDnsEnabled: true,
            subnets: privateSubnets,
            securityGroups: [this.endpointSecurityGroup],
            open: false,
          });
        }
      }
      // Free, and keeps package and artifact downloads off the NAT (or possible at all without one).
      vpc.addGatewayEndpoint('S3', {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [privateSubnets],
      });
      this.vpc = vpc;
    }
  }

  /** Lets `peer` (fleet or build instances) reach AWS APIs through the interface endpoints, if any. */
  allowEndpointsFrom(peer: ec2.IConnectable): void {
    if (!this.endpointSecurityGroup) return;
    peer.connections.allowTo(
      this.endpointSecurityGroup,
      ec2.Port.tcp(443),
      'AWS APIs through interface endpoints',
    );
  }
}
