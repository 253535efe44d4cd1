import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { Colour } from '../../../lambda/shared/colours';
import type { RolloutFunctions, RolloutHandler } from './rollout-functions';

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
  /** ARN pattern of the images the bake pipeline produces. */
  readonly imageArnPattern: string;
}

/** How cdk-nag prints an ARN built by `Stack.formatArn` (pseudo parameters in angle brackets). */
const nagArn = (service: string, path: string, account = '<AWS::AccountId>') =>
  `arn:<AWS::Partition>:${service}:<AWS::Region>:${account}:${path}`;

/** How cdk-nag prints a resolved value: a Ref as <Name>, a GetAtt as <Id.Attr>, joins concatenated. */
function nagString(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(nagString).join(v['Fn::Join'][0]);
  throw new Error(`cannot name ${JSON.stringify(value)} for cdk-nag`);
}

/**
 * Least privilege per function: each gets only the actions its step performs, on the
 * fleet's own resources. Wildcards remain only where the API allows nothing narrower:
 * Describe*, GetMetricData and X-Ray (no resource-level permissions), an Auto Scaling group's
 * ARN (it embeds a generated id, so groups are named by pattern), and the instance resources
 * a launch creates (bounded by a condition on this launch template). Each is acknowledged
 * for cdk-nag with that reason, finding by finding.
 */
