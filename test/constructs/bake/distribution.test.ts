import type { Template } from 'aws-cdk-lib/assertions';
import { AMI_TAGS } from '../../../lambda/shared/tags';
import { runtimeParameters } from '../../../lambda/shared/names';
import { testApp } from '../../support/synth';
import { recipeNameOf } from './bake-stack';
import type { TestApp } from '../../support/synth';

describe('distribution', () => {
  let app: TestApp;
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    app = testApp({ context: { sourceRevision: 'f00dcafe' } });
    dev = app.template('dev');
    prod = app.template('prod');
  });
  afterAll(() => app.cleanup());

  it('distributes in the stack region and publishes the AMI id to the baked-image parameter', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Name: 'immutable-web-distribution',
      Distributions: [
        {
          Region: { Ref: 'AWS::Region' },
          SsmParameterConfigurations: [
            { ParameterName: runtimeParameters('dev').bakedImage, DataType: 'aws:ec2:image' },
          ],
          AmiDistributionConfiguration: {
            Name: 'immutable-web-1.0.0-{{ imagebuilder:buildDate }}',
            Description: 'web 1.0.0 baked by immutable-web',
            AmiTags: {
              [AMI_TAGS.environment]: 'dev',
              [AMI_TAGS.pipeline]: 'immutable-web',
              [AMI_TAGS.recipe]: recipeNameOf(dev),
              [AMI_TAGS.recipeVersion]: '1.0.0',
              [AMI_TAGS.sourceRevision]: 'f00dcafe',
            },
          },
        },
      ],
    });
    prod.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: [
        {
          Region: { Ref: 'AWS::Region' },
          SsmParameterConfigurations: [
            { ParameterName: '/immutable/prod/baked-ami', DataType: 'aws:ec2:image' },
          ],
          AmiDistributionConfiguration: {
            Name: 'immutable-prod-web-1.0.0-{{ imagebuilder:buildDate }}',
            Description: 'web 1.0.0 baked by immutable-prod-web',
            AmiTags: {
              [AMI_TAGS.environment]: 'prod',
              [AMI_TAGS.pipeline]: 'immutable-prod-web',
              [AMI_TAGS.recipe]: recipeNameOf(prod),
              [AMI_TAGS.recipeVersion]: '1.0.0',
              [AMI_TAGS.sourceRevision]: 'f00dcafe',
            },
          },
        },
      ],
    });
  });

  it('publishes each environment’s AMI id to that environment’s parameter only', () => {
    const published = (['dev', 'staging', 'prod'] as const).map((env) =>
      Object.values(app.template(env).findResources('AWS::ImageBuilder::DistributionConfiguration')).flatMap(
        (d) =>
          (
            d.Properties.Distributions as { SsmParameterConfigurations: { ParameterName: string }[] }[]
          ).flatMap((x) => x.SsmParameterConfigurations.map((c) => c.ParameterName)),
      ),
    );
    expect(published).toEqual([
      ['/immutable/dev/baked-ami'],
      ['/immutable/staging/baked-ami'],
      ['/immutable/prod/baked-ami'],
    ]);
  });
});
