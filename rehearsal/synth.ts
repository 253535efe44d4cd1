import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Token } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';
import { CDK_JSON_CONTEXT } from '../lib/cdk-context';
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
  readonly environments: Record<EnvironmentName, CfnTemplate>;
  /** Where each stack is deployed. @default every stack in UNPINNED */
  readonly placement?: {
    readonly imageFactory: StackPlacement;
    readonly environments: Readonly<Record<EnvironmentName, StackPlacement>>;
  };
}

/**
 * Synthesize the app in-process, as `cdk synth` would (cdk.json's context) but without
 * bundling assets (the rehearsal runs the handlers' source), and return every stack's template.
 */
export function synthesizeProductTemplates(): ProductTemplates {
  const outdir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  try {
    const { imageFactory, stacks } = buildApp({
      outdir,
      nag: false,
      builtinCloudFormationValidation: false,
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    });
    return {
      imageFactory: Template.fromStack(imageFactory).toJSON() as CfnTemplate,
      environments: Object.fromEntries(
        stacks.map((s) => [s.config.name, Template.fromStack(s).toJSON() as CfnTemplate]),
      ) as Record<EnvironmentName, CfnTemplate>,
      placement: {
        imageFactory: placementOf(imageFactory),
        environments: Object.fromEntries(stacks.map((s) => [s.config.name, placementOf(s)])) as Record<
          EnvironmentName,
          StackPlacement
        >,
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

/** Each environment's template (what a rehearsal of one environment runs). */
export function synthesizeTemplates(): Record<EnvironmentName, CfnTemplate> {
  return synthesizeProductTemplates().environments;
}
