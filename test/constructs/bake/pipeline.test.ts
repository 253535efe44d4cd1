import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import type { BakePipeline } from '../../../lib/constructs/bake';
import { factoryTemplate, productTemplate } from '../../support/templates';
import { bakeStack, devBakeProps, recipeNameOf } from './bake-stack';

/** The configured factory: weekdays at 03:00 UTC on every match, fails on CRITICAL, 90 days of logs. */
let dev: Template;
/** Weekly, only when dependencies were updated, fails on HIGH, a year of logs. */
let prod: Template;
let prodBake: BakePipeline;

beforeAll(() => {
  dev = factoryTemplate();
  const variant = bakeStack({
    schedule: { cron: 'cron(0 3 ? * WED *)', timezone: 'UTC', onlyWhenDependenciesUpdated: true },
    scan: { failOnSeverity: 'HIGH' },
    logRetentionDays: 365,
  });
  prod = variant.template;
  prodBake = variant.bake;
});

const pipelineOf = (template: Template) => template.findResources('AWS::ImageBuilder::ImagePipeline');

describe('image pipeline', () => {
  it('is the one enabled pipeline of the factory, named after the application, with enhanced metadata', () => {
    expect(Object.keys(pipelineOf(dev))).toHaveLength(1);
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Name: 'immutable-web',
      Status: 'ENABLED',
      EnhancedImageMetadataEnabled: true,
      ImageRecipeArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeRecipe'), 'Arn'] },
      InfrastructureConfigurationArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^BakeInfrastructure'), 'Arn'],
      },
      DistributionConfigurationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeDistribution'), 'Arn'] },
    });
  });

  it('runs the image tests', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageTestsConfiguration: { ImageTestsEnabled: true },
    });
  });

  it('runs on the configured cron in the configured time zone', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: Match.objectLike({ ScheduleExpression: 'cron(0 3 ? * MON-FRI *)', Timezone: 'UTC' }),
    });
  });

  it('builds on every schedule match unless told to wait for dependency updates', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: Match.objectLike({ PipelineExecutionStartCondition: 'EXPRESSION_MATCH_ONLY' }),
    });
    prod.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: Match.objectLike({
        ScheduleExpression: 'cron(0 3 ? * WED *)',
        PipelineExecutionStartCondition: 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE',
      }),
    });
  });

  it('tags its images so the lifecycle policy can select exactly them', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageTags: { 'immutable:pipeline': 'immutable-web', 'immutable:environment': Match.absent() },
    });
  });

  it('logs to CloudWatch groups that expire', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      LoggingConfiguration: {
        ImageLogGroupName: { Ref: Match.stringLikeRegexp('^BakeLogsImageLogs') },
        PipelineLogGroupName: { Ref: Match.stringLikeRegexp('^BakeLogsPipelineLogs') },
      },
    });
    dev.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/imagebuilder/immutable-web',
      RetentionInDays: 90,
    });
    prod.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/imagebuilder/pipeline/immutable-web',
      RetentionInDays: 365,
    });
  });
});

describe('vulnerability scan gate', () => {
  it('keeps the Inspector findings with only the properties the CloudFormation schema documents', () => {
    for (const template of [dev, prod]) {
      const pipelines = Object.values(template.findResources('AWS::ImageBuilder::ImagePipeline'));
      expect(pipelines.map((p) => p.Properties.ImageScanningConfiguration)).toEqual([
        { ImageScanningEnabled: true },
      ]);
    }
  });

  it("leaves the gate to the environments: dev's image trigger counts findings against scan.failOnSeverity", () => {
    // The factory announces each image with its findings; the first environment refuses one that
    // reaches the factory's configured severity (CRITICAL).
    productTemplate('dev').hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SCAN_FAIL_ON_SEVERITY: 'CRITICAL' }) },
    });
  });

  it('exposes the configured severity for the rollout workflow to enforce', () => {
    expect(devBakeProps().scan.failOnSeverity).toBe('CRITICAL');
    expect(bakeStack().bake.scanGateSeverity).toBe('CRITICAL');
    expect(prodBake.scanGateSeverity).toBe('HIGH');
  });
});

describe('pipeline execution role', () => {
  it('is assumed by Image Builder for this account only', () => {
    dev.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'imagebuilder.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2ImageBuilderExecutionPolicy'],
          ],
        },
      ],
    });
    dev.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeExecutionRole'), 'Arn'] },
    });
  });

  it('may write the baked-AMI parameter and no other', () => {
    dev.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^BakeExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'ssm:PutParameter',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':ssm:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':parameter/immutable/images/web/baked-ami',
                ],
              ],
            },
          },
        ]),
      },
    });
  });
});

describe('pipeline attributes', () => {
  it('names the recipe after the pipeline and its content', () => {
    expect(recipeNameOf(dev)).toMatch(/^immutable-web_[0-9a-f]{10}$/);
  });

  it('gives an image ARN pattern that matches every build of every recipe of this pipeline only', () => {
    const bake = prodBake;
    expect(Stack.of(bake).resolve(bake.imageArnPattern)).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':imagebuilder:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':image/immutable-web_*',
        ],
      ],
    });
    const pattern = /^image\/immutable-web_.*$/;
    expect(`image/${recipeNameOf(dev)}/1.0.0/3`).toMatch(pattern);
    // Another app whose name starts the same must not match.
    expect('image/immutable-web-api_0123456789/1.0.0/1').not.toMatch(pattern);
  });
});
