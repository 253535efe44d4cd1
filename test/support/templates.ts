import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../../lambda/shared/environments';
import type { CfnTemplate } from '../../rehearsal/deployment';
import type { ProductTemplates } from '../../rehearsal/synth';

/** Where jest's global setup (test/setup/synthesize-once.ts) leaves every stack's template. */
export const SYNTHESIZED_TEMPLATES = join(__dirname, '..', '.out', 'synthesized-templates.json');

let templates: ProductTemplates | undefined;
const product = (): ProductTemplates =>
  (templates ??= JSON.parse(readFileSync(SYNTHESIZED_TEMPLATES, 'utf8')) as ProductTemplates);

/** Every stack's template, the image factory's and each environment's: what a train rehearses. */
export function productTemplates(): ProductTemplates {
  return product();
}

/**
 * Each environment's template as `synthesizeTemplates()` returns them, synthesized once for the
 * whole test run: what every rehearsal test runs.
 */
export function synthesizedTemplates(): Record<EnvironmentName, CfnTemplate> {
  return product().environments;
}

/** The image factory's template from the run's single synthesis, as JSON. */
export function synthesizedFactoryTemplate(): CfnTemplate {
  const template = product().imageFactory;
  if (!template) throw new Error('the synthesized product has no image factory template');
  return template;
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

let factory: Template | undefined;

/** The image factory's template from the run's single synthesis, for assertions. */
export function factoryTemplate(): Template {
  factory ??= Template.fromJSON(synthesizedFactoryTemplate());
  return factory;
}
