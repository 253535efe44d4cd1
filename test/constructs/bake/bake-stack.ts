import { rmSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BakePipeline } from '../../../lib/constructs/bake';
import type { BakePipelineProps } from '../../../lib/constructs/bake';
import { factoryConfig, scratchDir } from '../../support/synth';

/** The props the image factory's stack gives the pipeline, from the configured factory (as image-factory-stack.ts does). */
export function devBakeProps(): BakePipelineProps {
  return { ...factoryConfig() };
}

export interface BakeStack {
  readonly stack: Stack;
  readonly bake: BakePipeline;
  readonly template: Template;
}

/**
 * A throwaway stack holding only a BakePipeline, for variants the configured environments do not
 * cover. `extend` may add more to the stack (a VPC, say) and return props overrides.
 */
export function bakeStack(
  overrides: Partial<BakePipelineProps> = {},
  extend?: (stack: Stack) => Partial<BakePipelineProps>,
): BakeStack {
  const outdir = scratchDir();
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Variant');
    const bake = new BakePipeline(stack, 'Bake', { ...devBakeProps(), ...overrides, ...extend?.(stack) });
    return { stack, bake, template: Template.fromStack(stack) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The name of the one image recipe in a template (`<pipeline>_<fingerprint>`). */
export function recipeNameOf(template: Template): string {
  const recipes = Object.values(template.findResources('AWS::ImageBuilder::ImageRecipe')) as {
    Properties: { Name: string };
  }[];
  if (recipes.length !== 1) throw new Error(`expected one image recipe, found ${recipes.length}`);
  return (recipes[0] as { Properties: { Name: string } }).Properties.Name;
}
