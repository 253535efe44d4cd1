import { Annotations, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { PRODUCT_EVENTS } from '../../lambda/shared/events';
import { imageFactoryDeployabilityWarnings } from '../config';
import type { DeepReadonly, ProductConfig } from '../config';
import { BakePipeline } from '../constructs/bake';
import type { DistributionTarget } from '../constructs/bake';
import { ImageFactoryEvents } from '../constructs/bake/image-events';
import { EventRoutes } from '../constructs/events/event-routes';
import { logRetentionFor } from '../constructs/log-retention';
import { EnvironmentNetwork } from '../constructs/network';
import { defaultBusArn, sameBus } from './placement';
import type { Placement, ProductPlacement } from './placement';

export interface ImageFactoryStackProps extends StackProps {
  readonly product: DeepReadonly<ProductConfig>;
  readonly placement: ProductPlacement;
}

/**
 * The image factory (`Immutable-images`): the one Image Builder pipeline of the product, its
 * network, and its side of the release train: it distributes each AMI to every environment's
 * account and region, announces it to them, and keeps what they released from its lifecycle policy.
 */
export class ImageFactoryStack extends Stack {
  readonly pipeline: BakePipeline;
  readonly events: ImageFactoryEvents;

  constructor(scope: Construct, id: string, props: ImageFactoryStackProps) {
    super(scope, id, props);
    const { product, placement } = props;
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
      distribution: distributionTargets(placement),
      protectedEnvironments: product.environments.map((e) => e.name),
      vpc: network.vpc,
      subnetSelection: network.workerSubnets,
    });
    if (this.pipeline.buildSecurityGroup) network.allowEndpointsFrom(this.pipeline.buildSecurityGroup);
    const accounts = Object.fromEntries(
      product.environments.map((e) => [e.name, placement.environments[e.name]?.account ?? this.account]),
    ) as Record<EnvironmentName, string>;
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

    const elsewhere = product.environments
      .map((e) => ({ name: e.name, at: placement.environments[e.name] ?? {} }))
      .filter(({ at }) => !sameBus(at, placement.imageFactory));
    new EventRoutes(this, 'Routes', {
      deadLetters: this.events.deadLetters,
      forwards: elsewhere.map(({ name, at }) => ({
        id: `AnnounceTo${capitalize(name)}`,
        description: `Forward the factory's Image Available to ${name}`,
        pattern: {
          source: [PRODUCT_EVENTS.imageAvailable.source],
          detailType: [PRODUCT_EVENTS.imageAvailable.detailType],
          account: [this.account],
        },
        busArn: defaultBusArn(at),
      })),
      receiveFrom: elsewhere.flatMap(({ at }) =>
        at.account && at.account !== this.account ? [at.account] : [],
      ),
    });
  }
}

/**
 * The regions the environments run in, with the accounts (other than the factory's) that launch
 * its AMIs there. In one account and region: none, the AMI is simply the factory's own.
 */
export function distributionTargets(p: ProductPlacement): DistributionTarget[] {
  const byRegion = new Map<string, Set<string>>();
  const envs = Object.values(p.environments).filter((e): e is Placement => e !== undefined);
  for (const e of envs) {
    if (!e.region || !e.account) continue;
    const accounts = byRegion.get(e.region) ?? new Set<string>();
    if (e.account !== p.imageFactory.account) accounts.add(e.account);
    byRegion.set(e.region, accounts);
  }
  return [...byRegion].map(([region, accounts]) => ({ region, accountIds: [...accounts].sort() }));
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
