import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ImmutableFleet } from '../../../lib/constructs/fleet';
import { templateOf } from '../../support/bare-stack';
import { configOf } from '../../support/synth';
import { arnPrefix, grantsOf, render, rendered } from '../rollout/rollout-template';
import { fleetStack } from './fleet-stack';

const GRANTS = [
  'grantScaleGroups',
  'grantRefresh',
  'grantCancelRefresh',
  'grantLaunch',
  'grantShiftTraffic',
  'grantRuntimeState',
  'grantReadAlarms',
] as const;
type GrantName = (typeof GRANTS)[number];

const FACTORY = '111122223333';
const TRUSTED = '444455556666';

let fleet: ImmutableFleet;
let template: Template;
const roles = {} as Record<GrantName, iam.Role>;
/** A role given the group pattern without a grant, next to the others: nothing acknowledges it. */
let unacknowledged: iam.Role;
/** cdk-nag's findings in the stack, read once. */
let findings: ReturnType<AwsSolutionsChecks['validateScope']>['violations'];

beforeAll(() => {
  // staging's fleet alone, and one probe role per grant.
  let stack: Stack;
  ({ stack, fleet } = fleetStack('staging'));
  for (const grant of GRANTS) {
    roles[grant] = new iam.Role(stack, `Probe-${grant}`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    if (grant === 'grantLaunch') fleet.grantLaunch(roles[grant], [FACTORY, TRUSTED]);
    else fleet[grant](roles[grant]);
  }
  unacknowledged = new iam.Role(stack, 'Unacknowledged', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  unacknowledged.addToPolicy(
    new iam.PolicyStatement({
      actions: ['autoscaling:UpdateAutoScalingGroup'],
      resources: [
        stack.formatArn({
          service: 'autoscaling',
          resource: 'autoScalingGroup',
          resourceName: '*:autoScalingGroupName/immutable-staging-blue',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  // cdk-nag reads the prepared construct tree: synthesize first.
  template = templateOf(stack);
  findings = new AwsSolutionsChecks(stack.node.root).validateScope(stack).violations;
});

const grantedBy = (grant: GrantName) => {
  const stack = Stack.of(fleet);
  return grantsOf(template, stack.getLogicalId(roles[grant].node.defaultChild as iam.CfnRole)).map((g) => ({
    actions: g.actions,
    // IAM reads a statement's resources as a set; CDK sorts them when it merges statements.
    resources: [...g.resources].sort(),
    ...(g.condition ? { condition: g.condition } : {}),
  }));
};
const groups = ['blue', 'green'].map(
  (c) => `${arnPrefix('autoscaling')}autoScalingGroup:*:autoScalingGroupName/immutable-staging-${c}`,
);

/** The instance role, found as the template knows it: the role EC2 assumes for the fleet. */
function instanceRoleArn(): string {
  const found = Object.keys(
    template.findResources('AWS::IAM::Role', {
      Properties: { Description: 'Fleet instances of immutable-staging' },
    }),
  );
  expect(found).toHaveLength(1);
  return `\${${found[0]}.Arn}`;
}

describe('groups', () => {
  it('grantScaleGroups permits resizing the two groups, by name, never above the fleet maximum nor to other subnets', () => {
    expect(grantedBy('grantScaleGroups')).toEqual([
      {
        actions: ['autoscaling:UpdateAutoScalingGroup'],
        resources: groups,
        condition: {
          NumericLessThanEqualsIfExists: {
            'autoscaling:MaxSize': String(configOf('staging').fleet.capacity.max),
            'autoscaling:MinSize': String(configOf('staging').fleet.capacity.max),
          },
          Null: { 'autoscaling:VPCZoneIdentifiers': 'true' },
        },
      },
    ]);
  });

  it.each([
    ['grantRefresh', 'autoscaling:StartInstanceRefresh'],
    ['grantCancelRefresh', 'autoscaling:CancelInstanceRefresh'],
  ] as const)('%s permits %s on the two groups, by name', (grant, action) => {
    expect(grantedBy(grant)).toEqual([{ actions: [action], resources: groups }]);
  });
});

describe('launching', () => {
  const launchTemplate = () =>
    `${arnPrefix('ec2')}launch-template/${rendered(Stack.of(fleet), fleet.launchTemplateId)}`;
  const statement = (resource: string) => {
    const found = grantedBy('grantLaunch').filter(
      (g) => g.actions.includes('ec2:RunInstances') && g.resources.some((r) => r.includes(resource)),
    );
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('permits new versions of the fleet template only', () => {
    expect(grantedBy('grantLaunch')).toContainEqual({
      actions: ['ec2:CreateLaunchTemplateVersion'],
      resources: [launchTemplate()],
    });
  });

  it("launches only through the fleet template, into the fleet's own subnets and security group", () => {
    const stack = Stack.of(fleet);
    const [group] = Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'));
    const subnets = (group?.Properties.VPCZoneIdentifier as unknown[]).map(render);
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    const securityGroup = rendered(stack, fleet.connections.securityGroups[0]?.securityGroupId ?? '');
    expect(statement('subnet/')).toEqual({
      actions: ['ec2:RunInstances'],
      resources: [
        launchTemplate(),
        `${arnPrefix('ec2')}volume/*`,
        `${arnPrefix('ec2')}network-interface/*`,
        ...subnets.map((id) => `${arnPrefix('ec2')}subnet/${id}`),
        `${arnPrefix('ec2')}security-group/${securityGroup}`,
      ].sort(),
      condition: { ArnLike: { 'ec2:LaunchTemplate': launchTemplate() } },
    });
  });

  it('launches instances only with the fleet instance profile and IMDSv2 required', () => {
    const [profile] = Object.keys(template.findResources('AWS::IAM::InstanceProfile'));
    expect(statement('instance/*')).toEqual({
      actions: ['ec2:RunInstances'],
      resources: [`${arnPrefix('ec2')}instance/*`],
      condition: {
        ArnLike: { 'ec2:LaunchTemplate': launchTemplate() },
        StringEquals: { 'ec2:InstanceProfile': `\${${profile}.Arn}`, 'ec2:MetadataHttpTokens': 'required' },
      },
    });
  });

  it('launches only images the trusted accounts own: no public or foreign AMI', () => {
    expect(statement('image/*')).toEqual({
      actions: ['ec2:RunInstances'],
      resources: ['arn:${AWS::Partition}:ec2:${AWS::Region}::image/*'],
      condition: {
        ArnLike: { 'ec2:LaunchTemplate': launchTemplate() },
        StringEquals: { 'ec2:Owner': [FACTORY, TRUSTED] },
      },
    });
  });

  it('tags instances and volumes only as a launch creates them', () => {
    expect(grantedBy('grantLaunch')).toContainEqual({
      actions: ['ec2:CreateTags'],
      resources: ['instance', 'volume'].map((t) => `${arnPrefix('ec2')}${t}/*`),
      condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
    });
  });

  it('passes only the instance role, only to EC2', () => {
    expect(grantedBy('grantLaunch')).toContainEqual({
      actions: ['iam:PassRole'],
      resources: [instanceRoleArn()],
      condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
  });
});

describe('traffic, runtime state and alarms', () => {
  it('grantShiftTraffic permits changing the listener only', () => {
    expect(grantedBy('grantShiftTraffic')).toEqual([
      {
        actions: ['elasticloadbalancing:ModifyListener'],
        resources: [rendered(Stack.of(fleet), fleet.listenerArn)],
      },
    ]);
  });

  it('grantRuntimeState permits reading and writing the four runtime parameters', () => {
    expect(grantedBy('grantRuntimeState')).toEqual([
      {
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: [
          'released-ami',
          'fleet/listener-weights',
          'fleet/blue/launch-template-version',
          'fleet/green/launch-template-version',
        ]
          .map((p) => `${arnPrefix('ssm')}parameter/immutable/staging/${p}`)
          .sort(),
      },
    ]);
  });

  it("grantReadAlarms permits describing the environment's alarms", () => {
    expect(grantedBy('grantReadAlarms')).toEqual([
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [`${arnPrefix('cloudwatch')}alarm:immutable-staging-*`],
      },
    ]);
  });
});

describe('cdk-nag', () => {
  const findingsOn = (role: iam.Role) =>
    findings
      .filter((v) => v.violatingResources.some((r) => r.constructPath?.startsWith(role.node.path)))
      .map((v) => v.ruleName);

  it.each(GRANTS)('%s acknowledges each wildcard it grants, with a reason', (grant) => {
    expect(findingsOn(roles[grant])).toEqual([]);
  });

  it('fails when a role is given the group pattern without a grant (nothing acknowledges it)', () => {
    expect(findingsOn(unacknowledged)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/immutable-staging-blue]',
    ]);
  });
});
