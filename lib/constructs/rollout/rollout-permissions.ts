import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Stack } from 'aws-cdk-lib';
import type { RolloutLedger } from './ledger';
import type { RolloutFleet } from './rollout-fleet';
import type { RolloutFunctions, RolloutHandler } from './rollout-functions';

/** What the rollout functions act on. */
export interface RolloutResources {
  readonly fleet: RolloutFleet;
  readonly ledger: RolloutLedger;
  /** The accounts whose images the fleet may launch: the image factory's and any trusted. */
  readonly imageOwners: readonly string[];
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
  const { fleet, ledger, imageOwners } = r;
  /** Reads that support no resource-level permissions (acknowledged with the functions' roles). */
  const describe = (handler: RolloutHandler, actions: string[]) =>
    fn(handler).addToRolePolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));

  // A replace may only name the fleet's instances: Validate Input reads the groups.
  describe('validate-input', ['autoscaling:DescribeAutoScalingGroups']);

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
  // SSM validates the released-image parameter (data type aws:ec2:image) by describing the AMI
  // as the writer: without this the write answers 200 and the value is never stored.
  // @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html
  describe('ledger', ['ec2:DescribeImages']);

  describe('plan-rollout', [
    'autoscaling:DescribeAutoScalingGroups',
    'ec2:DescribeImages',
    'ec2:DescribeInstances',
  ]);
  // The promotion gate and the trust check: what the upstream environment announced it released,
  // and what the image factory announced it built.
  ledger.grant(fn('plan-rollout'), 'dynamodb:GetItem');

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
  fleet.grantLaunch(fn('start-refresh'), imageOwners);

  describe('check-refresh', ['autoscaling:DescribeInstanceRefreshes']);

  describe('prepare-canary', ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeLaunchTemplates']);
  fleet.grantScaleGroups(fn('prepare-canary'));
  fleet.grantLaunch(fn('prepare-canary'), imageOwners);

  describe('check-canary', [
    'autoscaling:DescribeAutoScalingGroups',
    'elasticloadbalancing:DescribeTargetHealth',
  ]);
  fleet.grantScaleGroups(fn('check-canary'));

  fleet.grantShiftTraffic(fn('shift-traffic'));

  describe('judge-canary', ['cloudwatch:GetMetricData']);
  fleet.grantReadAlarms(fn('judge-canary'));

  // Announce Release: the record says whether the release was announced yet.
  ledger.grant(fn('announce-release'), 'dynamodb:GetItem', 'dynamodb:PutItem');
  grantPutProductEvents(fn('announce-release'));

  ledger.grant(fn('retire-colour'), 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  fleet.grantScaleGroups(fn('retire-colour'));

  // The factory's announcements are kept in the table (the record that an AMI is the factory's).
  ledger.grant(fn('on-image-available'), 'dynamodb:PutItem');

  // The lock, the ended execution's entry (Query), the fleet record, and the count of restores.
  ledger.grant(
    fn('release-abandoned-lock'),
    'dynamodb:GetItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
  );

  // replace: grow the group, watch the replacements' targets, detach and terminate the replaced
  describe('replace-instances', [
    'autoscaling:DescribeAutoScalingGroups',
    'elasticloadbalancing:DescribeTargetHealth',
  ]);
  fleet.grantScaleGroups(fn('replace-instances'));
  fleet.grantRemoveInstances(fn('replace-instances'));
}

/**
 * PutEvents on the account's default bus, where the product's events are published (and from
 * where rules forward them to other accounts and regions).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html
 */
export function grantPutProductEvents(fn: lambda.IFunction): void {
  const bus = Stack.of(fn).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus] }));
}