export function grantRolloutPermissions(scope: IConstruct, fns: RolloutFunctions, r: RolloutResources): void {
  const stack = Stack.of(scope);
  const arn = (
    service: string,
    resource: string,
    resourceName: string,
    sep = ArnFormat.SLASH_RESOURCE_NAME,
  ) => stack.formatArn({ service, resource, resourceName, arnFormat: sep });
  const colours = Object.keys(r.groupNames) as Colour[];
  const groupArns = colours.map((c) =>
    arn(
      'autoscaling',
      'autoScalingGroup',
      `*:autoScalingGroupName/${r.groupNames[c]}`,
      ArnFormat.COLON_RESOURCE_NAME,
    ),
  );
  const launchTemplateArn = arn('ec2', 'launch-template', r.launchTemplateId);
  const parameterArns = r.parameterNames.map((n) => arn('ssm', 'parameter', n.replace(/^\//, '')));
  const imageArn = stack.formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: '*' });

  const role = (fn: RolloutHandler) => fns.get(fn).role as iam.IRole;
  const allow = (
    fn: RolloutHandler,
    actions: string[],
    resources: string[],
    conditions?: Record<string, unknown>,
  ) =>
    fns
      .get(fn)
      .addToRolePolicy(
        new iam.PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) }),
      );
  const acknowledge = (fn: RolloutHandler, resource: string, reason: string) =>
    Validations.of(role(fn)).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });

  const onGroups = (fn: RolloutHandler, actions: string[]) => {
    allow(fn, actions, groupArns);
    for (const c of colours) {
      acknowledge(
        fn,
        nagArn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${r.groupNames[c]}`),
        `${c} group by name: an Auto Scaling group ARN embeds a generated id, so IAM can only match it by name`,
      );
    }
  };

  // Switching a group's launch-template version needs the rights to launch from that
  // template and to pass the instance role it names.
  // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
  const launchRights = (fn: RolloutHandler) => {
    allow(fn, ['ec2:CreateLaunchTemplateVersion'], [launchTemplateArn]);
    // Every resource of a launch, the template included, only through the fleet's template.
    // @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html
    const launched = ['instance', 'volume', 'network-interface', 'subnet', 'security-group'];
    allow(
      fn,
      ['ec2:RunInstances'],
      [launchTemplateArn, ...launched.map((t) => arn('ec2', t, '*')), imageArn],
      { ArnLike: { 'ec2:LaunchTemplate': launchTemplateArn } },
    );
    for (const t of launched) {
      acknowledge(
        fn,
        nagArn('ec2', `${t}/*`),
        `RunInstances creates this ${t}; allowed only through the fleet's launch template`,
      );
    }
    acknowledge(
      fn,
      nagArn('ec2', 'image/*', ''),
      'released AMIs are chosen at run time; launches only through the fleet launch template',
    );
    allow(fn, ['iam:PassRole'], [r.instanceRoleArn], {
      StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
  };

  // ledger: the lock, the record, the ledger and the runtime parameters
  r.table.grant(
    fns.get('ledger'),
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
  );
  allow('ledger', ['ssm:GetParameter', 'ssm:PutParameter'], parameterArns);

  allow(
    'plan-rollout',
    ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeImages', 'ec2:DescribeInstances'],
    ['*'],
  );

  allow(
    'restore-safe-state',
    [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeInstanceRefreshes',
      'elasticloadbalancing:DescribeListeners',
    ],
    ['*'],
  );
  allow('restore-safe-state', ['elasticloadbalancing:ModifyListener'], [r.listenerArn]);
  onGroups('restore-safe-state', ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:CancelInstanceRefresh']);

  allow('start-refresh', ['autoscaling:DescribeInstanceRefreshes'], ['*']);
  onGroups('start-refresh', ['autoscaling:StartInstanceRefresh']);
  launchRights('start-refresh');

  allow('check-refresh', ['autoscaling:DescribeInstanceRefreshes'], ['*']);

  allow('prepare-canary', ['autoscaling:DescribeAutoScalingGroups'], ['*']);
  onGroups('prepare-canary', ['autoscaling:UpdateAutoScalingGroup']);
  launchRights('prepare-canary');

  allow(
    'check-canary',
    ['autoscaling:DescribeAutoScalingGroups', 'elasticloadbalancing:DescribeTargetHealth'],
    ['*'],
  );
  onGroups('check-canary', ['autoscaling:UpdateAutoScalingGroup']);

  allow('shift-traffic', ['elasticloadbalancing:ModifyListener'], [r.listenerArn]);

  allow('judge-canary', ['cloudwatch:GetMetricData'], ['*']);
  allow(
    'judge-canary',
    ['cloudwatch:DescribeAlarms'],
    [arn('cloudwatch', 'alarm', `${r.alarmPrefix}*`, ArnFormat.COLON_RESOURCE_NAME)],
  );
  acknowledge(
    'judge-canary',
    nagArn('cloudwatch', `alarm:${r.alarmPrefix}*`),
    "the fleet's own alarms, by their name prefix",
  );

  // Only the product's own tags, only on AMIs. ForAllValues alone is true when a request names
  // no tag keys, and DeleteTags without keys deletes every tag (the AMI's lineage too): the
  // Null condition requires the keys to be named.
  // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
  // @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
  // It reads the tags first: DescribeImages has no resource-level permissions.
  allow('tag-release', ['ec2:DescribeImages'], ['*']);
  allow('tag-release', ['ec2:CreateTags', 'ec2:DeleteTags'], [imageArn], {
    'ForAllValues:StringLike': { 'aws:TagKeys': ['immutable:*'] },
    Null: { 'aws:TagKeys': 'false' },
  });
  acknowledge(
    'tag-release',
    nagArn('ec2', 'image/*', ''),
    'released AMIs are chosen at run time; only immutable:* tag keys may be written',
  );

  r.table.grant(fns.get('retire-colour'), 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  onGroups('retire-colour', ['autoscaling:UpdateAutoScalingGroup']);

  allow('on-image-available', ['imagebuilder:GetImage'], [r.imageArnPattern]);
  Validations.of(role('on-image-available')).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagString(stack.resolve(r.imageArnPattern))}]`,
    reason: "every build version of the environment's own pipeline images",
  });
  allow('on-image-available', ['imagebuilder:ListImageScanFindingAggregations'], ['*']);

  r.table.grant(fns.get('release-abandoned-lock'), 'dynamodb:GetItem', 'dynamodb:DeleteItem');
}
