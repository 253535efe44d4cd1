import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context';
import type { BuildAppOptions, BuiltApp } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import type { EnvironmentConfig, ImageFactoryConfig } from '../../lib/config';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { ImmutableStack } from '../../lib/stacks/immutable-stack';

const OUT_ROOT = join(__dirname, '..', '.out');

/**
 * The context `cdk synth` runs with: cdk.json's feature flags. Read once; every test app
 * starts from it so tests synthesize what the CLI deploys.
 */
export { CDK_JSON_CONTEXT };

/** A scratch cloud-assembly folder under test/.out; remove it with `cleanup()`. */
export function scratchDir(): string {
  mkdirSync(OUT_ROOT, { recursive: true });
  return mkdtempSync(join(OUT_ROOT, 'cdk-'));
}

export interface TestApp extends BuiltApp {
  /** One environment's stack. */
  stack(env: EnvironmentName): ImmutableStack;
  /** The template of one environment's stack. */
  template(env: EnvironmentName): Template;
  /** The image factory's template. */
  factoryTemplate(): Template;
  /** Remove the assembly folder. */
  cleanup(): void;
}

/**
 * Build the app the way `cdk synth` does (bin/app.ts with cdk.json's context; the test's own
 * context goes on top), but fast: no asset bundling, no built-in CloudFormation validation
 * (about 3 s per synth), cdk-nag off unless asked for.
 */
export function testApp(
  options: Omit<BuildAppOptions, 'product'> & {
    bundling?: boolean;
    /** These environments instead of the configured ones. */
    environments?: readonly EnvironmentConfig[];
    /** This image factory instead of the configured one. */
    imageFactory?: ImageFactoryConfig;
  } = {},
): TestApp {
  const { bundling = false, nag = false, context, environments, imageFactory, ...rest } = options;
  const configured = loadConfig({ sourceRevision: 'test' });
  const outdir = scratchDir();
  const built = buildApp({
    outdir,
    nag,
    builtinCloudFormationValidation: false,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
    product: {
      imageFactory: imageFactory ?? configured.imageFactory,
      environments: environments ?? configured.environments,
    },
    ...rest,
  });
  const templates = new Map<string, Template>();
  const stack = (env: EnvironmentName): ImmutableStack => {
    const found = built.stacks.find((s) => s.config.name === env);
    if (!found) throw new Error(`no stack for ${env}`);
    return found;
  };
  return {
    ...built,
    stack,
    template(env) {
      let t = templates.get(env);
      if (!t) {
        t = Template.fromStack(stack(env));
        templates.set(env, t);
      }
      return t;
    },
    factoryTemplate: () => Template.fromStack(built.imageFactory),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** A configured environment, deep-copied so a test can modify it freely. */
export function configOf(env: EnvironmentName): EnvironmentConfig {
  const found = loadConfig({ sourceRevision: 'test' }).environments.find((c) => c.name === env);
  if (!found) throw new Error(`no ${env} environment`);
  return structuredClone(found);
}

/** The configured image factory, deep-copied so a test can modify it freely. */
export function factoryConfig(): ImageFactoryConfig {
  return structuredClone(loadConfig({ sourceRevision: 'test' }).imageFactory);
}
