import type { Stack, StackProps } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../../lib/config';
import type { ImageFactoryConfig } from '../../../lib/config';
import { BakePipeline } from '../../../lib/constructs/bake';
import type { BakePipelineProps } from '../../../lib/constructs/bake';
import { ImageFactoryStack } from '../../../lib/stacks/image-factory-stack';
import { bareApp, bareStack, templateOf } from '../../support/bare-stack';
import { factoryConfig } from '../../support/synth';

/** The props the image factory's stack gives the pipeline, from the configured factory (as image-factory-stack.ts does). */
export function devBakeProps(): BakePipelineProps {
  const environments = loadConfig({ sourceRevision: 'test' }).environments.map((e) => e.name);
  return { ...factoryConfig(), protectedEnvironments: environments };
}

export interface BakeStack {
  readonly stack: Stack;
  readonly bake: BakePipeline;
  readonly template: Template;
}

/**
 * A throwaway stack holding only a BakePipeline, for variants the configured factory does not
 * cover. `extend` may add more to the stack (a VPC, say) and return props overrides; `stackProps`
 * pins the stack (an account and region) where a variant needs one.
 */
export function bakeStack(
  overrides: Partial<BakePipelineProps> = {},
  extend?: (stack: Stack) => Partial<BakePipelineProps>,
  stackProps: StackProps = {},
): BakeStack {
  const stack = bareStack({ id: 'Variant', ...stackProps });
  const bake = new BakePipeline(stack, 'Bake', { ...devBakeProps(), ...overrides, ...extend?.(stack) });
  return { stack, bake, template: templateOf(stack) };
}

/**
 * The image factory's stack alone (as bin/app.ts builds it, without the environments' stacks),
 * from the configured factory changed by `change`: for a variant of what the stack itself
 * decides (its network, where it builds).
 */
export function factoryStack(change: (factory: ImageFactoryConfig) => void): {
  readonly stack: ImageFactoryStack;
  readonly template: Template;
} {
  const imageFactory = factoryConfig();
  change(imageFactory);
  const product = { imageFactory, environments: loadConfig({ sourceRevision: 'test' }).environments };
  const stack = new ImageFactoryStack(bareApp(), 'Immutable-images', { product });
  return { stack, template: templateOf(stack) };
}

/** The name of the one image recipe in a template (`<pipeline>_<fingerprint>`). */
export function recipeNameOf(template: Template): string {
  const recipes = Object.values(template.findResources('AWS::ImageBuilder::ImageRecipe')) as {
    Properties: { Name: string };
  }[];
  if (recipes.length !== 1) throw new Error(`expected one image recipe, found ${recipes.length}`);
  return (recipes[0] as { Properties: { Name: string } }).Properties.Name;
}
