import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Token } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';
import { CDK_JSON_CONTEXT } from '../lib/cdk-context';
import { loadConfig } from '../lib/config';
import type { ProductConfig } from '../lib/config';
import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';

/** Where a stack is deployed; a stack pinned to neither is the rehearsal's one account and region. */
export interface StackPlacement {
  readonly account: string;
  readonly region: string;
}

/** The account and region of a stack that is not pinned (every such stack shares them). */
export const UNPINNED: StackPlacement = { account: '123456789012', region: 'eu-west-1' };

/** Every stack's template: the image factory's and each environment's, and where each is pinned. */
export interface ProductTemplates {
  /** Left out, a rehearsal can run single environments only. */
  readonly imageFactory?: CfnTemplate;
  /** Each environment's, in promotion order. */
  readonly environments: Record<EnvironmentName, CfnTemplate>;
  /** Where each stack is deployed. @default every stack in UNPINNED */
  readonly placement?: {
    readonly imageFactory: StackPlacement;
    readonly environments: Readonly<Record<EnvironmentName, StackPlacement>>;
  };
}

export interface SynthesisOptions {
  /** A product configuration in JSON (as `cdk synth -c config=FILE` reads it). @default the shipped one */
  readonly configFile?: string;
  /** Where a note on the accounts and regions rehearsed goes. @default nowhere */
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
        : configured(options.configFile, options.log ?? (() => {}));
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
      placement: {
        imageFactory: placementOf(imageFactory),
        environments: Object.fromEntries(stacks.map((s) => [s.config.name, placementOf(s)])),
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Where a stack is pinned: its account and region, or the rehearsal's one account and region. */
function placementOf(stack: Stack): StackPlacement {
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? UNPINNED
    : { account: stack.account, region: stack.region };
}

/**
 * The product in `file`, validated as `cdk synth -c config=FILE` validates it. Its stacks stay
 * where it pins them: the rehearsal simulates each account and region it names.
 */
function configured(file: string, log: (line: string) => void): ProductConfig {
  const product = loadConfig({ configFile: file, env: process.env });
  const stacks = [product.imageFactory, ...product.environments];
  const places = [...new Set(stacks.flatMap((c) => (c.account ? [`${c.account}/${c.region ?? ''}`] : [])))];
  if (places.length > 0) log(`rehearsing ${file} in the accounts and regions it pins: ${places.join(', ')}`);
  return product;
}

/** Each environment's template (what a rehearsal of one environment runs). */
export function synthesizeTemplates(options: SynthesisOptions = {}): Record<EnvironmentName, CfnTemplate> {
  return synthesizeProductTemplates(options).environments;
}
