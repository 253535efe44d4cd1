import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Stack } from 'aws-cdk-lib';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';
import type { RolloutLedger } from './ledger';
import type { RolloutFleet, RolloutImages } from './rollout-fleet';
import type { RolloutFunctions, RolloutHandler } from './rollout-functions';

/** What the rollout functions act on. */
export interface RolloutResources {
  readonly fleet: RolloutFleet;
  readonly ledger: RolloutLedger;
  readonly images: RolloutImages;
}

/**
 * Least privilege per function: each gets only the actions its step performs, on the fleet's
 * own resources (through the fleet's narrow grants) and the ledger. Wildcards remain only where
 * the API allows nothing narrower: Describe*, GetMetricData and X-Ray (no resource-level
 * permissions), an Auto Scaling group's ARN (it embeds a generated id, so groups are named by
 * pattern), the instance resources a launch creates (bounded by a condition on the fleet's
 * launch template) and AMIs chosen at run time. Each is acknowledged for cdk-nag with that
 * reason, finding by finding.
 */
export function grantRolloutPermissions(functions: RolloutFunctions, r: RolloutResources): void {
  const fn = (handler: RolloutHandler): lambda.Function => functions.get(handler);
  const { fleet, ledger } = r;
  /** Reads that support no resource-level permissions (acknowledged with the functions' roles). */
  const describe = (handler: RolloutHandler, actions: string[]) =>
    fn(handler).addToRolePolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));

  // ledger: the lock, the record, the ledger and the runtime parameters
  ledger.grant(
    fn('ledger'),
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
  );
  fleet.grantRuntimeState(fn('ledger'));

  describe('plan-rollout', [
    'autoscaling:DescribeAutoScalingGroups',
    'ec2:DescribeImages',
    'ec2:DescribeInstances',
  ]);

  describe('restore-safe-state', [
    'autoscaling:DescribeAutoScalingGroups',
    'autoscaling:DescribeInstanceRefreshes',
    'elasticloadbalancing:DescribeListeners',
  ]);
  fleet.grantShiftTraffic(fn('restore-safe-state'));
  fleet.grantScaleGroups(fn('restore-safe-state'));
  fleet.grantCancelRefresh(fn('restore-safe-state'));

  // A new launch-template version is built from the default version, by its number.
  describe('start-refresh', ['autoscaling:DescribeInstanceRefreshes', 'ec2:DescribeLaunchTemplates']);
  fleet.grantRefresh(fn('start-refresh'));
  fleet.grantLaunch(fn('start-refresh'));

  describe('check-refresh', ['autoscaling:DescribeInstanceRefreshes']);

  describe('prepare-canary', ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeLaunchTemplates']);
  fleet.grantScaleGroups(fn('prepare-canary'));
  fleet.grantLaunch(fn('prepare-canary'));

  describe('check-canary', [
    'autoscaling:DescribeAutoScalingGroups',
    'elasticloadbalancing:DescribeTargetHealth',
  ]);
  fleet.grantScaleGroups(fn('check-canary'));

  fleet.grantShiftTraffic(fn('shift-traffic'));

  describe('judge-canary', ['cloudwatch:GetMetricData']);
  fleet.grantReadAlarms(fn('judge-canary'));

  grantTagRelease(fn('tag-release'));

  ledger.grant(fn('retire-colour'), 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  fleet.grantScaleGroups(fn('retire-colour'));

  fn('on-image-available').addToRolePolicy(
    new iam.PolicyStatement({ actions: ['imagebuilder:GetImage'], resources: [r.images.imageArnPattern] }),
  );
  acknowledgeWildcardResource(
    fn('on-image-available'),
    r.images.imageArnPattern,
    "every build version of the environment's own pipeline images",
  );
  describe('on-image-available', ['imagebuilder:ListImageScanFindingAggregations']);

  ledger.grant(fn('release-abandoned-lock'), 'dynamodb:GetItem', 'dynamodb:DeleteItem');
}

/**
 * Only the product's own tags, only on AMIs. ForAllValues alone is true when a request names no
 * tag keys, and DeleteTags without keys deletes every tag (the AMI's lineage too): the Null
 * condition requires the keys to be named. It reads the tags first: DescribeImages has no
 * resource-level permissions.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
 */
function grantTagRelease(tagRelease: lambda.Function): void {
  const images = Stack.of(tagRelease).formatArn({
    service: 'ec2',
    account: '',
    resource: 'image',
    resourceName: '*',
  });
  tagRelease.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeImages'], resources: ['*'] }));
  tagRelease.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [images],
      conditions: {
        'ForAllValues:StringLike': { 'aws:TagKeys': ['immutable:*'] },
        Null: { 'aws:TagKeys': 'false' },
      },
    }),
  );
  acknowledgeWildcardResource(
    tagRelease,
    images,
    'released AMIs are chosen at run time; only immutable:* tag keys may be written',
  );
}
