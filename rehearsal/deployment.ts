/**
 * A simulated deployment of a synthesized template: every resource gets the physical id
 * CloudFormation would give it (its explicit name when the template sets one), and
 * intrinsic functions resolve against those. The rehearsal reads the state machine
 * definition and the fleet's resources through this, so it runs what would be deployed.
 */

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
}
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export class UnresolvableError extends Error {
  override readonly name = 'UnresolvableError';
}

/** Explicit-name properties, by resource type: CloudFormation uses them as the physical id. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::CompositeAlarm': 'AlarmName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::ImageBuilder::ImagePipeline': 'Name',
};

export class SimulatedDeployment {
  readonly region: string;
  readonly account: string;
  /** The stack's name: generated physical names start with it, as CloudFormation's do. */
  readonly stackName: string;
  private readonly names = new Map<string, string>();

  constructor(
    readonly template: CfnTemplate,
    options: { region?: string; account?: string; stackName?: string } = {},
  ) {
    this.region = options.region ?? 'eu-west-1';
    this.account = options.account ?? '123456789012';
    this.stackName = options.stackName ?? 'rehearsal';
  }

  /** Logical ids of resources of a type. */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) throw new UnresolvableError(`the template has no resource ${logicalId}`);
    return r;
  }

  /** The resource's properties with every intrinsic resolved. */
  properties(logicalId: string): Record<string, unknown> {
    return this.resolve(this.resource(logicalId).Properties ?? {}) as Record<string, unknown>;
  }

  /** The physical name CloudFormation would use for the resource. */
  nameOf(logicalId: string): string {
    const cached = this.names.get(logicalId);
    if (cached) return cached;
    const r = this.resource(logicalId);
    const prop = NAME_PROPERTY[r.Type];
    const explicit = prop ? r.Properties?.[prop] : undefined;
    const name =
      explicit !== undefined
        ? String(this.resolve(explicit))
        : generatedName(this.stackName, logicalId, r.Type);
    this.names.set(logicalId, name);
    return name;
  }

  /** Resolve Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split and Fn::Sub throughout a value. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, unknown];
      switch (fn) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return this.getAtt(String(id), String(attr));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const items = this.resolve(list) as unknown[];
          return items[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, unknown];
          return String(this.resolve(text)).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars = {}] = Array.isArray(arg)
            ? (arg as [string, Record<string, unknown>])
            : [String(arg), {}];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
            name in vars
              ? String(this.resolve(vars[name]))
              : name.includes('.')
                ? String(this.getAtt(...(name.split('.') as [string, string])))
                : String(this.ref(name)),
          );
        }
        default:
          if (fn.startsWith('Fn::')) throw new UnresolvableError(`the rehearsal cannot resolve ${fn}`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(id: string): unknown {
    switch (id) {
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::NoValue':
        return undefined;
    }
    const param = this.template.Parameters?.[id];
    if (param) return param.Default;
    const r = this.resource(id);
    switch (r.Type) {
      case 'AWS::EC2::LaunchTemplate':
        return launchTemplateId(this.uid(id));
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      case 'AWS::ElasticLoadBalancingV2::Listener':
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      case 'AWS::SNS::Topic':
      case 'AWS::StepFunctions::StateMachine':
        return this.arnOf(id);
      default:
        return this.nameOf(id);
    }
  }

  private getAtt(id: string, attr: string): unknown {
    const r = this.resource(id);
    const name = this.nameOf(id);
    if (attr === 'Arn' || attr.endsWith('Arn')) return this.arnOf(id);
    switch (`${r.Type}.${attr}`) {
      case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName':
        return `targetgroup/${name}/${this.uid(id)}`;
      case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupName':
        return name;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName':
        return `app/${name}/${this.uid(id)}`;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
        return `${name}.${this.region}.elb.amazonaws.com`;
      case 'AWS::EC2::LaunchTemplate.LaunchTemplateId':
        return launchTemplateId(this.uid(id));
      case 'AWS::EC2::LaunchTemplate.LatestVersionNumber':
      case 'AWS::EC2::LaunchTemplate.DefaultVersionNumber':
        return '1';
      case 'AWS::StepFunctions::StateMachine.Name':
        return name;
      default:
        return `${name}-${attr}`;
    }
  }

  /**
   * The generated part of a resource's id (a target group's suffix, a launch template's id): unique
   * to the stack, as AWS's are, so several stacks deployed in one account and region never collide.
   */
  private uid(logicalId: string): string {
    return hash(`${this.stackName}/${logicalId}`);
  }

  /** The ARN of a resource, in the shape its service uses. */
  arnOf(id: string): string {
    const r = this.resource(id);
    const name = this.nameOf(id);
    const base = (service: string, resource: string, global = false) =>
      `arn:aws:${service}:${global ? '' : this.region}:${this.account}:${resource}`;
    switch (r.Type) {
      case 'AWS::Lambda::Function':
        return base('lambda', `function:${name}`);
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        return base('elasticloadbalancing', `targetgroup/${name}/${this.uid(id)}`);
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        return base('elasticloadbalancing', `loadbalancer/app/${name}/${this.uid(id)}`);
      case 'AWS::ElasticLoadBalancingV2::Listener':
        return base(
          'elasticloadbalancing',
          `listener/app/${this.stackName}-alb/${hash(this.stackName)}/${this.uid(id)}`,
        );
      case 'AWS::SNS::Topic':
        return base('sns', name);
      case 'AWS::StepFunctions::StateMachine':
        return base('states', `stateMachine:${name}`);
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return base('dynamodb', `table/${name}`);
      case 'AWS::IAM::Role':
        return base('iam', `role/${name}`, true);
      case 'AWS::CloudWatch::Alarm':
      case 'AWS::CloudWatch::CompositeAlarm':
        return base('cloudwatch', `alarm:${name}`);
      case 'AWS::KMS::Key':
        return base('kms', `key/${this.uid(id)}`);
      case 'AWS::ImageBuilder::ImagePipeline':
        return base('imagebuilder', `image-pipeline/${name.toLowerCase()}`);
      default:
        return base(r.Type.split('::')[1]?.toLowerCase() ?? 'unknown', name);
    }
  }
}

/** A launch template's id (Ref and LaunchTemplateId give the id, not the name). */
const launchTemplateId = (uid: string) => `lt-${uid}${hash(`${uid}#`).slice(0, 1)}`;

/** CloudFormation-style generated name: stack, logical id and a suffix, within 32 characters for ELB. */
function generatedName(stackName: string, logicalId: string, type: string): string {
  const base = `${stackName}-${logicalId}`;
  return type.startsWith('AWS::ElasticLoadBalancingV2')
    ? base.slice(0, 24) + hash(`${stackName}/${logicalId}`).slice(0, 8)
    : base;
}

/** A stable 16-hex-digit hash, for ids that look like AWS's. */
export function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).slice(0, 16);
}
