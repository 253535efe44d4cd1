import { Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { BakePipeline } from '../constructs/bake';
import { ImmutableFleet } from '../constructs/fleet';
import { RolloutWorkflow } from '../constructs/rollout/rollout-workflow';

export interface ImmutableStackProps extends StackProps {
  /** The validated configuration of the environment this stack deploys. */
  readonly config: EnvironmentConfig;
}

/** One environment: composes the bake pipeline, the fleet and the rollout workflow. */
export class ImmutableStack extends Stack {
  readonly config: EnvironmentConfig;
  /** Bakes the environment's golden AMIs. */
  readonly bake: BakePipeline;
  /** Serves them: the ALB and the blue/green groups. */
  readonly fleet: ImmutableFleet;
  /** Rotates and promotes them: the rollout state machine and its triggers. */
  readonly rollout: RolloutWorkflow;

  constructor(scope: Construct, id: string, props: ImmutableStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    Tags.of(this).add('immutable:environment', config.name);
    this.fleet = new ImmutableFleet(this, 'Fleet', {
      environment: config.name,
      network: config.network,
      ...config.fleet,
    });
    this.bake = new BakePipeline(this, 'Bake', {
      environment: config.name,
      sourceRevision: config.sourceRevision,
      ...config.bake,
      appPort: config.fleet.appPort,
      healthCheckPath: config.fleet.healthCheck.path,
      vpc: this.fleet.vpc,
      subnetSelection: buildSubnets(config),
    });
    this.rollout = new RolloutWorkflow(this, 'Rollout', {
      environment: config.name,
      fleet: this.fleet,
      images: this.bake,
      ...config.rollout,
    });
  }
}

/**
 * Builds fetch OS updates and artifacts. In a network this stack creates, they go through
 * NAT when it has one, else they run in a public subnet (no ingress, HTTPS egress only,
 * short-lived instances). An imported network's private subnets are assumed to route out.
 */
function buildSubnets(config: EnvironmentConfig): ec2.SubnetSelection {
  const n = config.network;
  const privateWithEgress = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  if (n.kind === 'import') return privateWithEgress;
  return n.natGateways > 0 ? privateWithEgress : { subnetType: ec2.SubnetType.PUBLIC };
}
