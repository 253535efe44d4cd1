import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentConfig } from '../../../lib/config';
import { configOf, testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';

const PRIVATE = ['subnet-0000000000000000a', 'subnet-0000000000000000b'];
const PUBLIC = ['subnet-0000000000000000c', 'subnet-0000000000000000d'];

function importing(internetFacing: boolean): EnvironmentConfig {
  const config = configOf('staging');
  config.network = {
    kind: 'import',
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.40.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: PRIVATE,
    publicSubnetIds: internetFacing ? PUBLIC : [],
  };
  config.fleet.loadBalancer = { ...config.fleet.loadBalancer, internetFacing };
  return config;
}

let publicApp: TestApp;
let internalApp: TestApp;
let publicLb: Template;
let internalLb: Template;

beforeAll(() => {
  publicApp = testApp({ environments: [importing(true)] });
  internalApp = testApp({ environments: [importing(false)] });
  publicLb = publicApp.template('staging');
  internalLb = internalApp.template('staging');
});
afterAll(() => {
  publicApp.cleanup();
  internalApp.cleanup();
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
    expect(publicApp.app.synth().manifest.missing ?? []).toEqual([]);
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
