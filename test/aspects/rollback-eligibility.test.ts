import { CfnParameter, Stack } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ROLLBACK_RULES, checkRollbackEligibility } from '../../lib/aspects/rollback-eligibility';
import type { EligibilityFinding } from '../../lib/aspects/rollback-eligibility';
import { SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES, synthesizedTemplates } from '../support/templates';
import { bareApp, bareStack, templateOf } from '../support/bare-stack';
import { fleetStack } from '../constructs/fleet/fleet-stack';

/**
 * A throwaway stack with one launch template and one group, built from raw L1 properties so
 * each test breaks exactly one rule. The check is not registered here: the tests call it directly.
 */
function groupTemplate(options: {
  version?: unknown;
  imageId?: string;
  desired?: string;
  updatePolicy?: Record<string, unknown>;
  build?: (stack: Stack, lt: ec2.CfnLaunchTemplate) => void;
}): EligibilityFinding[] {
  const stack = bareStack({ id: 'Throwaway' });
  const lt = new ec2.CfnLaunchTemplate(stack, 'Template', {
    launchTemplateData: { imageId: options.imageId ?? 'ami-0123456789abcdef0', instanceType: 't3.small' },
  });
  const group = new autoscaling.CfnAutoScalingGroup(stack, 'Group', {
    autoScalingGroupName: 'throwaway-blue',
    minSize: '0',
    maxSize: '4',
    desiredCapacity: options.desired,
    launchTemplate: { launchTemplateId: lt.ref, version: '1' },
    vpcZoneIdentifier: ['subnet-0000000000000000a'],
  });
  if (options.version !== undefined) group.addPropertyOverride('LaunchTemplate.Version', options.version);
  if (options.updatePolicy) group.cfnOptions.updatePolicy = options.updatePolicy;
  options.build?.(stack, lt);
  return checkRollbackEligibility(templateOf(stack).toJSON());
}

const rulesOf = (findings: EligibilityFinding[]) => findings.map((f) => f.rule);

describe('rollback eligibility: the configured stacks', () => {
  it('passes dev, staging and prod', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      expect(checkRollbackEligibility(synthesizedTemplates()[env])).toEqual([]);
    }
  });

  it('passes a group pinned to an explicit version number', () => {
    expect(groupTemplate({})).toEqual([]);
  });
});

describe('rollback eligibility: launch template version', () => {
  it.each(['$Latest', '$Default', '$latest'])('fails when a group uses %s', (version) => {
    const [finding, ...rest] = groupTemplate({ version });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: ROLLBACK_RULES.explicitVersion,
      logicalId: 'Group',
      location: 'Properties/LaunchTemplate/Version',
    });
    expect(finding?.message).toContain('Auto Scaling group throwaway-blue');
    expect(finding?.message).toContain(version);
    expect(finding?.fix).toMatch(/explicit version number resolved from the SSM parameter/);
  });

  it.each(['LatestVersionNumber', 'DefaultVersionNumber'])(
    "fails when a group follows the template's %s",
    (attribute) => {
      const findings = groupTemplate({ version: { 'Fn::GetAtt': ['Template', attribute] } });
      expect(rulesOf(findings)).toEqual([ROLLBACK_RULES.explicitVersion]);
      expect(findings[0]?.message).toContain(attribute);
    },
  );

  it('fails when an L2 AutoScalingGroup is built on a CDK LaunchTemplate (it follows LatestVersionNumber)', () => {
    const stack = bareStack({ id: 'L2' });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    new autoscaling.AutoScalingGroup(stack, 'Asg', {
      vpc,
      launchTemplate: new ec2.LaunchTemplate(stack, 'Lt', {
        machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
        instanceType: new ec2.InstanceType('t3.small'),
      }),
    });
    const findings = checkRollbackEligibility(templateOf(stack).toJSON());
    expect(rulesOf(findings)).toContain(ROLLBACK_RULES.explicitVersion);
    expect(findings.find((f) => f.rule === ROLLBACK_RULES.explicitVersion)?.message).toContain(
      'LatestVersionNumber',
    );
  });

  it('fails when the version comes from a plain parameter that defaults to $Latest', () => {
    const findings = groupTemplate({
      build: (stack) => {
        new CfnParameter(stack, 'Version', { type: 'String', default: '$Latest' }).overrideLogicalId(
          'Version',
        );
      },
      version: { Ref: 'Version' },
    });
    expect(rulesOf(findings)).toEqual([ROLLBACK_RULES.explicitVersion]);
  });

  it('accepts a version from an SSM-typed parameter (its default is a parameter name)', () => {
    const findings = groupTemplate({
      build: (stack) => {
        new CfnParameter(stack, 'Version', {
          type: 'AWS::SSM::Parameter::Value<String>',
          default: '/x/blue/launch-template-version',
        }).overrideLogicalId('Version');
      },
      version: { Ref: 'Version' },
    });
    expect(findings).toEqual([]);
  });
});

