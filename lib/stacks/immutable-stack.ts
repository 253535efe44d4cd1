import { Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ImmutableFleet } from '../constructs/fleet';

export interface ImmutableStackProps extends StackProps {
  /** The validated configuration of the environment this stack deploys. */
  readonly config: EnvironmentConfig;
}

/** One environment: composes the bake pipeline, the fleet and the rollout workflow. */
export class ImmutableStack extends Stack {
  readonly config: EnvironmentConfig;
  readonly fleet: ImmutableFleet;

  constructor(scope: Construct, id: string, props: ImmutableStackProps) {
    super(scope, id, props);
    this.config = props.config;
    Tags.of(this).add('immutable:environment', props.config.name);
    const config = props.config;
    this.fleet = new ImmutableFleet(this, 'Fleet', {
      environment: config.name,
      network: config.network,
      ...config.fleet,
    });
  }
}
