import type { EnvironmentName } from '../lambda/shared/environments';
import { CDK_JSON_CONTEXT } from '../lib/cdk-context';
import { loadConfig } from '../lib/config';
import type { ProductConfig } from '../lib/config';

/** The product a tool acts on, and the file it comes from (none for the shipped one). */
export interface ConfiguredProduct {
  readonly product: ProductConfig;
  readonly file?: string;
}

/**
 * The product an operator's tool acts on: the configuration `--config FILE` names, else the one
 * cdk.json's context names (`"config"`), else the shipped one: what `cdk synth` would deploy.
 * Throws a ConfigError naming the file and the fix when it cannot be read or is not valid.
 */
export function configuredProduct(configFlag?: string): ConfiguredProduct {
  const file = configFlag ?? CDK_JSON_CONTEXT.config;
  const product = loadConfig({ configFile: file, env: process.env });
  return { product, ...(typeof file === 'string' ? { file } : {}) };
}

/** The environments `--env` names, or why it names none of the configured ones. */
export type EnvironmentChoice =
  | { readonly ok: true; readonly environments: readonly EnvironmentName[] }
  | { readonly ok: false; readonly message: string };

/**
 * What `--env <value>` selects among the product's environments (in promotion order): one of them,
 * or every one for `all` where the tool takes it. Anything else is refused with the valid names.
 */
export function chooseEnvironments(
  value: unknown,
  { product, file }: ConfiguredProduct,
  options: { readonly all: boolean },
): EnvironmentChoice {
  const names = product.environments.map((e) => e.name);
  if (options.all && value === 'all') return { ok: true, environments: names };
  if (typeof value === 'string' && names.includes(value)) return { ok: true, environments: [value] };
  const choices = [...names, ...(options.all ? ['all'] : [])].join(', ');
  const where = file ? ` (the environments of ${file})` : '';
  return {
    ok: false,
    message: `--env must be one of ${choices}${where}, got ${JSON.stringify(value ?? null)}`,
  };
}
