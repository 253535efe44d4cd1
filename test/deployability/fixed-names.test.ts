import {
  ENVS,
  STACKS,
  factoryTemplateOf,
  referencedResources,
  stackTemplateOf,
  templateOf,
} from './template-model';
import type { Resource, TemplateJson } from './template-model';

/**
 * The property that holds a resource's physical name, per type in these templates (undefined: the
 * type has no name to give, or the stack never gives one). A type missing from this table fails
 * the first test below: whoever adds it decides.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html
 */
const NAME_PROPERTY: Readonly<Record<string, string | undefined>> = {
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::CloudWatch::CompositeAlarm': 'AlarmName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::EC2::FlowLog': undefined,
  'AWS::EC2::InternetGateway': undefined,
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::EC2::Route': undefined,
  'AWS::EC2::RouteTable': undefined,
  'AWS::EC2::SecurityGroup': 'GroupName',
  'AWS::EC2::SecurityGroupEgress': undefined,
  'AWS::EC2::SecurityGroupIngress': undefined,
  'AWS::EC2::Subnet': undefined,
  'AWS::EC2::SubnetRouteTableAssociation': undefined,
  'AWS::EC2::VPC': undefined,
  'AWS::EC2::VPCEndpoint': undefined,
  'AWS::EC2::VPCGatewayAttachment': undefined,
  'AWS::EC2::EIP': undefined,
  'AWS::EC2::NatGateway': undefined,
  'AWS::ElasticLoadBalancingV2::Listener': undefined,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::Policy': undefined, // an inline policy of its roles, not a resource of its own name
  'AWS::IAM::Role': 'RoleName',
  'AWS::ImageBuilder::Component': 'Name',
  'AWS::ImageBuilder::DistributionConfiguration': 'Name',
  'AWS::ImageBuilder::ImagePipeline': 'Name',
  'AWS::ImageBuilder::ImageRecipe': 'Name',
  'AWS::ImageBuilder::InfrastructureConfiguration': 'Name',
  'AWS::ImageBuilder::LifecyclePolicy': 'Name',
  'AWS::KMS::Key': undefined,
  'AWS::Lambda::EventInvokeConfig': undefined,
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Lambda::Permission': undefined,
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::S3::BucketPolicy': undefined,
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::SNS::Subscription': undefined,
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SNS::TopicPolicy': undefined,
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SQS::QueuePolicy': undefined,
  'AWS::SSM::Parameter': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'Custom::AWS': undefined,
  'Custom::VpcRestrictDefaultSG': undefined,
};

/**
 * Types CloudFormation can import automatically during a deploy (cdk deploy
 * --import-existing-resources), among those this product could retain under a fixed name.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html
 */
