import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';
import { CDK_JSON_CONTEXT } from '../lib/cdk-context';
import { loadConfig, validateProduct } from '../lib/config';
import type { ProductConfig } from '../lib/config';
import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';

/** Every stack's template: the image factory's and each environment's. */
export interface ProductTemplates {
  readonly imageFactory: CfnTemplate;
  /** Each environment's, in promotion order. */
  readonly environments: Record<EnvironmentName, CfnTemplate>;
}

export interface SynthesisOptions {
  /** A product configuration in JSON (as `cdk synth -c config=FILE` reads it). @default the shipped one */
  readonly configFile?: string;
  /** Where a note on what the rehearsal sets aside goes. @default nowhere */
  readonly log?: (line: string) => void;
}

/**
 * Synthesize the app in-process, as `cdk synth` would (cdk.json's context) but without
 * bundling assets (the rehearsal runs the handlers' source), and return every stack's template.
 */
export function synthesizeProductTemplates(options: SynthesisOptions = {}): ProductTemplates {
  const outdir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  try {
    const product =
      options.configFile === undefined
        ? undefined
        : rehearsable(options.configFile, options.log ?? (() => {}));
    const { imageFactory, stacks } = buildApp({
      outdir,
      nag: false,
      builtinCloudFormationValidation: false,
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
      ...(product ? { product } : {}),
    });
    return {
      imageFactory: Template.fromStack(imageFactory).toJSON() as CfnTemplate,
      environments: Object.fromEntries(
        stacks.map((s) => [s.config.name, Template.fromStack(s).toJSON() as CfnTemplate]),
      ),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The product in `file`, validated as `cdk synth -c config=FILE` validates it, then placed in the
 * one account and region the rehearsal simulates: its stacks' accounts and regions (and the zones
 * that come with them) are set aside, with a note saying so, because the simulator runs a single
 * account; what crosses accounts (forwarding, bus policies, sharing) is not rehearsed.
 */
function rehearsable(file: string, log: (line: string) => void): ProductConfig {
  const product = loadConfig({ configFile: file, env: process.env });
  const stacks = [product.imageFactory, ...product.environments];
  const places = [...new Set(stacks.flatMap((c) => (c.account ? [`${c.account}/${c.region ?? ''}`] : [])))];
  if (places.length === 0) return product;
  log(
    `rehearsing ${file} in one simulated account and region: the places it pins (${places.join(', ')}) ` +
      'are set aside, and what crosses between them is not rehearsed',
  );
  const unpinned = <
    C extends { account?: string; region?: string; network: ProductConfig['imageFactory']['network'] },
  >(
    c: C,
  ): C => {
    const { account: _account, region: _region, ...rest } = structuredClone(c);
    if (rest.network.kind === 'new') delete rest.network.availabilityZones;
    return rest as C;
  };
  return validateProduct({
    imageFactory: unpinned(product.imageFactory),
    environments: product.environments.map(unpinned),
  });
}

/** Each environment's template (what a rehearsal of one environment runs). */
export function synthesizeTemplates(options: SynthesisOptions = {}): Record<EnvironmentName, CfnTemplate> {
  return synthesizeProductTemplates(options).environments;
}