describe('rollback eligibility: launch template image', () => {
  it.each([
    [
      'a CloudFormation dynamic reference',
      '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}',
    ],
    ['an EC2 AMI alias', 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'],
  ])('fails when the ImageId is %s', (_kind, imageId) => {
    const [finding, ...rest] = groupTemplate({ imageId });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: ROLLBACK_RULES.concreteImage,
      logicalId: 'Template',
      location: 'Properties/LaunchTemplateData/ImageId',
    });
    expect(finding?.message).toContain('throwaway-blue');
    expect(finding?.fix).toContain('AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
  });
});

describe('rollback eligibility: desired capacity', () => {
  it('fails when a group sets DesiredCapacity', () => {
    const [finding, ...rest] = groupTemplate({ desired: '2' });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: ROLLBACK_RULES.noDesiredCapacity,
      location: 'Properties/DesiredCapacity',
    });
    expect(finding?.message).toContain('throwaway-blue sets DesiredCapacity "2"');
  });
});

describe('rollback eligibility: update policies', () => {
  it.each([
    ['AutoScalingRollingUpdate', { autoScalingRollingUpdate: { maxBatchSize: 1 } }],
    ['AutoScalingReplacingUpdate', { autoScalingReplacingUpdate: { willReplace: true } }],
    [
      'AutoScalingInstanceRefresh',
      { autoScalingInstanceRefresh: { preferences: { minHealthyPercentage: 90 } } },
    ],
  ])('fails when a group has %s', (policy, updatePolicy) => {
    const [finding, ...rest] = groupTemplate({ updatePolicy });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: ROLLBACK_RULES.noReplacingUpdatePolicy,
      location: `UpdatePolicy/${policy}`,
    });
    expect(finding?.fix).toContain(`Remove UpdatePolicy.${policy}`);
  });

  it('accepts AutoScalingScheduledAction, which never touches instances', () => {
    expect(
      groupTemplate({
        updatePolicy: { autoScalingScheduledAction: { ignoreUnmodifiedGroupSizeProperties: true } },
      }),
    ).toEqual([]);
  });
});

describe('rollback eligibility: registered on every synth', () => {
  const synthError = (app: App): string => {
    try {
      app.synth();
    } catch (error) {
      return String((error as Error).message);
    }
    throw new Error('synth succeeded');
  };

  it('fails synth of a fleet whose group is switched to $Latest by an escape hatch, naming the group and the fix', () => {
    const { stack, fleet } = fleetStack('dev');
    const blue = fleet.node.findChild('Groups').node.findChild('Blue') as autoscaling.CfnAutoScalingGroup;
    blue.addPropertyOverride('LaunchTemplate.Version', '$Latest');

    const message = synthError(stack.node.root as App);
    expect(message).toContain('Auto Scaling group immutable-dev-blue runs launch template version $Latest');
    expect(message).toContain('(RollbackEligibility)');
    expect(message).toContain('Suggested fix: Set LaunchTemplate.Version to an explicit version number');
  });

  it('reports each finding once however many fleets the app holds', () => {
    // Every environment's fleet, each in its own stack of one app.
    const app = bareApp();
    const fleets = new Map(
      ENVIRONMENT_NAMES.map((env) => [
        env,
        fleetStack(env, { stack: new Stack(app, `Immutable-${env}`) }).fleet,
      ]),
    );
    const green = fleets
      .get('dev')!
      .node.findChild('Groups')
      .node.findChild('Green') as autoscaling.CfnAutoScalingGroup;
    green.desiredCapacity = '3';

    const message = synthError(app);
    expect(message.match(/immutable-dev-green sets DesiredCapacity "3"/g)).toHaveLength(1);
    expect(message).not.toMatch(/immutable-(staging|prod)-/);
  });
});
