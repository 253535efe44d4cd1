import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTemplate } from '../../rehearsal/deployment';
import type { ProductTemplates } from '../../rehearsal/synth';

/** Where jest's global setup (test/setup/synthesize-once.ts) leaves every stack's template. */
export const SYNTHESIZED_TEMPLATES = join(__dirname, '..', '.out', 'synthesized-templates.json');

/**
 * The shipped configuration's environments, in promotion order: what the run's single synthesis
 * holds (test/config/validation.test.ts keeps this list equal to the configuration).
 */
export const SHIPPED_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type ShippedEnvironment = (typeof SHIPPED_ENVIRONMENTS)[number];

/** Whether `name` is an environment of the shipped configuration. */
export const isShippedEnvironment = (name: string): name is ShippedEnvironment =>
  (SHIPPED_ENVIRONMENTS as readonly string[]).includes(name);

/** `name` as an environment of the shipped configuration, or an error naming it. */
export function shippedEnvironment(name: string): ShippedEnvironment {
  if (!isShippedEnvironment(name))
    throw new Error(
      `${name} is not an environment of the shipped configuration (${SHIPPED_ENVIRONMENTS.join(', ')})`,
    );
  return name;
}

/** The shipped product's templates, each environment's under its name. */
export interface ShippedTemplates extends ProductTemplates {
  readonly environments: Record<ShippedEnvironment, CfnTemplate>;
}

let templates: ShippedTemplates | undefined;
const product = (): ShippedTemplates => {
  if (templates) return templates;
  const read = JSON.parse(readFileSync(SYNTHESIZED_TEMPLATES, 'utf8')) as ProductTemplates;
  const names = Object.keys(read.environments);
  if (names.join() !== SHIPPED_ENVIRONMENTS.join())
    throw new Error(
      `the run synthesized ${names.join(', ')}, not the shipped ${SHIPPED_ENVIRONMENTS.join(', ')}`,
    );
  templates = read;
  return templates;
};

/** Every stack's template, the image factory's and each environment's: what a train rehearses. */
export function productTemplates(): ShippedTemplates {
  return product();
}

/**
 * Each environment's template as `synthesizeTemplates()` returns them, synthesized once for the
 * whole test run: what every rehearsal test runs.
 */
export function synthesizedTemplates(): Record<ShippedEnvironment, CfnTemplate> {
  return product().environments;
}

/** The image factory's template from the run's single synthesis, as JSON. */
export function synthesizedFactoryTemplate(): CfnTemplate {
  const template = product().imageFactory;
  if (!template) throw new Error('the synthesized product has no image factory template');
  return template;
}

const parsed = new Map<ShippedEnvironment, Template>();

/**
 * One environment's template from the run's single synthesis, for assertions: what `testApp()`
 * gives for the configured environments, without a synthesis per test file.
 */
export function productTemplate(env: ShippedEnvironment): Template {
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
