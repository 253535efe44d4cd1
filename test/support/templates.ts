import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { CfnTemplate } from '../../rehearsal/deployment';

/** Where jest's global setup (test/setup/synthesize-once.ts) leaves each environment's template. */
export const SYNTHESIZED_TEMPLATES = join(__dirname, '..', '.out', 'synthesized-templates.json');

let templates: Record<EnvironmentName, CfnTemplate> | undefined;

/**
 * The app's templates as `synthesizeTemplates()` returns them, synthesized once for the whole
 * test run: what every rehearsal test runs.
 */
export function synthesizedTemplates(): Record<EnvironmentName, CfnTemplate> {
  templates ??= JSON.parse(readFileSync(SYNTHESIZED_TEMPLATES, 'utf8')) as Record<
    EnvironmentName,
    CfnTemplate
  >;
  return templates;
}

const parsed = new Map<EnvironmentName, Template>();

/**
 * One environment's template from the run's single synthesis, for assertions: what `testApp()`
 * gives for the configured environments, without a synthesis per test file.
 */
export function productTemplate(env: EnvironmentName): Template {
  let template = parsed.get(env);
  if (!template) {
    template = Template.fromJSON(synthesizedTemplates()[env]);
    parsed.set(env, template);
  }
  return template;
}
