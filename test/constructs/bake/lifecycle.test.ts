import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { AMI_TAGS } from '../../../lambda/shared/tags';
import { ageFilter } from '../../../lib/constructs/bake/lifecycle-rules';
import { factoryTemplate } from '../../support/templates';
import { bakeStack } from './bake-stack';

describe('AMI lifecycle policy', () => {
  /** The configured factory: deprecate after 30 days, delete after 90, keep 5. */
  let factory: Template;
  /** Shorter ages, fewer kept, and only dev's rollback candidates protected. */
  let variant: Template;
  beforeAll(() => {
    factory = factoryTemplate();
    ({ template: variant } = bakeStack({
      lifecycle: { deprecateAfterDays: 14, deleteAfterDays: 30, keepAtLeast: 3 },
      protectedEnvironments: ['dev'],
    }));
  });

  // Any environment's keep tag protects an AMI: every environment runs the factory's images.
  const protectedAmis = {
    Amis: {
      TagMap: {
        'immutable:rollback-candidate:dev': 'true',
        'immutable:rollback-candidate:staging': 'true',
        'immutable:rollback-candidate:prod': 'true',
      },
    },
  };

  it('deprecates, then deletes AMIs and snapshots, always keeping the newest ones and never a rollback candidate', () => {
    factory.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      Name: 'immutable-web-amis',
      ResourceType: 'AMI_IMAGE',
      Status: 'ENABLED',
      PolicyDetails: [
        {
          Action: { Type: 'DEPRECATE', IncludeResources: { Amis: true } },
          Filter: { Type: 'AGE', Unit: 'DAYS', Value: 30 },
          ExclusionRules: protectedAmis,
        },
        {
          Action: { Type: 'DELETE', IncludeResources: { Amis: true, Snapshots: true } },
          Filter: { Type: 'AGE', Unit: 'DAYS', Value: 90, RetainAtLeast: 5 },
          ExclusionRules: protectedAmis,
        },
      ],
    });
    variant.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      PolicyDetails: [
        Match.objectLike({ Filter: { Type: 'AGE', Unit: 'DAYS', Value: 14 } }),
        Match.objectLike({ Filter: { Type: 'AGE', Unit: 'DAYS', Value: 30, RetainAtLeast: 3 } }),
      ],
    });
  });

  it('protects the rollback candidates of exactly the environments it is told to', () => {
    const exclusionsOf = (template: Template) =>
      Object.values(template.findResources('AWS::ImageBuilder::LifecyclePolicy')).flatMap((p) =>
        (p.Properties.PolicyDetails as { ExclusionRules: unknown }[]).map((d) => d.ExclusionRules),
      );
    expect(exclusionsOf(variant)).toEqual([
      { Amis: { TagMap: { 'immutable:rollback-candidate:dev': 'true' } } },
      { Amis: { TagMap: { 'immutable:rollback-candidate:dev': 'true' } } },
    ]);
    expect(exclusionsOf(factory)).toEqual([protectedAmis, protectedAmis]);
  });

  it('fails when told to protect no environment, or more than its exclusion rules take', () => {
    expect(() => bakeStack({ protectedEnvironments: [] })).toThrow(
      /protectedEnvironments must name 1-50 environments .*, got \[\]/,
    );
    const many = Array.from({ length: 51 }, (_, i) => `env-${i}`);
    expect(() => bakeStack({ protectedEnvironments: many })).toThrow(/protectedEnvironments must name 1-50/);
  });

  it("selects only this pipeline's images, by the tags the pipeline puts on them", () => {
    const [policy] = Object.values(factory.findResources('AWS::ImageBuilder::LifecyclePolicy'));
    expect(policy?.Properties.ResourceSelection).toEqual({
      TagMap: { [AMI_TAGS.pipeline]: 'immutable-web' },
    });
    const [pipeline] = Object.values(factory.findResources('AWS::ImageBuilder::ImagePipeline'));
    expect(pipeline?.Properties.ImageTags).toEqual({ [AMI_TAGS.pipeline]: 'immutable-web' });
  });

  it('runs as a role Image Builder assumes, with the lifecycle execution policy only', () => {
    factory.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'imagebuilder.amazonaws.com' } })],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy',
            ],
          ],
        },
      ],
    });
    factory.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeLifecycleExecutionRole'), 'Arn'] },
    });
  });

  it('states ages past 1000 days in weeks, rounded up, as Image Builder limits a value to 1000', () => {
    expect(ageFilter(1000)).toEqual({ unit: 'DAYS', value: 1000 });
    expect(ageFilter(1001)).toEqual({ unit: 'WEEKS', value: 143 });
    expect(ageFilter(3650)).toEqual({ unit: 'WEEKS', value: 522 });
    expect(() => ageFilter(0)).toThrow('an image age must be a whole number of days >= 1, got 0');
  });
});
