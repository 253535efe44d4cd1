import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { AMI_TAGS } from '../../../lambda/shared/tags';
import { ageFilter } from '../../../lib/constructs/bake/lifecycle-rules';
import { factoryTemplate } from '../../support/templates';

describe('AMI lifecycle policy', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = factoryTemplate();
    prod = productTemplate('prod');
  });

  // Any environment's keep tag protects an AMI: environments of one account share images.
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
    prod.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      Name: 'immutable-prod-web-amis',
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
    dev.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      PolicyDetails: [
        Match.objectLike({ Filter: { Type: 'AGE', Unit: 'DAYS', Value: 14 } }),
        Match.objectLike({ Filter: { Type: 'AGE', Unit: 'DAYS', Value: 30, RetainAtLeast: 3 } }),
      ],
    });
  });

  it("selects only this pipeline's images, by the tags the pipeline puts on them", () => {
    dev.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      ResourceSelection: {
        TagMap: { [AMI_TAGS.environment]: 'dev', [AMI_TAGS.pipeline]: 'immutable-web' },
        Recipes: Match.absent(),
      },
    });
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageTags: { [AMI_TAGS.environment]: 'dev', [AMI_TAGS.pipeline]: 'immutable-web' },
    });
  });

  it('runs as a role Image Builder assumes, with the lifecycle execution policy only', () => {
    dev.hasResourceProperties('AWS::IAM::Role', {
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
    dev.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
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
