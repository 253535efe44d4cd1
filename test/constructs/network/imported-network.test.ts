import { Stack, Stage } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentConfig } from '../../../lib/config';
import { bareApp, templateOf } from '../../support/bare-stack';
import { fleetStack } from '../fleet/fleet-stack';

const PRIVATE = ['subnet-0000000000000000a', 'subnet-0000000000000000b'];
const PUBLIC = ['subnet-0000000000000000c', 'subnet-0000000000000000d'];

/** Put an environment on an imported VPC, its load balancer internet-facing or internal. */
function importing(config: EnvironmentConfig, internetFacing: boolean): void {
  config.network = {
    kind: 'import',
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.40.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: PRIVATE,
    publicSubnetIds: internetFacing ? PUBLIC : [],
  };
  config.fleet.loadBalancer = { ...config.fleet.loadBalancer, internetFacing };
}

/** staging's network and fleet alone, on an imported VPC with and without public subnets: one app. */
let publicStack: Stack;
let publicLb: Template;
let internalLb: Template;

beforeAll(() => {
  const app = bareApp();
  const variant = (id: string, internetFacing: boolean) =>
    fleetStack('staging', {
      stack: new Stack(app, id),
      change: (config) => importing(config, internetFacing),
    }).stack;
  publicStack = variant('Public', true);
  const internalStack = variant('Internal', false);
  publicLb = templateOf(publicStack);
  internalLb = templateOf(internalStack);
});

describe('network: an imported VPC', () => {
  it('creates no network resources and performs no lookup', () => {
    for (const template of [publicLb, internalLb]) {
      for (const type of [
        'AWS::EC2::VPC',
        'AWS::EC2::Subnet',
        'AWS::EC2::NatGateway',
        'AWS::EC2::VPCEndpoint',
        'AWS::EC2::FlowLog',
      ]) {
        template.resourceCountIs(type, 0);
      }
    }
    expect(Stage.of(publicStack)!.synth().manifest.missing ?? []).toEqual([]);
  });

  it('runs instances in the configured private subnets', () => {
    publicLb.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', { VPCZoneIdentifier: PRIVATE });
    publicLb.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Fleet instances'),
      VpcId: 'vpc-0123456789abcdef0',
    });
  });

  it('puts an internet-facing load balancer in the public subnets', () => {
    publicLb.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Subnets: PUBLIC,
    });
  });

  it('puts an internal load balancer in the private subnets', () => {
    internalLb.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Subnets: PRIVATE,
    });
  });
});
