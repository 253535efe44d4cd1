import type { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { EnvironmentConfig } from '../../../lib/config';
import { ImmutableFleet } from '../../../lib/constructs/fleet';
import type { ImmutableFleetProps } from '../../../lib/constructs/fleet';
import { EnvironmentNetwork } from '../../../lib/constructs/network';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { bareStack } from '../../support/bare-stack';
import type { BareStackProps } from '../../support/bare-stack';
import { configOf, factoryConfig } from '../../support/synth';

/**
 * The props an environment's stack gives its fleet (as immutable-stack.ts does): the configured
 * environment's `fleet` block and the image factory's application, in `vpc`.
 */
export function fleetProps(config: EnvironmentConfig, vpc: ec2.IVpc): ImmutableFleetProps {
  const { name, port, healthCheckPath } = factoryConfig().app;
  return {
    environment: config.name,
    vpc,
    ...config.fleet,
    appName: name,
    appPort: port,
    healthCheckPath,
  };
}

export interface FleetStack {
  readonly stack: Stack;
  readonly network: EnvironmentNetwork;
  readonly fleet: ImmutableFleet;
}

export interface FleetStackOptions {
  /** Change the configured environment before the fleet is built from it. */
  readonly change?: (config: EnvironmentConfig) => void;
  /** Build in this stack. @default - a bare stack of its own */
  readonly stack?: Stack;
  /** The bare stack's props (its id, an account and region), when no stack is given. */
  readonly stackProps?: BareStackProps;
}

/**
 * An environment's fleet alone, in the environment's network, as its stack builds them: for what
 * the fleet decides, without the rollout workflow and operations around it.
 */
export function fleetStack(env: EnvironmentName, options: FleetStackOptions = {}): FleetStack {
  const config = configOf(env);
  options.change?.(config);
  const stack = options.stack ?? bareStack(options.stackProps);
  const network = new EnvironmentNetwork(stack, 'Network', {
    network: config.network,
    internetFacing: config.fleet.loadBalancer.internetFacing,
    logRetentionDays: config.fleet.logRetentionDays,
  });
  const fleet = new ImmutableFleet(stack, 'Fleet', fleetProps(config, network.vpc));
  network.allowEndpointsFrom(fleet);
  return { stack, network, fleet };
}
