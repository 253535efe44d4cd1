import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ImmutableFleet } from '../../../lib/constructs/fleet';
import type { ImmutableFleetProps } from '../../../lib/constructs/fleet';
import { bareStack, templateOf } from '../../support/bare-stack';
import { configOf } from '../../support/synth';
import { fleetProps } from './fleet-stack';

/** A fleet alone in a stack, in a VPC with public and isolated subnets (no NAT). */
function fleetIn(overrides: (vpc: ec2.Vpc) => Partial<ImmutableFleetProps> = () => ({})) {
  const stack = bareStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  new ImmutableFleet(stack, 'Fleet', { ...fleetProps(configOf('dev'), vpc), ...overrides(vpc) });
  const subnets = (selection: ec2.SubnetSelection) =>
    vpc.selectSubnets(selection).subnetIds.map((id) => stack.resolve(id) as unknown);
  return { template: templateOf(stack), subnets };
}

describe('the VPC the fleet is given', () => {
  const { template, subnets } = fleetIn();

  it('runs the instances in its private subnets (isolated when it has no others)', () => {
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      VPCZoneIdentifier: subnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }),
    });
  });

  it('puts an internet-facing load balancer in its public subnets', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Subnets: subnets({ subnetType: ec2.SubnetType.PUBLIC }),
    });
  });

  it('runs the instances in the subnets it is told to', () => {
    const told = fleetIn((vpc) => ({
      instanceSubnets: { subnets: [vpc.isolatedSubnets[0] as ec2.ISubnet] },
    }));
    told.template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      VPCZoneIdentifier: [told.subnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED })[0]],
    });
  });
});
