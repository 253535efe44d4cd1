import { validateEnvironment } from '../../lib/config';
import { configOf } from '../support/synth';

describe('fleet config validation', () => {
  const fails = (mutate: (c: Record<string, any>) => void, env: 'dev' | 'staging' | 'prod' = 'prod') => {
    const c = configOf(env) as unknown as Record<string, any>;
    mutate(c);
    return () => validateEnvironment(c);
  };
  const imported = (c: Record<string, any>) => {
    c.network = {
      kind: 'import',
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidr: '10.40.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      publicSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
    };
  };

  it('accepts an imported network with one subnet per zone', () => {
    expect(fails(imported)).not.toThrow();
  });

  it('fails when capacity.desired exceeds capacity.max', () => {
    expect(fails((c) => (c.fleet.capacity.desired = 30))).toThrow(
      /prod\.fleet\.capacity\.desired must be <= capacity\.max \(24\), got 30/,
    );
  });

  it('fails when logRetentionDays is not a CloudWatch Logs retention period', () => {
    expect(fails((c) => (c.fleet.logRetentionDays = 100))).toThrow(
      /prod\.fleet\.logRetentionDays must be a CloudWatch Logs retention period \(1, 3, 5, .*3653\), got 100/,
    );
  });

  it('fails when an imported network lists fewer private subnets than zones', () => {
    expect(
      fails((c) => {
        imported(c);
        c.network.privateSubnetIds = ['subnet-0000000000000000a'];
      }),
    ).toThrow(
      /prod\.network\.privateSubnetIds must list one subnet per availability zone \(2\), got \["subnet-0000000000000000a"\]/,
    );
  });

  it('fails when an internet-facing load balancer has no public subnets in an imported network', () => {
    expect(
      fails((c) => {
        imported(c);
        c.network.publicSubnetIds = [];
      }),
    ).toThrow(
      /prod\.network\.publicSubnetIds must list one subnet per availability zone \(2\) for an internet-facing load balancer, got \[\]/,
    );
  });

  it('accepts an internal load balancer without public subnets', () => {
    expect(
      fails((c) => {
        imported(c);
        c.network.publicSubnetIds = [];
        c.fleet.loadBalancer.internetFacing = false;
      }),
    ).not.toThrow();
  });
});
