import { Names, Stack, Tags } from 'aws-cdk-lib';
import type { CfnElement, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { BakePipeline } from '../constructs/bake';
import { ImmutableFleet } from '../constructs/fleet';
import { RolloutWorkflow } from '../constructs/rollout/rollout-workflow';

/**
 * Constructs that moved since the stack was first deployed, from their path now to their path
 * then (both under the stack). CloudFormation knows a resource by its logical id, which CDK
 * derives from the construct path: a moved resource would otherwise be replaced on the next
 * deploy, and one with a fixed name (ledger table, topic, state machine, queue, alarm, schedule)
 * cannot be replaced at all, so the deploy would fail. Resources under a moved path keep the
 * logical ids they were deployed with.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/identifiers.html#identifiers_logical_ids
 */
const MOVED: ReadonlyArray<readonly [now: string, then: string]> = [
  // The rollout workflow, split into one construct per concern (each keeps its primary
  // resource's id with the id 'Default'; these are the others).
  ['Rollout/Notifications/Key', 'Rollout/TopicKey'],
  ['Rollout/StateMachine/ExecutionLogs', 'Rollout/ExecutionLogs'],
];

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

  /** The logical id a resource was deployed with, for resources that moved since (see {@link MOVED}). */
  protected override allocateLogicalId(element: CfnElement): string {
    const path = element.node.scopes.slice(this.node.scopes.length).map((scope) => scope.node.id);
    const at = path.join('/');
    for (const [now, then] of MOVED) {
      if (at === now || at.startsWith(`${now}/`)) {
        return logicalIdAt([...then.split('/'), ...path.slice(now.split('/').length)]);
      }
    }
    return super.allocateLogicalId(element);
  }
}

/** The logical id CDK derives from a path under a stack (its own algorithm, run on a detached tree). */
function logicalIdAt(path: readonly string[]): string {
  let node = new Construct(undefined as unknown as Construct, '');
  for (const id of path) node = new Construct(node, id);
  return Names.uniqueId(node);
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
