import { Annotations, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { PRODUCT_EVENTS } from '../../lambda/shared/events';
import { imageFactoryDeployabilityWarnings } from '../config';
import type { DeepReadonly, ProductConfig } from '../config';
import { BakePipeline } from '../constructs/bake';
import { ImageFactoryEvents } from '../constructs/bake/image-events';
import { EventRoutes } from '../constructs/events/event-routes';
import { logRetentionFor } from '../constructs/log-retention';
import { EnvironmentNetwork } from '../constructs/network';
import { topologyOf } from '../topology';
import type { Topology } from '../topology';
import { configuredZones } from './configured-zones';
import { forwardId, receivers } from './forwards';

export interface ImageFactoryStackProps extends StackProps {
  readonly product: DeepReadonly<ProductConfig>;
  /**
   * Who forwards what to whom, who may send, where images are distributed.
   * @default the topology of `product`
   */
  readonly topology?: Topology;
}

/**
 * The image factory (`Immutable-images`): the one Image Builder pipeline of the product, its
 * network, and its side of the release train: it distributes each AMI to every environment's
 * account and region, announces it to them, and keeps what they released from its lifecycle policy.
 */
export class ImageFactoryStack extends Stack {
  readonly pipeline: BakePipeline;
  readonly events: ImageFactoryEvents;
  private readonly zones: string[] | undefined;

  constructor(scope: Construct, id: string, props: ImageFactoryStackProps) {
    super(scope, id, props);
    this.zones = configuredZones(props.product.imageFactory.network);
    const { product } = props;
    const topology = props.topology ?? topologyOf(product);
    const f = product.imageFactory;
    Tags.of(this).add('immutable:component', 'image-factory');
    // Synth keeps working for a factory that is not deployable yet, and says why.
    for (const warning of imageFactoryDeployabilityWarnings(f)) {
      Annotations.of(this).addWarningV2('immutable:not-deployable', warning);
    }
    const network = new EnvironmentNetwork(this, 'Network', {
      network: f.network,
      // Nothing here takes traffic from the internet: builds run in private subnets.
      internetFacing: false,
      logRetentionDays: logRetentionFor(f.logRetentionDays),
      // Without NAT the build reaches Image Builder through its endpoint, like SSM and Logs.
      extraInterfaceEndpoints: { ImageBuilder: ec2.InterfaceVpcEndpointAwsService.IMAGE_BUILDER },
    });
    this.pipeline = new BakePipeline(this, 'Bake', {
      ...f,
      distribution: topology.distribution,
      protectedEnvironments: product.environments.map((e) => e.name),
      vpc: network.vpc,
      subnetSelection: network.workerSubnets,
    });
    if (this.pipeline.buildSecurityGroup) network.allowEndpointsFrom(this.pipeline.buildSecurityGroup);
    // Unpinned, every environment deploys to the factory's account.
    const accounts = Object.fromEntries(
      Object.entries(topology.accounts).map(([name, account]) => [name, account ?? this.account]),
    );
    this.events = new ImageFactoryEvents(this, 'Events', {
      pipelineName: this.pipeline.pipelineName,
      pipelineArn: this.pipeline.pipelineArn,
      imageArnPattern: this.pipeline.imageArnPattern,
      recipeVersion: f.recipeVersion,
      sourceRevision: f.sourceRevision,
      environmentAccounts: accounts,
      topic: this.pipeline.topic,
      logRetention: logRetentionFor(f.logRetentionDays),
    });
    // What operators look up (`aws cloudformation describe-stacks`).
    new CfnOutput(this, 'ImageTopicArn', {
      description:
        'Images built or failed, and failed image announcements or lineage updates: subscribe here (aws sns subscribe)',
      value: this.pipeline.topic.topicArn,
    });

    const routes = topology.imageFactory;
    new EventRoutes(this, 'Routes', {
      receiver: 'images',
      deadLetters: this.events.deadLetters,
      forwards: routes.forwards.map((forward) => ({
        id: forwardId('AnnounceTo', forward),
        description: `Forward the factory's Image Available to ${receivers(forward)}`,
        pattern: {
          source: [PRODUCT_EVENTS.imageAvailable.source],
          detailType: [PRODUCT_EVENTS.imageAvailable.detailType],
          account: [this.account],
        },
        busArn: forward.bus,
      })),
      receiveFrom: routes.admits,
    });
  }

  /** The configured zones, where the network names them: no lookup (see {@link configuredZones}). */
  override get availabilityZones(): string[] {
    return this.zones ?? super.availabilityZones;
  }
}
