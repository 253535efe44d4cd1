import type { Template } from 'aws-cdk-lib/assertions';
import { SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES } from '../support/templates';
import { keepTag, releasedTag } from '../../lambda/shared/tags';
import { HANDLER_METADATA } from '../../lib/constructs/functions/handlers';
import { configOf, factoryConfig } from '../support/synth';
import { factoryTemplate, productTemplate } from '../support/templates';
import { grantsOf, render } from '../constructs/rollout/rollout-template';
import type { Grant } from '../constructs/rollout/rollout-template';

const ENVS = ['dev', 'staging', 'prod'] as const;

interface FunctionResource {
  readonly Properties: { Role: unknown; Environment: { Variables: Record<string, unknown> } };
}
interface RuleResource {
  readonly Properties: {
    readonly EventPattern: Record<string, unknown>;
    readonly Targets: { Arn: unknown; RetryPolicy?: unknown; DeadLetterConfig?: { Arn: unknown } }[];
  };
}

let factory: Template;
beforeAll(() => {
  factory = factoryTemplate();
});

/** The factory's function running `handler`, with its logical id. */
function functionOf(handler: 'announce-image' | 'tag-lineage'): [string, FunctionResource] {
  const found = Object.entries(
    factory.findResources('AWS::Lambda::Function', { Metadata: { [HANDLER_METADATA]: handler } }),
  ) as [string, FunctionResource][];
  expect(found).toHaveLength(1);
  return found[0] as [string, FunctionResource];
}

/** The rules whose targets include `handler`'s function. */
function rulesInvoking(handler: 'announce-image' | 'tag-lineage'): RuleResource[] {
  const [id] = functionOf(handler);
  return Object.values(factory.findResources('AWS::Events::Rule') as Record<string, RuleResource>).filter(
    (r) => r.Properties.Targets.some((t) => render(t.Arn) === `\${${id}.Arn}`),
  );
}

/** The statements of `handler`'s role, without the log writes and X-Ray every product function has. */
function grantsOfFunction(handler: 'announce-image' | 'tag-lineage'): Grant[] {
  const [, fn] = functionOf(handler);
  const role = /^\$\{(\w+)\.Arn\}$/.exec(render(fn.Properties.Role))?.[1] as string;
  return grantsOf(factory, role).filter((g) => !g.actions.every((a) => a.startsWith('logs:')));
}

/** The logical id of the factory's one pipeline. */
const pipelineId = () => {
  const ids = Object.keys(factory.findResources('AWS::ImageBuilder::ImagePipeline'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};
/** The ARN pattern of the pipeline's images (every build of every recipe of immutable-web). */
const PIPELINE_IMAGES =
  'arn:${AWS::Partition}:imagebuilder:${AWS::Region}:${AWS::AccountId}:image/immutable-web_*';
const DEAD_LETTERS = 'immutable-web-image-event-dead-letters';
const deadLettersArn = () => {
  const ids = Object.keys(
    factory.findResources('AWS::SQS::Queue', { Properties: { QueueName: DEAD_LETTERS } }),
  );
  expect(ids).toHaveLength(1);
  return `\${${ids[0]}.Arn}`;
};

describe('the one image pipeline', () => {
  it('is in Immutable-images, and no environment stack bakes anything', () => {
    const count = (template: Template, type: string) => Object.keys(template.findResources(type)).length;
    expect(count(factory, 'AWS::ImageBuilder::ImagePipeline')).toBe(1);
    const bakes = [
      'AWS::ImageBuilder::ImagePipeline',
      'AWS::ImageBuilder::ImageRecipe',
      'AWS::ImageBuilder::Component',
      'AWS::ImageBuilder::InfrastructureConfiguration',
      'AWS::ImageBuilder::DistributionConfiguration',
      'AWS::ImageBuilder::LifecyclePolicy',
    ];
    for (const env of ENVS) {
      const found = bakes.filter((type) => count(productTemplate(env), type) > 0);
      expect({ env, found }).toEqual({ env, found: [] });
    }
    expect(
      ENVS.reduce((n, env) => n + count(productTemplate(env), 'AWS::ImageBuilder::ImagePipeline'), 0) +
        count(factory, 'AWS::ImageBuilder::ImagePipeline'),
    ).toBe(1);
  });

  it("is named after the factory's application", () => {
    factory.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Name: `immutable-${factoryConfig().app.name}`,
    });
  });

  it("keeps every environment's rollback candidates from its lifecycle policy", () => {
    const configured = ENVS.map((e) => configOf(e).name);
    expect(configured).toEqual([...ENVIRONMENT_NAMES]);
    const [policy] = Object.values(factory.findResources('AWS::ImageBuilder::LifecyclePolicy'));
    const details = policy?.Properties.PolicyDetails as { ExclusionRules: unknown }[];
    expect(details.map((d) => d.ExclusionRules)).toEqual(
      details.map(() => ({
        Amis: { TagMap: Object.fromEntries(configured.map((e) => [keepTag(e), 'true'])) },
      })),
    );
    expect(details).toHaveLength(2);
  });
});

