import { rmSync } from 'node:fs';
import { CfnResource } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { ImmutableStack } from '../../lib/stacks/immutable-stack';
import { assemblyDir } from './bare-stack';
import type { TestApp } from './synth';
import {
  factoryTemplate,
  productTemplate,
  shippedEnvironment,
  synthesizedFactoryTemplate,
  synthesizedTemplates,
} from './templates';

let shipped: TestApp | undefined;

/**
 * The shipped configuration's product, for tests that read both its constructs (a token, a
 * logical id) and its templates: the stacks built as the run's single synthesis builds them
 * (rehearsal/synth.ts: same configuration and options, so the same logical ids), never synthesized
 * again, and the templates that synthesis wrote. Built once per test file, on first use.
 *
 * Templates are the shipped ones whatever is added to the stacks afterwards: a test that adds a
 * construct and reads it in a template synthesizes an app of its own.
 */
export function shippedProduct(): TestApp {
  shipped ??= build();
  return shipped;
}

function build(): TestApp {
  const outdir = assemblyDir();
  const built = buildApp({
    outdir,
    nag: false,
    builtinCloudFormationValidation: false,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
  });
  // Only the assets staged while building went there: nothing synthesizes this app.
  rmSync(outdir, { recursive: true, force: true });
  const stack = (env: EnvironmentName): ImmutableStack => {
    const found = built.stacks.find((s) => s.config.name === env);
    if (!found) throw new Error(`no stack for ${env}`);
    return found;
  };
  // The stacks must be the ones the templates were synthesized from.
  for (const s of built.stacks) sameResources(s, synthesizedTemplates()[shippedEnvironment(s.config.name)]);
  sameResources(built.imageFactory, synthesizedFactoryTemplate());
  return {
    ...built,
    stack,
    template: (env) => productTemplate(shippedEnvironment(env)),
    factoryTemplate: () => factoryTemplate(),
    // Nothing is left to clean up.
    cleanup: () => undefined,
  };
}

/** Fail unless `stack`'s resources have exactly the logical ids of `template`'s. */
function sameResources(stack: Stack, template: { Resources: Record<string, unknown> }): void {
  const built = stack.node
    .findAll()
    .filter((c) => CfnResource.isCfnResource(c))
    .map((r) => stack.getLogicalId(r))
    .sort();
  const synthesized = Object.keys(template.Resources);
  const only = (ids: string[], other: string[]) => ids.filter((id) => !other.includes(id)).slice(0, 5);
  const builtOnly = only(built, synthesized);
  const synthesizedOnly = only(synthesized, built);
  if (builtOnly.length > 0 || synthesizedOnly.length > 0 || built.length !== synthesized.length) {
    throw new Error(
      `${stack.stackName}: the stack built for the tests is not the one the run synthesized ` +
        `(test/setup/synthesize-once.ts): built only ${JSON.stringify(builtOnly)}, synthesized only ` +
        `${JSON.stringify(synthesizedOnly)}; build it as rehearsal/synth.ts does`,
    );
  }
}
