import { Stack } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES, productTemplate } from '../../support/templates';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { bareApp } from '../../support/bare-stack';
import { fleetStack } from '../fleet/fleet-stack';

const GROUP = 'AWS::AutoScaling::AutoScalingGroup';
const INGRESS = 'AWS::EC2::SecurityGroupIngress';

/** The shipped configuration's templates, from the run's single synthesis. */
let dev: Template;
let staging: Template;
let prod: Template;
/** Every configured environment's network and fleet alone, each in a stack of one app: what synth warns of and looks up. */
let app: App;
const stacks = new Map<EnvironmentName, Stack>();

beforeAll(() => {
  dev = productTemplate('dev');
  staging = productTemplate('staging');
  prod = productTemplate('prod');
  app = bareApp();
  for (const env of ENVIRONMENT_NAMES) {
    stacks.set(env, fleetStack(env, { stack: new Stack(app, `Immutable-${env}`) }).stack);
  }
});

const logicalIdOf = (template: Template, type: string, props: object) => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('a network built from config', () => {
  it('builds the VPC from config with flow logs on', () => {
    dev.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.10.0.0/16' });
    prod.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.30.0.0/16' });
    dev.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL' });
    dev.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    prod.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('without NAT, keeps instances in isolated subnets reaching AWS through endpoints', () => {
    dev.resourceCountIs('AWS::EC2::NatGateway', 0);
    for (const service of ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'monitoring']) {
      dev.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }),
      });
    }
    dev.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.s3'])] }),
    });
    // Isolated private subnets have no default route at all.
    const privateTables = dev.findResources('AWS::EC2::RouteTable', {
      Properties: {
        Tags: Match.arrayWith([Match.objectLike({ Value: Match.stringLikeRegexp('/privateSubnet') })]),
      },
    });
    const routes = Object.values(dev.findResources('AWS::EC2::Route')).filter(
      (r) =>
        r.Properties.DestinationCidrBlock === '0.0.0.0/0' && r.Properties.RouteTableId.Ref in privateTables,
    );
    expect(Object.keys(privateTables).length).toBeGreaterThan(0);
    expect(routes).toHaveLength(0);
  });

  it('opens the endpoints to the fleet instances only', () => {
    const endpointSg = logicalIdOf(dev, 'AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Interface endpoints'),
    });
    const instanceSg = logicalIdOf(dev, 'AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Fleet instances'),
    });
    dev.hasResourceProperties(INGRESS, {
      GroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [instanceSg, 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
    expect(
      Object.keys(
        dev.findResources(INGRESS, { Properties: { GroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] } } }),
      ),
    ).toHaveLength(1);
  });

  it('with NAT, uses private subnets with egress and needs no interface endpoints', () => {
    staging.resourceCountIs('AWS::EC2::NatGateway', 1);
    staging.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    staging.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });

  it('runs instances in the private subnets, never public ones', () => {
    for (const template of [dev, staging, prod]) {
      const privateSubnets = Object.keys(
        template.findResources('AWS::EC2::Subnet', {
          Properties: {
            MapPublicIpOnLaunch: false,
            Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: 'private' }]),
          },
        }),
      );
      expect(privateSubnets.length).toBeGreaterThanOrEqual(2);
      template.allResourcesProperties(GROUP, {
        VPCZoneIdentifier: privateSubnets.map((id) => ({ Ref: id })),
      });
    }
  });

  it('warns that an environment-agnostic stack spreads over 2 zones only when more are configured', () => {
    const twoZones = /environment-agnostic stack can only use 2 availability zones \(maxAzs is 3\)/;
    Annotations.fromStack(stacks.get('prod')!).hasWarning(
      '/Immutable-prod/Network',
      Match.stringLikeRegexp(twoZones.source),
    );
    Annotations.fromStack(stacks.get('dev')!).hasNoWarning('*', Match.stringLikeRegexp(twoZones.source));
  });

  it('needs no context lookup (nothing missing from the cloud assembly)', () => {
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });
});