describe('announcing images', () => {
  it("a finished image of the factory's pipeline invokes announce-image, with retries", () => {
    const rules = rulesInvoking('announce-image');
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    const pattern = rule?.Properties.EventPattern as Record<string, unknown> & {
      resources: { wildcard: unknown }[];
    };
    expect({ ...pattern, resources: pattern.resources.map((r) => render(r.wildcard)) }).toEqual({
      source: ['aws.imagebuilder'],
      'detail-type': ['EC2 Image Builder Image State Change'],
      // a wildcard filter: a prefix filter would take the * literally and match nothing
      resources: [PIPELINE_IMAGES],
      detail: { state: { status: ['AVAILABLE'] } },
    });
    expect(rule?.Properties.Targets.map((t) => [t.RetryPolicy, render(t.DeadLetterConfig?.Arn)])).toEqual([
      [{ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 }, deadLettersArn()],
    ]);
  });

  it('knows the pipeline it announces for, and the lineage every announcement carries', () => {
    const [, fn] = functionOf('announce-image');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      PIPELINE_ARN: { 'Fn::GetAtt': [pipelineId(), 'Arn'] },
      RECIPE_VERSION: factoryConfig().recipeVersion,
      SOURCE_REVISION: expect.stringMatching(/^[\w.-]+$/) as string,
    });
  });

  it("may read the pipeline's images only, and put events on the factory's bus only", () => {
    expect(grantsOfFunction('announce-image').map((g) => [g.actions, g.resources])).toEqual([
      // no resource-level permissions: the scan aggregation read, and X-Ray
      [
        [
          'imagebuilder:ListImageScanFindingAggregations',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ],
        ['*'],
      ],
      [['imagebuilder:GetImage'], [PIPELINE_IMAGES]],
      [
        ['events:PutEvents'],
        ['arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default'],
      ],
      // what it cannot handle, after Lambda's retries
      [['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], [deadLettersArn()]],
    ]);
  });
});

describe('tagging lineage', () => {
  it("each environment's Image Released, from its account, invokes tag-lineage, with retries", () => {
    const rules = rulesInvoking('tag-lineage');
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['immutable.rollout'],
      'detail-type': ['Image Released'],
      // one account: every environment's releases come from the factory's own account
      account: [{ Ref: 'AWS::AccountId' }],
    });
    expect(rule?.Properties.Targets.map((t) => [t.RetryPolicy, render(t.DeadLetterConfig?.Arn)])).toEqual([
      [{ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 }, deadLettersArn()],
    ]);
  });

  it("knows each environment's account, to ignore a release from any other", () => {
    const [, fn] = functionOf('tag-lineage');
    expect(JSON.parse(render(fn.Properties.Environment.Variables.ENVIRONMENT_ACCOUNTS))).toEqual({
      dev: '${AWS::AccountId}',
      staging: '${AWS::AccountId}',
      prod: '${AWS::AccountId}',
    });
  });

  it('may write only the release and rollback-candidate tags, on AMIs, always naming the keys', () => {
    const images = 'arn:${AWS::Partition}:ec2:*::image/*';
    const keep = ENVIRONMENT_NAMES.map((e) => keepTag(e));
    const stamped = ENVIRONMENT_NAMES.map((e) => releasedTag(e));
    const tagging = grantsOfFunction('tag-lineage').filter((g) => g.actions.some((a) => /Tags$/.test(a)));
    expect(tagging.map((g) => [g.actions, g.resources, g.condition])).toEqual([
      [
        ['ec2:CreateTags'],
        [images],
        {
          'ForAllValues:StringEquals': { 'aws:TagKeys': [...keep, ...stamped] },
          Null: { 'aws:TagKeys': 'false' },
        },
      ],
      // it removes rollback candidacy only, never a lineage or release tag
      [
        ['ec2:DeleteTags'],
        [images],
        { 'ForAllValues:StringEquals': { 'aws:TagKeys': keep }, Null: { 'aws:TagKeys': 'false' } },
      ],
    ]);
  });

  it('names each tag key exactly: never an immutable:* wildcard', () => {
    const keys = grantsOfFunction('tag-lineage').flatMap((g) =>
      Object.values(g.condition ?? {}).flatMap((c) => [c['aws:TagKeys'] ?? []].flat()),
    );
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys.filter((k) => k !== 'false')) expect(key).toMatch(/^immutable:[a-z-]+(:[a-z]+)?$/);
    const operators = grantsOfFunction('tag-lineage').flatMap((g) => Object.keys(g.condition ?? {}));
    expect(operators.filter((o) => /Like/.test(o))).toEqual([]);
  });

  it('otherwise only reads images (DescribeImages has no resource-level permissions) and reports failures', () => {
    const rest = grantsOfFunction('tag-lineage').filter((g) => !g.actions.some((a) => /Tags$/.test(a)));
    expect(rest.map((g) => [g.actions, g.resources])).toEqual([
      [['ec2:DescribeImages', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'], ['*']],
      [['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], [deadLettersArn()]],
    ]);
  });
});

describe('failed announcements and lineage updates are kept, not lost', () => {
  it("go to an encrypted dead-letter queue whose alarm notifies the factory's topic", () => {
    factory.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: DEAD_LETTERS,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const alarms = Object.values(
      factory.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: DEAD_LETTERS } }),
    );
    expect(alarms).toHaveLength(1);
    const topics = Object.keys(factory.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topics[0] }],
    });
  });

  it('including what the functions themselves fail on, after two retries', () => {
    const configs = Object.values(factory.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs.map((c) => render(c.Properties.FunctionName)).sort()).toEqual(
      [`\${${functionOf('announce-image')[0]}}`, `\${${functionOf('tag-lineage')[0]}}`].sort(),
    );
    for (const c of configs) {
      expect(c.Properties).toMatchObject({ MaximumRetryAttempts: 2 });
      expect(render(c.Properties.DestinationConfig.OnFailure.Destination)).toBe(deadLettersArn());
    }
  });
});
