import { Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { BakePipeline } from '../constructs/bake';

export interface ImmutableStackProps extends StackProps {
  /** The validated configuration of the environment this stack deploys. */
  readonly config: EnvironmentConfig;
}

/** One environment: composes the bake pipeline, the fleet and the rollout workflow. */
export class ImmutableStack extends Stack {
  readonly config: EnvironmentConfig;
  /** Bakes the environment's golden AMIs. */
  readonly bake: BakePipeline;

  constructor(scope: Construct, id: string, props: ImmutableStackProps) {
    super(scope, id, props);
    this.config = props.config;
    const { config } = props;
    Tags.of(this).add('immutable:environment', props.config.name);
    this.bake = new BakePipeline(this, 'Bake', {
      environment: config.name,
      sourceRevision: config.sourceRevision,
      ...config.bake,
      appPort: config.fleet.appPort,
      healthCheckPath: config.fleet.healthCheck.path,
    });
  }
}
