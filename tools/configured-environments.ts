import type { EnvironmentName } from '../lambda/shared/environments';
import { loadConfig } from '../lib/config';
import type { ProductConfig } from '../lib/config';

/** The product a tool acts on. */
export interface ConfiguredProduct {
  readonly product: ProductConfig;
}

/** The product an operator's tool acts on: what `cdk synth` would deploy. */
export function configuredProduct(): ConfiguredProduct {
  return { product: loadConfig({ env: process.env }) };
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
  { product }: ConfiguredProduct,
  options: { readonly all: boolean },
): EnvironmentChoice {
  const names = product.environments.map((e) => e.name);
  if (options.all && value === 'all') return { ok: true, environments: names };
  if (typeof value === 'string' && names.includes(value)) return { ok: true, environments: [value] };
  const choices = [...names, ...(options.all ? ['all'] : [])].join(', ');
  return {
    ok: false,
    message: `--env must be one of ${choices}, got ${JSON.stringify(value ?? null)}`,
  };
}
