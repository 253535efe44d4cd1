import { Lazy } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { contentAddressedName, fingerprint } from '../../../lib/constructs/bake/content-name';
import { factoryTemplate } from '../../support/templates';
import { bakeStack, devBakeProps, recipeNameOf } from './bake-stack';

describe('image recipe', () => {
  let dev: Template;
  beforeAll(() => {
    dev = factoryTemplate();
  });

  it('takes its semantic version from imageFactory.recipeVersion', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { Version: '1.0.0' });
  });

  it('names the parent image as an SSM parameter Image Builder reads at build time', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      ParentImage: 'ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    });
    // Nothing is resolved at synth or deploy time: no context lookup, no CloudFormation parameter.
    const { template } = bakeStack();
    const parameters =
      (template.toJSON() as { Parameters?: Record<string, { Type: string }> }).Parameters ?? {};
    expect(Object.values(parameters).map((p) => p.Type)).not.toContainEqual(
      expect.stringMatching(/AWS::EC2::Image::Id/),
    );
  });

  it('uses an Image Builder image ARN as parent when configured so', () => {
    const arn = 'arn:aws:imagebuilder:eu-west-1:aws:image/amazon-linux-2023-x86/x.x.x';
    const { template } = bakeStack({ parentImage: { kind: 'image-arn', arn } });
    template.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { ParentImage: arn });
  });

  it('builds on an encrypted gp3 root volume of the configured size', () => {
    dev.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 16, DeleteOnTermination: true },
        },
      ],
    });
  });
});

describe('recipe naming (recipes are immutable)', () => {
  const recipeName = (overrides: Parameters<typeof bakeStack>[0] = {}) =>
    recipeNameOf(bakeStack(overrides).template);
  const base = devBakeProps();
  let original: string;
  beforeAll(() => {
    original = recipeName();
  });

  it('is stable while nothing in the recipe changes, so deploys do not rebuild it', () => {
    expect(recipeName()).toBe(original);
    expect(recipeName({ sourceRevision: 'another-revision' })).toBe(original);
  });

  it('changes with anything CloudFormation would replace the recipe for', () => {
    const changed = [
      recipeName({ rootVolumeGiB: 32 }),
      recipeName({ app: { ...base.app, version: '1.0.1' } }),
      recipeName({ app: { ...base.app, port: 9090 } }),
      recipeName({ app: { ...base.app, healthCheckPath: '/ready' } }),
      recipeName({ parentImage: { kind: 'ssm-parameter', name: '/aws/service/other' } }),
    ];
    for (const name of changed) expect(name).not.toBe(original);
    expect(new Set(changed).size).toBe(changed.length);
  });

  it('keeps the name when only the version is bumped: a new version of the same recipe', () => {
    const { template } = bakeStack({ recipeVersion: '1.1.0' });
    expect(recipeNameOf(template)).toBe(original);
    template.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { Name: original, Version: '1.1.0' });
  });

  it('fails when a fingerprint would include a deploy-time value', () => {
    const token = Lazy.string({ produce: () => 'x' });
    expect(() => fingerprint({ parentImage: token })).toThrow(/synth-time values only/);
  });

  it('fails when the name breaks Image Builder naming rules', () => {
    expect(() => contentAddressedName('bad/name', 'x')).toThrow(/Image Builder resource name must be/);
  });
});
