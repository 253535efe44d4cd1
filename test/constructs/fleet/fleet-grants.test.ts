import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ImmutableFleet } from '../../../lib/constructs/fleet';
import { configOf, testApp } from '../../support/synth';
import type { TestApp } from '../../support/synth';
import { arnPrefix, grantsOf, rendered } from '../rollout/rollout-template';

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

let app: TestApp;
let fleet: ImmutableFleet;
let template: Template;
const roles = {} as Record<GrantName, iam.Role>;

beforeAll(() => {
  // A separate app: the probe roles must not change the templates other tests read.
  app = testApp({ environments: [configOf('staging')] });
  const stack = app.stack('staging');
  fleet = stack.fleet;
  for (const grant of GRANTS) {
    roles[grant] = new iam.Role(stack, `Probe-${grant}`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    fleet[grant](roles[grant]);
  }
  template = app.template('staging');
});
afterAll(() => app.cleanup());

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
  it.each([
    ['grantScaleGroups', 'autoscaling:UpdateAutoScalingGroup'],
    ['grantRefresh', 'autoscaling:StartInstanceRefresh'],
    ['grantCancelRefresh', 'autoscaling:CancelInstanceRefresh'],
  ] as const)('%s permits %s on the two groups, by name', (grant, action) => {
    expect(grantedBy(grant)).toEqual([{ actions: [action], resources: groups }]);
  });
});

describe('launching', () => {
  it('permits new template versions, launches only through the fleet template, tags only at launch, and passes its role to EC2', () => {
    const stack = Stack.of(fleet);
    const launchTemplate = `${arnPrefix('ec2')}launch-template/${rendered(stack, fleet.launchTemplateId)}`;
    expect(grantedBy('grantLaunch')).toEqual([
      { actions: ['ec2:CreateLaunchTemplateVersion'], resources: [launchTemplate] },
      {
        actions: ['ec2:RunInstances'],
        resources: [
          launchTemplate,
          ...['instance', 'volume', 'network-interface', 'subnet', 'security-group'].map(
            (t) => `${arnPrefix('ec2')}${t}/*`,
          ),
          'arn:${AWS::Partition}:ec2:${AWS::Region}::image/*',
        ].sort(),
        condition: { ArnLike: { 'ec2:LaunchTemplate': launchTemplate } },
      },
      {
        actions: ['ec2:CreateTags'],
        resources: ['instance', 'volume'].map((t) => `${arnPrefix('ec2')}${t}/*`),
        condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
      },
      {
        actions: ['iam:PassRole'],
        resources: [instanceRoleArn()],
        condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
    ]);
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
    new AwsSolutionsChecks(app.app)
      .validateScope(Stack.of(fleet))
      .violations.filter((v) => v.violatingResources.some((r) => r.constructPath?.startsWith(role.node.path)))
      .map((v) => v.ruleName);

  it.each(GRANTS)('%s acknowledges each wildcard it grants, with a reason', (grant) => {
    expect(findingsOn(roles[grant])).toEqual([]);
  });

  it('fails when a role is given the group pattern without a grant (nothing acknowledges it)', () => {
    const probe = testApp({ environments: [configOf('staging')] });
    const stack = probe.stack('staging');
    const role = new iam.Role(stack, 'Unacknowledged', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
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
    probe.template('staging');
    const rules = new AwsSolutionsChecks(probe.app)
      .validateScope(stack)
      .violations.filter((v) => v.violatingResources.some((r) => r.constructPath?.startsWith(role.node.path)))
      .map((v) => v.ruleName);
    probe.cleanup();
    expect(rules).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/immutable-staging-blue]',
    ]);
  });
});
