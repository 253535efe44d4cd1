import { readFileSync } from 'node:fs';
import { Stage, Validations } from 'aws-cdk-lib';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The rules an Auto Scaling group must keep so the rollout workflow can roll an instance
 * refresh back, and so CloudFormation never fights the workflow over the group.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RollbackInstanceRefresh.html
 */
export const ROLLBACK_RULES = {
  explicitVersion: 'explicit-launch-template-version',
  concreteImage: 'concrete-image-id',
  noDesiredCapacity: 'no-desired-capacity',
  noReplacingUpdatePolicy: 'no-instance-replacing-update-policy',
} as const;
export type RollbackRule = (typeof ROLLBACK_RULES)[keyof typeof ROLLBACK_RULES];

/** One broken rule on one resource. */
export interface EligibilityFinding {
  readonly rule: RollbackRule;
  /** Logical id of the offending resource. */
  readonly logicalId: string;
  /** Where in the resource, e.g. `Properties/LaunchTemplate/Version`. */
  readonly location: string;
  /** Names the group (and launch template) and what is wrong. */
  readonly message: string;
  /** What to do instead. */
  readonly fix: string;
}

/** The part of a CloudFormation template the rules read. */
export interface TemplateJson {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Resources?: Record<string, TemplateResource>;
}
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly UpdatePolicy?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

const GROUP = 'AWS::AutoScaling::AutoScalingGroup';
const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';
const MOVING_VERSIONS = /^\$(latest|default)$/i;
const MOVING_ATTRIBUTES = new Set(['LatestVersionNumber', 'DefaultVersionNumber']);
/** Update policies that make CloudFormation replace or roll instances itself. */
const REPLACING_POLICIES = [
  'AutoScalingRollingUpdate',
  'AutoScalingReplacingUpdate',
  'AutoScalingInstanceRefresh',
];

/**
 * Check every Auto Scaling group of a synthesized template (and the launch templates they use)
 * against the rollback-eligibility rules. Works on the final template, so property overrides
 * and escape hatches are judged exactly as CloudFormation will see them.
 */
export function checkRollbackEligibility(template: TemplateJson): EligibilityFinding[] {
  const resources = template.Resources ?? {};
  const parameters = template.Parameters ?? {};
  const findings: EligibilityFinding[] = [];

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== GROUP) continue;
    const props = resource.Properties ?? {};
    const group = describeGroup(logicalId, resource);

    for (const { spec, location } of launchTemplateSpecs(props)) {
      const version = spec.Version;
      const moving = movingVersion(version, parameters);
      if (moving) {
        findings.push({
          rule: ROLLBACK_RULES.explicitVersion,
          logicalId,
          location: `${location}/Version`,
          message: `${group} runs launch template version ${moving}: instance refresh rollback is not supported with $Latest/$Default, and a version that follows the template moves the group on every template change.`,
          fix: 'Set LaunchTemplate.Version to an explicit version number resolved from the SSM parameter the rollout workflow keeps current.',
        });
      }
      const templateId = referencedLaunchTemplate(spec, resources);
      const lt = templateId ? resources[templateId] : undefined;
      const imageId = (lt?.Properties?.LaunchTemplateData as Record<string, unknown> | undefined)?.ImageId;
      if (templateId && imageId !== undefined && usesSsmAlias(imageId, parameters)) {
        findings.push({
          rule: ROLLBACK_RULES.concreteImage,
          logicalId: templateId,
          location: 'Properties/LaunchTemplateData/ImageId',
          message: `Launch template ${templateId} of ${group} takes its ImageId from a resolve:ssm reference: instance refresh rollback is not supported for a launch template whose AMI is a Systems Manager parameter.`,
          fix: 'Use a CloudFormation parameter of type AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> so the template carries a concrete AMI id.',
        });
      }
    }

    if (props.DesiredCapacity !== undefined) {
      findings.push({
        rule: ROLLBACK_RULES.noDesiredCapacity,
        logicalId,
        location: 'Properties/DesiredCapacity',
        message: `${group} sets DesiredCapacity ${JSON.stringify(props.DesiredCapacity)}: every deploy would resize the group the rollout workflow sized.`,
        fix: 'Remove DesiredCapacity; the rollout workflow owns the group size.',
      });
    }

    for (const policy of REPLACING_POLICIES) {
      if (resource.UpdatePolicy?.[policy] !== undefined) {
        findings.push({
          rule: ROLLBACK_RULES.noReplacingUpdatePolicy,
          logicalId,
          location: `UpdatePolicy/${policy}`,
          message: `${group} has an UpdatePolicy ${policy}: CloudFormation would replace instances itself and fight the rollout workflow.`,
          fix: `Remove UpdatePolicy.${policy}; rollouts go through the workflow (AutoScalingScheduledAction is fine).`,
        });
      }
    }
  }
  return findings;
}

