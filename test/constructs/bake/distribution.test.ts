import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { AMI_TAGS } from '../../../lambda/shared/tags';
import { imageFactoryNames } from '../../../lambda/shared/names';
import { factoryTemplate } from '../../support/templates';
import { bakeStack, recipeNameOf } from './bake-stack';

interface Distribution {
  readonly Region: unknown;
  readonly SsmParameterConfigurations?: { ParameterName: string; DataType: string }[];
  readonly AmiDistributionConfiguration: {
    readonly Name: string;
    readonly AmiTags: Record<string, string>;
    readonly LaunchPermissionConfiguration?: { UserIds: string[] };
  };
}

const distributionsOf = (template: Template): Distribution[] => {
  const configs = Object.values(template.findResources('AWS::ImageBuilder::DistributionConfiguration'));
  expect(configs).toHaveLength(1);
  return configs[0]?.Properties.Distributions as Distribution[];
};

const BAKED_AMI = imageFactoryNames('web').bakedImageParameter;
/** The stack's own region (eu-west-1 in the pinned variant), as the template names it. */
const OWN_REGION = { Ref: 'AWS::Region' };

describe('distribution of the configured (single-account) factory', () => {
  let factory: Template;
  beforeAll(() => {
    factory = factoryTemplate();
  });

  it('distributes in the stack region and publishes the AMI id to the baked-image parameter', () => {
    expect(BAKED_AMI).toBe('/immutable/images/web/baked-ami');
    factory.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Name: 'immutable-web-distribution',
      Distributions: [
        {
          Region: { Ref: 'AWS::Region' },
          SsmParameterConfigurations: [{ ParameterName: BAKED_AMI, DataType: 'aws:ec2:image' }],
          AmiDistributionConfiguration: {
            Name: 'immutable-web-1.0.0-{{ imagebuilder:buildDate }}',
            Description: 'web 1.0.0 baked by immutable-web',
            AmiTags: {
              [AMI_TAGS.pipeline]: 'immutable-web',
              [AMI_TAGS.recipe]: recipeNameOf(factory),
              [AMI_TAGS.recipeVersion]: '1.0.0',
              [AMI_TAGS.sourceRevision]: Match.stringLikeRegexp('^[\\w.-]+$'),
            },
          },
        },
      ],
    });
  });

  it('tags lineage only: no environment (every environment runs the same AMI)', () => {
    const [home] = distributionsOf(factory);
    expect(Object.keys(home?.AmiDistributionConfiguration.AmiTags ?? {}).sort()).toEqual(
      [AMI_TAGS.pipeline, AMI_TAGS.recipe, AMI_TAGS.recipeVersion, AMI_TAGS.sourceRevision].sort(),
    );
  });

  it('grants no other account a launch permission: the AMI is the account’s own', () => {
    const [home] = distributionsOf(factory);
    expect(home?.AmiDistributionConfiguration.LaunchPermissionConfiguration).toBeUndefined();
  });
});

describe('distribution to other accounts and regions', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = bakeStack(
      {
        sourceRevision: 'f00dcafe',
        distribution: [
          { region: 'eu-west-1', accountIds: ['222222222222', '333333333333'] },
          { region: 'us-east-1', accountIds: ['444444444444'] },
        ],
      },
      undefined,
      { env: { account: '111111111111', region: 'eu-west-1' } },
    ));
  });

  it('lets the accounts of the factory’s own region launch the AMI there, and publishes its id there', () => {
    const [home, ...copies] = distributionsOf(template);
    expect(copies).toHaveLength(1);
    expect(home).toMatchObject({
      Region: OWN_REGION,
      SsmParameterConfigurations: [{ ParameterName: BAKED_AMI, DataType: 'aws:ec2:image' }],
      AmiDistributionConfiguration: {
        LaunchPermissionConfiguration: { UserIds: ['222222222222', '333333333333'] },
      },
    });
  });

  it('copies the AMI, with the same lineage tags, to each other region, launchable by that region’s accounts', () => {
    const [home, copy] = distributionsOf(template);
    expect(copy).toEqual({
      Region: 'us-east-1',
      AmiDistributionConfiguration: {
        ...home?.AmiDistributionConfiguration,
        LaunchPermissionConfiguration: { UserIds: ['444444444444'] },
      },
    });
    expect(home?.AmiDistributionConfiguration.AmiTags).toMatchObject({
      [AMI_TAGS.sourceRevision]: 'f00dcafe',
      [AMI_TAGS.pipeline]: 'immutable-web',
    });
  });

  it('publishes the baked-image parameter in the factory’s region only', () => {
    const published = distributionsOf(template).flatMap((d) =>
      (d.SsmParameterConfigurations ?? []).map((c) => [d.Region, c.ParameterName]),
    );
    expect(published).toEqual([[OWN_REGION, BAKED_AMI]]);
  });

  it('makes no copy in the factory’s own region when only other accounts need it', () => {
    const { template: ownRegionOnly } = bakeStack(
      { distribution: [{ region: 'eu-west-1', accountIds: ['222222222222'] }] },
      undefined,
      { env: { account: '111111111111', region: 'eu-west-1' } },
    );
    expect(distributionsOf(ownRegionOnly).map((d) => d.Region)).toEqual([OWN_REGION]);
    expect(distributionsOf(ownRegionOnly)[0]?.AmiDistributionConfiguration).toMatchObject({
      LaunchPermissionConfiguration: { UserIds: ['222222222222'] },
    });
  });
});
