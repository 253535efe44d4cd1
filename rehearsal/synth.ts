import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';
import { CDK_JSON_CONTEXT } from '../lib/cdk-context';
import type { EnvironmentName } from '../lambda/shared/environments';
import type { CfnTemplate } from './deployment';

/** Every stack's template: the image factory's and each environment's. */
export interface ProductTemplates {
  readonly imageFactory: CfnTemplate;
  readonly environments: Record<EnvironmentName, CfnTemplate>;
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
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Each environment's template (what a rehearsal of one environment runs). */
export function synthesizeTemplates(): Record<EnvironmentName, CfnTemplate> {
  return synthesizeProductTemplates().environments;
}
