import { Annotations, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { CfnElement, StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PRODUCT_EVENTS } from '../../lambda/shared/events';
import { ENVIRONMENT_TAG } from '../../lambda/shared/tags';
import { deployabilityWarnings } from '../config';
import type { DeepReadonly, EnvironmentConfig, ProductConfig } from '../config';
import { logRetentionFor } from '../constructs/log-retention';
import { EventRoutes } from '../constructs/events/event-routes';
import { ImmutableFleet } from '../constructs/fleet';
import { EnvironmentNetwork } from '../constructs/network';
import { EnvironmentOperations } from '../constructs/operations';
import { RolloutWorkflow } from '../constructs/rollout';
import { topologyOf } from '../topology';
import type { EnvironmentTopology, Place, Topology } from '../topology';
import { configuredZones } from './configured-zones';
import { forwardId, receivers } from './forwards';
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
  /** The whole product: the image factory (the application's port and health path) and the other environments. */
  readonly product: DeepReadonly<ProductConfig>;
  /**
   * Who takes whose releases, what this stack forwards and who may send to it.
   * @default the topology of `product`
   */
  readonly topology?: Topology;
}

/**
 * One environment: composes its network, the fleet and the rollout workflow, and its part of the
 * release train (announcing its releases downstream and to the image factory, and taking what
 * the factory or the environment upstream releases).
 */
export class ImmutableStack extends Stack {
  readonly config: DeepReadonly<EnvironmentConfig>;
  /** Serves the images: the ALB and the blue/green groups. */
  readonly fleet: ImmutableFleet;
  /** Rotates and promotes them: the rollout state machine and its triggers. */
  readonly rollout: RolloutWorkflow;
  /** The dashboard, the fleet-age and drift alarms, and the answer to interactive access. */
  readonly operations: EnvironmentOperations;

  private readonly zones: string[] | undefined;

  constructor(scope: Construct, id: string, props: ImmutableStackProps) {
    super(scope, id, props);
    this.zones = configuredZones(props.config.network);
    const { config, product } = props;
    const topology = props.topology ?? topologyOf(product);
    const here = environmentOf(topology, config.name);
    this.config = config;
    Tags.of(this).add(ENVIRONMENT_TAG, config.name);
    // Synth keeps working for an environment that is not deployable yet, and says why.
    for (const warning of deployabilityWarnings(config)) {
      Annotations.of(this).addWarningV2('immutable:not-deployable', warning);
    }
    const app = product.imageFactory.app;
    const network = new EnvironmentNetwork(this, 'Network', {
      network: config.network,
      internetFacing: config.fleet.loadBalancer.internetFacing,
      logRetentionDays: config.fleet.logRetentionDays,
    });
    this.fleet = new ImmutableFleet(this, 'Fleet', {
      environment: config.name,
      vpc: network.vpc,
      ...config.fleet,
      appName: app.name,
      appPort: app.port,
      healthCheckPath: app.healthCheckPath,
    });
    network.allowEndpointsFrom(this.fleet);

    // Unpinned, every stack deploys to this account.
    const accountOf = (p: Place) => p.account ?? this.account;
    const upstream = here.upstream;
    this.rollout = new RolloutWorkflow(this, 'Rollout', {
      environment: config.name,
      fleet: this.fleet,
      images: {
        factoryAccount: accountOf(topology.imageFactory.place),
        scanGateSeverity: config.images.failOnSeverity,
        trustedOwners: config.images.trustedOwners,
        takesFactoryImages: upstream === undefined,
      },
      promotion: config.promotion,
      ...(upstream ? { upstreamAccount: accountOf(upstream.place) } : {}),
      downstream: here.downstream,
      ...config.rollout,
      logRetentionDays: config.fleet.logRetentionDays,
    });

    // What operators and their tools look up (`aws cloudformation describe-stacks`).
    new CfnOutput(this, 'LedgerTableName', {
      description: 'The rollout lock, fleet record and ledger (DynamoDB); a re-created stack gets a new one',
      value: this.rollout.table.tableName,
    });
    new CfnOutput(this, 'RolloutTopicArn', {
      description: 'Rollout and promotion outcomes and trigger failures: subscribe here (aws sns subscribe)',
      value: this.rollout.topic.topicArn,
    });

    this.operations = new EnvironmentOperations(this, 'Operations', {
      environment: config.name,
      fleet: this.fleet,
      workflow: this.rollout,
      onInteractiveAccess: config.fleet.onInteractiveAccess,
      names: this.rollout.settings,
      maxInstanceAgeDays: config.rollout.maxInstanceAgeDays,
      fleetAgeGraceDays: config.rollout.fleetAgeGraceDays,
      // Who opened a session on which instance is an audit record: kept as long as the rollouts'.
      logRetention: logRetentionFor(config.fleet.logRetentionDays),
    });

    // Releases go to the environments that promote from this one and to the factory (which tags
    // them); what crosses an account or region is forwarded, and the senders allowed in.
    const released = {
      source: [PRODUCT_EVENTS.imageReleased.source],
      detailType: [PRODUCT_EVENTS.imageReleased.detailType],
      account: [this.account],
      detail: { environment: [config.name] },
    };
    new EventRoutes(this, 'Routes', {
      receiver: config.name,
      deadLetters: this.rollout.deadLetters,
      forwards: here.forwards.map((forward) => ({
        id: forwardId('ReleasesTo', forward),
        description: `Forward ${config.name}'s Image Released to ${receivers(forward)}`,
        pattern: released,
        busArn: forward.bus,
      })),
      receiveFrom: here.admits,
    });
  }

  /** The configured zones, where the network names them: no lookup (see {@link configuredZones}). */
  override get availabilityZones(): string[] {
    return this.zones ?? super.availabilityZones;
  }

  /** Resources of moved constructs keep the logical ids they were deployed with (see {@link MOVED}). */
  protected override allocateLogicalId(element: CfnElement): string {
    return formerLogicalId(this, element, MOVED) ?? super.allocateLogicalId(element);
  }
}

/** The environment's part of the topology; the topology is built from the same product. */
function environmentOf(topology: Topology, name: string): EnvironmentTopology {
  const found = topology.environments.find((e) => e.name === name);
  if (!found)
    throw new Error(
      `ImmutableStack: the topology has no environment ${name} (it has ${topology.environments.map((e) => e.name).join(', ')})`,
    );
  return found;
}
