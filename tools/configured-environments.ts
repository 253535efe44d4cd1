import type { EnvironmentName } from '../lambda/shared/environments';
import { CDK_JSON_CONTEXT } from '../lib/cdk-context';
import { ConfigError, loadConfig } from '../lib/config';
import { UsageError } from './cli/command-line';
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
export function configuredProduct(
  configFlag?: string,
  env: NodeJS.ProcessEnv = process.env,
): ConfiguredProduct {
  const file = configFlag ?? CDK_JSON_CONTEXT.config;
  const product = loadConfig({ configFile: file, env });
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

/**
 * The environments `--env` selects in the product `--config` names (the shipped one without it),
 * for a command: a UsageError, naming the file or the valid names, when either flag is wrong.
 */
export function selectEnvironments(
  flags: { readonly env?: string; readonly config?: string },
  options: { readonly all: boolean; readonly env?: NodeJS.ProcessEnv },
): { readonly configured: ConfiguredProduct; readonly environments: readonly EnvironmentName[] } {
  let configured: ConfiguredProduct;
  try {
    configured = configuredProduct(flags.config, options.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const choice = chooseEnvironments(flags.env, configured, options);
  if (!choice.ok) throw new UsageError(choice.message);
  return { configured, environments: choice.environments };
}

/** Where a tool reaches an environment: --region, else the region it is pinned to, else the SDK's choice. */
export function regionOf(
  configured: ConfiguredProduct,
  env: EnvironmentName,
  flag?: string,
): string | undefined {
  return flag ?? configured.product.environments.find((e) => e.name === env)?.region;
}

/** What `--config FILE` means, for usage texts. */
export const CONFIG_FLAG_HELP =
  '--config FILE  the product configuration the environments come from (default: the shipped one)';
