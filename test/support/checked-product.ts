import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../lib/app';
import type { BuiltApp } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import type { EnvironmentConfig } from '../../lib/config';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { ImmutableStack } from '../../lib/stacks/immutable-stack';
import { CDK_JSON_CONTEXT, scratchDir } from './synth';
import type { TestApp } from './synth';

/**
 * The product synthesized as `cdk synth` does, with what `cdk synth` checks on every template:
 * cdk-nag's AWS Solutions checks (registered by buildApp as bin/app.ts does) and CloudFormation's
 * validation of every template against the resource schemas the CDK ships (its built-in plugin).
 * Both need a construct tree and a real synth, so test/deployability/synth-checks.test.ts runs
 * every check on one synthesis of the shipped configuration, and shows each check failing on one
 * synthesis of a product with a finding planted for each.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
export interface CheckedProduct extends TestApp {
  /** Why the synth failed (an unacknowledged finding), if it did. */
  readonly failure?: string;
  /** Findings of the CloudFormation validation plugin, one line each. */
  readonly findings: string[];
  /** Every rule of the validation report, annotations included. */
  readonly rules: string[];
  /** Every acknowledgement of a CloudFormation validation finding, as `<path in its stack> <id>`. */
  readonly acknowledged: string[];
  /** The context lookups the synth could not answer. */
  readonly missing: unknown[];
}

interface ValidationReport {
  readonly pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
}

/** A finding planted in the product {@link plantedProduct} synthesizes. */
export interface Planting {
  /** Change the configured environments before the product is built. */
  readonly configure?: (environments: EnvironmentConfig[]) => void;
  /** Add to or change the built product before it is synthesized. */
  readonly build?: (built: BuiltApp) => void;
}

const plantings: Planting[] = [];
let shipped: CheckedProduct | undefined;
let planted: CheckedProduct | undefined;

/** The shipped configuration, synthesized once per test file with every check on. */
export function checkedProduct(): CheckedProduct {
  shipped ??= synthesize();
  return shipped;
}

/**
 * Plant a finding (or a variant with nothing to find) in the product {@link plantedProduct}
 * synthesizes, for a test that shows a check failing: call it where the test is defined, before
 * any test runs. Each planting must leave the others' findings as they are.
 */
export function plant(planting: Planting): void {
  if (planted) throw new Error('plant() must be called before plantedProduct() synthesizes the product');
  plantings.push(planting);
}

/** The shipped configuration with every {@link plant}ing, synthesized once per test file with every check on. */
export function plantedProduct(): CheckedProduct {
  planted ??= synthesize({
    configure: (environments) => plantings.forEach((p) => p.configure?.(environments)),
    build: (built) => plantings.forEach((p) => p.build?.(built)),
  });
  return planted;
}

/** Synthesize as `cdk synth` does; an unacknowledged finding fails the synth, as it fails `cdk synth`. */
function synthesize(change: Planting = {}): CheckedProduct {
  const outdir = scratchDir();
  try {
    const configured = loadConfig({ sourceRevision: 'test' });
    const environments = configured.environments.map((e) => structuredClone(e));
    change.configure?.(environments);
    const built = buildApp({
      outdir,
      nag: true,
      builtinCloudFormationValidation: true,
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
      product: { imageFactory: configured.imageFactory, environments },
    });
    const { app } = built;
    change.build?.(built);
    let failure: string | undefined;
    let missing: unknown[] = [];
    try {
      const assembly = app.synth();
      // Templates are read from the assembly folder on first use: read them before it goes.
      for (const stack of assembly.stacks) void stack.template;
      missing = assembly.manifest.missing ?? [];
    } catch (e) {
      failure = (e as Error).message;
    }
    const file = join(outdir, 'validation-report.json');
    const report = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as ValidationReport)
      : undefined;
    const reports = report?.pluginReports ?? [];
    const stack = (env: EnvironmentName): ImmutableStack => {
      const found = built.stacks.find((s) => s.config.name === env);
      if (!found) throw new Error(`no stack for ${env}`);
      return found;
    };
    return {
      ...built,
      stack,
      template: (env) => Template.fromStack(stack(env)),
      factoryTemplate: () => Template.fromStack(built.imageFactory),
      // The assembly folder is gone already.
      cleanup: () => undefined,
      ...(failure !== undefined ? { failure } : {}),
      findings: reports
        .filter((p) => p.pluginName === 'CloudFormation Validate')
        .flatMap((p) => p.violations.map((v) => `${v.ruleName}: ${v.description}`)),
      rules: reports.flatMap((p) => p.violations.map((v) => v.ruleName)),
      acknowledged: app.node.findAll().flatMap((c: IConstruct) =>
        c.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .flatMap((m) => Object.keys(m.data as Record<string, string>))
          .filter((id) => id.startsWith('CloudFormation-Validate::'))
          .map((id) => `${c.node.path.replace(/^Immutable-\w+/, '')} ${id}`),
      ),
      missing,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
