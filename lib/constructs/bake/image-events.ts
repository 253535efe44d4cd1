import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { PRODUCT_EVENTS } from '../../../lambda/shared/events';
import { keepTag, releasedTag } from '../../../lambda/shared/tags';
import { productFunction } from '../functions/product-function';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';
import { grantPutProductEvents } from '../rollout/rollout-permissions';
import { alarmedDeadLetterQueue, deadLetteredTarget } from '../events/dead-letters';

export interface ImageFactoryEventsProps {
  /** The factory's pipeline (names `immutable-<app>`); its AVAILABLE images are announced. */
  readonly pipelineName: string;
  readonly pipelineArn: string;
  /** ARN pattern of the pipeline's image build versions. */
  readonly imageArnPattern: string;
  readonly recipeVersion: string;
  readonly sourceRevision: string;
  /** Each environment's account (every environment of the product): the only one a release of it is taken from. */
  readonly environmentAccounts: Readonly<Record<EnvironmentName, string>>;
  /** Where a failed announcement or lineage update is reported (the factory's topic). */
  readonly topic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The factory's side of the release train: it announces each image its pipeline finishes to
 * every environment (`Image Available`, with the AMI of each region and the scan's findings),
 * and, as the owner of every AMI, tags what each environment released and may roll back to
 * (from their `Image Released`), which its lifecycle policy never deletes.
 */
export class ImageFactoryEvents extends Construct {
  /** Events that could not be delivered or handled (an alarm on the factory's topic watches it). */
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: ImageFactoryEventsProps) {
    super(scope, id);
    this.deadLetters = this.deadLetterQueue(props);
    const fn = (handler: 'announce-image' | 'tag-lineage', description: string) =>
      productFunction(this, handler, {
        handler,
        description: `Immutable fleet image factory (${props.pipelineName}): ${description}`,
        logRetention: props.logRetention,
        service: `immutable-images-${props.pipelineName}`,
        metricsNamespace: 'ImmutableFleet',
      });

    const announce = fn('announce-image', 'announce each image to the environments');
    announce.addEnvironment('PIPELINE_ARN', props.pipelineArn);
    announce.addEnvironment('RECIPE_VERSION', props.recipeVersion);
    announce.addEnvironment('SOURCE_REVISION', props.sourceRevision);
    announce.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['imagebuilder:GetImage'], resources: [props.imageArnPattern] }),
    );
    acknowledgeWildcardResource(
      announce,
      props.imageArnPattern,
      "every build version of the factory's own pipeline images",
    );
    // ListImageScanFindingAggregations supports no resource-level permissions.
    announce.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['imagebuilder:ListImageScanFindingAggregations'],
        resources: ['*'],
      }),
    );
    grantPutProductEvents(announce);
    new events.Rule(this, 'ImageAvailable', {
      description: `Announce each image ${props.pipelineName} finishes to the environments`,
      eventPattern: {
        source: ['aws.imagebuilder'],
        detailType: ['EC2 Image Builder Image State Change'],
        // The pattern ends in `*`, which a prefix filter would take literally (matching nothing).
        // @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
        resources: events.Match.wildcard(props.imageArnPattern),
        detail: { state: { status: ['AVAILABLE'] } },
      },
      targets: [deadLetteredTarget(announce, this.deadLetters, 4, Duration.hours(2))],
    });

    const lineage = fn('tag-lineage', "tag each environment's releases and rollback candidates");
    lineage.addEnvironment('ENVIRONMENT_ACCOUNTS', JSON.stringify(props.environmentAccounts));
    grantLineageTags(lineage, Object.keys(props.environmentAccounts));
    new events.Rule(this, 'ImageReleased', {
      description: `Keep the images each environment released or may roll back to (${props.pipelineName})`,
      eventPattern: {
        source: [PRODUCT_EVENTS.imageReleased.source],
        detailType: [PRODUCT_EVENTS.imageReleased.detailType],
        account: [...new Set(Object.values(props.environmentAccounts))],
      },
      targets: [deadLetteredTarget(lineage, this.deadLetters, 8, Duration.hours(6))],
    });
  }

  /**
   * Where an announcement or a lineage update that could not be delivered or handled goes,
   * instead of vanishing; any message there raises an alarm on the factory's topic.
   */
  private deadLetterQueue(props: ImageFactoryEventsProps): sqs.Queue {
    return alarmedDeadLetterQueue(this, 'DeadLetters', {
      name: `${props.pipelineName}-image-event-dead-letters`,
      alarmDescription: 'An image announcement or lineage update failed; see the dead-letter queue',
      deadLettersOf: "the image factory's event handling",
      topic: props.topic,
    });
  }
}

/**
 * The factory tags its AMIs with each environment's release time and rollback candidacy, in
 * every region it distributes to, and nothing else: only those keys may be written, and only
 * the rollback-candidate keys removed (never a lineage tag). ForAllValues alone is true when a
 * request names no keys, and DeleteTags without keys deletes every tag: the Null condition
 * requires the keys to be named. It reads the tags first (DescribeImages has no resource-level
 * permissions).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
 */
function grantLineageTags(fn: lambda.Function, environments: readonly EnvironmentName[]): void {
  const images = Stack.of(fn).formatArn({
    service: 'ec2',
    region: '*',
    account: '',
    resource: 'image',
    resourceName: '*',
  });
  const keep = environments.map((e) => keepTag(e));
  const released = environments.map((e) => releasedTag(e));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeImages'], resources: ['*'] }));
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['ec2:CreateTags'],
      resources: [images],
      conditions: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...keep, ...released] },
        Null: { 'aws:TagKeys': 'false' },
      },
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['ec2:DeleteTags'],
      resources: [images],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': keep }, Null: { 'aws:TagKeys': 'false' } },
    }),
  );
  acknowledgeWildcardResource(
    fn,
    images,
    "the factory's AMIs are chosen by each release, in every region it distributes to; only release and rollback-candidate tag keys may be written",
  );
}