/**
 * Runs {@link checkRollbackEligibility} on every template at synth; a finding fails synthesis
 * with a report naming the group and the fix. A validation plugin rather than an Aspect: it
 * judges the final template, including raw overrides an Aspect reading L1 properties misses.
 */
export class RollbackEligibilityCheck implements IPolicyValidationPlugin {
  readonly name = 'RollbackEligibility';
  readonly version = '1.0.0';
  readonly ruleIds = Object.values(ROLLBACK_RULES);

  private static readonly registered = new WeakSet<IConstruct>();

  /** Register the check once on the app (or stage) containing `scope`. */
  static register(scope: IConstruct): void {
    const stage = Stage.of(scope);
    if (!stage || RollbackEligibilityCheck.registered.has(stage)) return;
    RollbackEligibilityCheck.registered.add(stage);
    Validations.of(stage).addPlugins(new RollbackEligibilityCheck());
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(readFileSync(templatePath, 'utf8')) as TemplateJson;
      for (const finding of checkRollbackEligibility(template)) {
        violations.push({
          ruleName: finding.rule,
          description: finding.message,
          fix: finding.fix,
          violatingResources: [
            { resourceLogicalId: finding.logicalId, templatePath, locations: [finding.location] },
          ],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}

function describeGroup(logicalId: string, resource: TemplateResource): string {
  const name = resource.Properties?.AutoScalingGroupName;
  const path = resource.Metadata?.['aws:cdk:path'];
  const label = typeof name === 'string' ? `Auto Scaling group ${name}` : `Auto Scaling group ${logicalId}`;
  return typeof path === 'string' ? `${label} (${path})` : label;
}

function launchTemplateSpecs(
  props: Record<string, unknown>,
): Array<{ spec: Record<string, unknown>; location: string }> {
  const specs: Array<{ spec: Record<string, unknown>; location: string }> = [];
  if (isRecord(props.LaunchTemplate))
    specs.push({ spec: props.LaunchTemplate, location: 'Properties/LaunchTemplate' });
  const mixed = props.MixedInstancesPolicy;
  if (
    isRecord(mixed) &&
    isRecord(mixed.LaunchTemplate) &&
    isRecord(mixed.LaunchTemplate.LaunchTemplateSpecification)
  ) {
    specs.push({
      spec: mixed.LaunchTemplate.LaunchTemplateSpecification,
      location: 'Properties/MixedInstancesPolicy/LaunchTemplate/LaunchTemplateSpecification',
    });
  }
  return specs;
}

/** Returns how the version moves (for the message), or undefined when it is explicit. */
function movingVersion(
  version: unknown,
  parameters: TemplateJson['Parameters'] & object,
): string | undefined {
  if (version === undefined) return '(none, which means $Default)';
  if (typeof version === 'string') return MOVING_VERSIONS.test(version) ? version : undefined;
  if (!isRecord(version)) return undefined;
  const getAtt = version['Fn::GetAtt'];
  if (Array.isArray(getAtt) && MOVING_ATTRIBUTES.has(String(getAtt[1])))
    return `Fn::GetAtt ${String(getAtt[1])}`;
  const ref = version.Ref;
  if (typeof ref === 'string') {
    const parameter = parameters[ref];
    // An SSM-typed parameter resolves at deploy time; its default is a parameter name, not a version.
    if (parameter && !parameter.Type?.startsWith('AWS::SSM::Parameter::Value')) {
      const fallback = parameter.Default;
      if (typeof fallback === 'string' && MOVING_VERSIONS.test(fallback)) {
        return `${fallback} (default of parameter ${ref})`;
      }
    }
  }
  return undefined;
}

function referencedLaunchTemplate(
  spec: Record<string, unknown>,
  resources: Record<string, TemplateResource>,
): string | undefined {
  const id = spec.LaunchTemplateId;
  if (isRecord(id)) {
    if (typeof id.Ref === 'string') return id.Ref;
    const getAtt = id['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  const name = spec.LaunchTemplateName;
  if (typeof name === 'string') {
    return Object.entries(resources).find(
      ([, r]) => r.Type === LAUNCH_TEMPLATE && r.Properties?.LaunchTemplateName === name,
    )?.[0];
  }
  return undefined;
}

/**
 * `{{resolve:ssm:...}}` (a CloudFormation dynamic reference) and `resolve:ssm:...` (the EC2
 * AMI alias) both tie the image to a parameter instead of a concrete id.
 */
function usesSsmAlias(imageId: unknown, parameters: TemplateJson['Parameters'] & object): boolean {
  if (JSON.stringify(imageId).includes('resolve:ssm:')) return true;
  if (isRecord(imageId) && typeof imageId.Ref === 'string') {
    const fallback = parameters[imageId.Ref]?.Default;
    const type = parameters[imageId.Ref]?.Type ?? '';
    return (
      !type.startsWith('AWS::SSM::Parameter::Value') &&
      typeof fallback === 'string' &&
      fallback.includes('resolve:ssm:')
    );
  }
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