const AUTO_IMPORTABLE = new Set(['AWS::Logs::LogGroup', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket']);

interface Named {
  readonly id: string;
  readonly type: string;
  readonly name: unknown;
  readonly deletionPolicy: string;
}

/**
 * Resources whose physical name is fixed: a name that refers to no resource of the stack is the
 * same in every deploy of it, a failed one, the retry and a re-created stack alike (pseudo
 * parameters such as AWS::StackName do not change that).
 */
function fixedNames(template: TemplateJson): Named[] {
  return Object.entries(template.Resources).flatMap(([id, r]: [string, Resource]) => {
    const property = NAME_PROPERTY[r.Type];
    const name = property === undefined ? undefined : r.Properties?.[property];
    if (name === undefined || referencedResources(name, template).size > 0) return [];
    return [{ id, type: r.Type, name, deletionPolicy: r.DeletionPolicy ?? 'Delete' }];
  });
}

/**
 * Retain is honoured when CloudFormation rolls back the create that made the resource: the retry
 * of a failed first deploy then collides with the resource it left ("already exists").
 * RetainExceptOnCreate keeps it on every other operation but deletes it on that rollback.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html (RetainExceptOnCreate: "newly created resources marked with a deletion policy of Retain" are otherwise kept)
 */
function retainedByAFailedCreate(template: TemplateJson): string[] {
  return fixedNames(template)
    .filter((n) => n.deletionPolicy === 'Retain')
    .map((n) => `${n.id} (${n.type} ${JSON.stringify(n.name)}) is retained by a failed create`);
}

/**
 * A resource kept after a teardown under a fixed name collides with the re-created stack unless
 * CloudFormation adopts it: automatic import takes a resource whose name is a literal and whose
 * deletion policy is Retain or RetainExceptOnCreate, of a type that supports import.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html
 */
function notAdoptableOnRecreate(template: TemplateJson): string[] {
  return fixedNames(template)
    .filter((n) => n.deletionPolicy === 'Retain' || n.deletionPolicy === 'RetainExceptOnCreate')
    .filter((n) => typeof n.name !== 'string' || !AUTO_IMPORTABLE.has(n.type))
    .map((n) => `${n.id} (${n.type}) is kept after a teardown and cannot be imported on re-create`);
}

describe('fixed physical names vs deletion policies', () => {
  it.each(STACKS)('%s: every resource type is classified, named or not', (stack) => {
    const types = new Set(Object.values(stackTemplateOf(stack).Resources).map((r) => r.Type));
    expect([...types].filter((t) => !(t in NAME_PROPERTY))).toEqual([]);
  });

  it.each(STACKS)('%s: no resource with a fixed name survives the rollback of its own create', (stack) => {
    expect(retainedByAFailedCreate(stackTemplateOf(stack))).toEqual([]);
  });

  it.each(STACKS)(
    '%s: every fixed-name resource kept after a teardown can be adopted on re-create',
    (stack) => {
      expect(notAdoptableOnRecreate(stackTemplateOf(stack))).toEqual([]);
    },
  );

  it("image factory: keeps no fixed-name resource after a teardown (Image Builder's log groups go with it)", () => {
    const kept = fixedNames(factoryTemplateOf()).filter((n) => n.deletionPolicy !== 'Delete');
    expect(kept).toEqual([]);
  });

  it.each(ENVS)('%s: the fleet log group is the one such resource, kept except on a failed create', (env) => {
    const kept = fixedNames(templateOf(env)).filter((n) => n.deletionPolicy !== 'Delete');
    expect(kept.map((n) => [n.type, n.name, n.deletionPolicy])).toEqual([
      ['AWS::Logs::LogGroup', `/immutable/${env}/fleet`, 'RetainExceptOnCreate'],
    ]);
  });

  it.each(ENVS)('%s: the ledger table has no fixed name, and is kept except on a failed create', (env) => {
    const tables = Object.values(templateOf(env).Resources).filter(
      (r) => r.Type === 'AWS::DynamoDB::GlobalTable',
    );
    expect(tables.map((t) => [t.Properties?.TableName, t.DeletionPolicy])).toEqual([
      [undefined, 'RetainExceptOnCreate'],
    ]);
  });

  describe('the checks themselves', () => {
    it('fail when a fixed-name table is retained as the ledger once was', () => {
      const t = templateOf('dev');
      const [id] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable') ?? [];
      const table = t.Resources[id as string] as {
        Properties: Record<string, unknown>;
        DeletionPolicy?: string;
      };
      table.Properties.TableName = 'immutable-dev-rollouts';
      table.DeletionPolicy = 'Retain';
      expect(retainedByAFailedCreate(t)).toEqual([
        `${id} (AWS::DynamoDB::GlobalTable "immutable-dev-rollouts") is retained by a failed create`,
      ]);
      expect(notAdoptableOnRecreate(t)).toEqual([
        `${id} (AWS::DynamoDB::GlobalTable) is kept after a teardown and cannot be imported on re-create`,
      ]);
    });

    it('count a name built from pseudo parameters as fixed, and one built from a resource as not', () => {
      const t = templateOf('dev');
      const [id] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::SQS::Queue') ?? [];
      const queue = t.Resources[id as string] as {
        Properties: Record<string, unknown>;
        DeletionPolicy?: string;
      };
      queue.DeletionPolicy = 'Retain';
      queue.Properties.QueueName = { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'dlq']] };
      expect(retainedByAFailedCreate(t)).toHaveLength(1);
      const [topic] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::SNS::Topic') ?? [];
      queue.Properties.QueueName = { 'Fn::GetAtt': [topic as string, 'TopicName'] };
      expect(retainedByAFailedCreate(t)).toEqual([]);
    });
  });
});
