import { Annotations, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { CfnElement, StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { deployabilityWarnings } from '../config';
import type { DeepReadonly, EnvironmentConfig } from '../config';
import { BakePipeline } from '../constructs/bake';
import { ImmutableFleet } from '../constructs/fleet';
import { EnvironmentNetwork } from '../constructs/network';
import { RolloutWorkflow } from '../constructs/rollout';
import { formerLogicalId } from './moved-constructs';
import type { Move } from './moved-constructs';

/**
 * Constructs that moved since the stack was first deployed. Their resources keep the logical ids
 * they were deployed with: a new one would make CloudFormation replace the resource (a VPC with
 * everything in it, the ledger table), and a resource with a fixed name (topic, state machine,
 * queue, alarm, schedule) cannot be replaced at all, so the deploy would fail.
 */
const MOVED: readonly Move[] = [
  // The stack builds the network the fleet used to build itself.
  { now: 'Network', then: 'Fleet/Network' },
  // The rollout workflow, split into one construct per concern (each keeps its primary
  // resource's id with the id 'Default'; these are the others).
  { now: 'Rollout/Notifications/Key', then: 'Rollout/TopicKey' },
  { now: 'Rollout/StateMachine/ExecutionLogs', then: 'Rollout/ExecutionLogs' },
];

export interface ImmutableStackProps extends StackProps {
  /** The validated configuration of the environment this stack deploys. */
  readonly config: DeepReadonly<EnvironmentConfig>;
}

/** One environment: composes its network, the bake pipeline, the fleet and the rollout workflow. */
export class ImmutableStack extends Stack {
  readonly config: DeepReadonly<EnvironmentConfig>;
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
    // Synth keeps working for an environment that is not deployable yet, and says why.
    for (const warning of deployabilityWarnings(config)) {
      Annotations.of(this).addWarningV2('immutable:not-deployable', warning);
    }
    const network = new EnvironmentNetwork(this, 'Network', {
      network: config.network,
      internetFacing: config.fleet.loadBalancer.internetFacing,
      logRetentionDays: config.fleet.logRetentionDays,
    });
    this.fleet = new ImmutableFleet(this, 'Fleet', {
      environment: config.name,
      vpc: network.vpc,
      ...config.fleet,
    });
    network.allowEndpointsFrom(this.fleet);
    this.bake = new BakePipeline(this, 'Bake', {
      environment: config.name,
      sourceRevision: config.sourceRevision,
      ...config.bake,
      appPort: config.fleet.appPort,
      healthCheckPath: config.fleet.healthCheck.path,
      // Whoever hears of rollouts hears of the images that start them.
      notificationEmails: config.rollout.notificationEmails,
      vpc: network.vpc,
      subnetSelection: network.egressSubnets,
    });
    this.rollout = new RolloutWorkflow(this, 'Rollout', {
      environment: config.name,
      fleet: this.fleet,
      images: this.bake,
      ...config.rollout,
      logRetentionDays: config.fleet.logRetentionDays,
    });

    // What operators and their tools look up (`aws cloudformation describe-stacks`).
    new CfnOutput(this, 'LedgerTableName', {
      description: 'The rollout lock, fleet record and ledger (DynamoDB); a re-created stack gets a new one',
      value: this.rollout.table.tableName,
    });
    new CfnOutput(this, 'RolloutTopicArn', {
      description: 'Rollout outcomes and trigger failures: subscribe here (aws sns subscribe)',
      value: this.rollout.topic.topicArn,
    });
    new CfnOutput(this, 'ImageTopicArn', {
      description: 'Images baked (AVAILABLE) or failed: subscribe here (aws sns subscribe)',
      value: this.bake.notificationTopic.topicArn,
    });
  }

  /** Resources of moved constructs keep the logical ids they were deployed with (see {@link MOVED}). */
  protected override allocateLogicalId(element: CfnElement): string {
    return formerLogicalId(this, element, MOVED) ?? super.allocateLogicalId(element);
  }
}
