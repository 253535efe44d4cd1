import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { Colour } from '../../config/naming';
import type { RolloutFunctions } from './rollout-functions';

/** The resources the rollout functions act on, as IAM needs them. */
export interface RolloutResources {
  readonly groupNames: Record<Colour, string>;
  readonly listenerArn: string;
  readonly launchTemplateId: string;
  readonly instanceRoleArn: string;
  readonly table: dynamodb.ITableV2;
  readonly parameterNames: string[];
  /** Prefix of every alarm the canary judge reads. */
  readonly alarmPrefix: string;
}

/**
 * Least privilege per function: each gets only the actions its step performs, on the
 * fleet's own resources. `Resource: *` appears only for read actions that support no
 * narrower resource (Describe*, GetMetricData), each acknowledged for cdk-nag with why.
 */
export function grantRolloutPermissions(scope: IConstruct, fns: RolloutFunctions, r: RolloutResources): void {
  const stack = Stack.of(scope);
  const arn = (
    service: string,
    resource: string,
    resourceName?: string,
    sep = ArnFormat.SLASH_RESOURCE_NAME,
  ) => stack.formatArn({ service, resource, ...(resourceName ? { resourceName } : {}), arnFormat: sep });
  const groupArns = Object.values(r.groupNames).map((name) =>
    arn('autoscaling', 'autoScalingGroup', `*:autoScalingGroupName/${name}`, ArnFormat.COLON_RESOURCE_NAME),
  );
  const launchTemplateArn = arn('ec2', 'launch-template', r.launchTemplateId);
  const parameterArns = r.parameterNames.map((n) => arn('ssm', 'parameter', n.replace(/^\//, '')));
  const imageArn = stack.formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: '*' });

  const allow = (
    fn: RolloutHandlerName,
    actions: string[],
    resources: string[],
    conditions?: Record<string, unknown>,
  ) =>
    fns
      .get(fn)
      .addToRolePolicy(
        new iam.PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) }),
      );
  const describe = (fn: RolloutHandlerName, actions: string[], why: string) => {
    allow(fn, actions, ['*']);
    acknowledgeWildcard(fns.get(fn), why);
  };

  // Auto Scaling groups may switch launch-template versions only with the rights to launch
  // from that template, and to pass the instance role it names.
  // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
  const launchRights = (fn: RolloutHandlerName) => {
    allow(fn, ['ec2:RunInstances'], [launchTemplateArn]);
    allow(
      fn,
      ['ec2:RunInstances'],
      ['instance', 'volume', 'network-interface', 'subnet', 'security-group']
        .map((t) => arn('ec2', t, '*'))
        .concat(imageArn),
      { ArnLike: { 'ec2:LaunchTemplate': launchTemplateArn } },
    );
    allow(fn, ['iam:PassRole'], [r.instanceRoleArn], {
      StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
    allow(fn, ['ec2:CreateLaunchTemplateVersion'], [launchTemplateArn]);
  };

  // ledger: the lock, the record, the ledger, the runtime parameters
  r.table.grant(
    fns.get('ledger'),
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
  );
  allow('ledger', ['ssm:GetParameter', 'ssm:PutParameter'], parameterArns);

  describe(
    'plan-rollout',
    ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeImages', 'ec2:DescribeInstances'],
    'read-only Describe calls support no resource-level scoping',
  );

  describe(
    'restore-safe-state',
    [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeInstanceRefreshes',
      'elasticloadbalancing:DescribeListeners',
    ],
    'read-only Describe calls support no resource-level scoping',
  );
  allow('restore-safe-state', ['elasticloadbalancing:ModifyListener'], [r.listenerArn]);
  allow(
    'restore-safe-state',
    ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:CancelInstanceRefresh'],
    groupArns,
  );

  describe(
    'start-refresh',
    ['autoscaling:DescribeInstanceRefreshes'],
    'read-only Describe calls support no resource-level scoping',
  );
  allow('start-refresh', ['autoscaling:StartInstanceRefresh'], groupArns);
  launchRights('start-refresh');

  describe(
    'check-refresh',
    ['autoscaling:DescribeInstanceRefreshes'],
    'read-only Describe calls support no resource-level scoping',
  );

  describe(
    'prepare-canary',
    ['autoscaling:DescribeAutoScalingGroups'],
    'read-only Describe calls support no resource-level scoping',
  );
  allow('prepare-canary', ['autoscaling:UpdateAutoScalingGroup'], groupArns);
  launchRights('prepare-canary');

  describe(
    'check-canary',
    ['autoscaling:DescribeAutoScalingGroups', 'elasticloadbalancing:DescribeTargetHealth'],
    'read-only Describe calls support no resource-level scoping',
  );
  allow('check-canary', ['autoscaling:UpdateAutoScalingGroup'], groupArns);

  allow('shift-traffic', ['elasticloadbalancing:ModifyListener'], [r.listenerArn]);

  describe('judge-canary', ['cloudwatch:GetMetricData'], 'GetMetricData supports no resource-level scoping');
  allow(
    'judge-canary',
    ['cloudwatch:DescribeAlarms'],
    [arn('cloudwatch', 'alarm', `${r.alarmPrefix}*`, ArnFormat.COLON_RESOURCE_NAME)],
  );

  // Only the product's own tags, only on AMIs.
  allow('tag-release', ['ec2:CreateTags', 'ec2:DeleteTags'], [imageArn], {
    'ForAllValues:StringLike': { 'aws:TagKeys': ['immutable:*'] },
  });
  acknowledgeWildcard(
    fns.get('tag-release'),
    'AMI ids are not known at deploy time; the policy is limited to AMIs and to immutable:* tag keys',
  );

  r.table.grant(fns.get('retire-colour'), 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  allow('retire-colour', ['autoscaling:UpdateAutoScalingGroup'], groupArns);

  r.table.grant(fns.get('release-abandoned-lock'), 'dynamodb:GetItem', 'dynamodb:DeleteItem');
}

type RolloutHandlerName = Parameters<RolloutFunctions['get']>[0];

function acknowledgeWildcard(scope: IConstruct, why: string): void {
  const role = (scope as { role?: IConstruct }).role ?? scope;
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: why });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::image/*]',
    reason:
      'AMI ids are not known at deploy time; launches are limited to this launch template and tags to immutable:* keys',
  });
}
