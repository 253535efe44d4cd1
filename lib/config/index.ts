import type { z } from 'zod';
import { MAX_PROTECTED_ENVIRONMENTS } from '../constructs/bake/bake-rules';
import { ConfigError } from './config-error';
import { ENVIRONMENTS, IMAGE_FACTORY } from './environments';
import { environmentConfigSchema } from './environment-schema';
import type { EnvironmentConfig } from './environment-schema';
import { imageFactoryConfigSchema } from './image-factory-schema';
import type { ImageFactoryConfig } from './image-factory-schema';
import type { DeepReadonly } from './primitives';
import { readProductFile } from './product-file';
import type { RawProduct } from './product-file';
import { duplicateNameProblems, promotionOrder, promotionProblems } from './promotion-graph';

export * from './environment-schema';
export * from './image-factory-schema';
export { ConfigError } from './config-error';
export { FROM_IMAGE_FACTORY } from './environment-name';
export type { DeepReadonly } from './primitives';
export type { RawProduct } from './product-file';

/** The whole product: one image factory and the environments its images are promoted through. */
export interface ProductConfig {
  readonly imageFactory: ImageFactoryConfig;
  /** In promotion order: each after the environment it takes from, ties as configured. */
  readonly environments: readonly EnvironmentConfig[];
}

/** The configuration slices the constructs take as props (read-only all the way down). */
export type ImageFactoryProps = DeepReadonly<ImageFactoryConfig>;
export type NetworkConfig = DeepReadonly<EnvironmentConfig['network']>;
export type FleetConfig = DeepReadonly<EnvironmentConfig['fleet']>;
export type RolloutConfig = DeepReadonly<EnvironmentConfig['rollout']>;

/** What the app reads from its surroundings: CDK context first, then the process environment. */
export interface ConfigSources {
  /** `cdk deploy -c sourceRevision=$(git rev-parse --short HEAD)`; tags every baked AMI. */
  readonly sourceRevision?: unknown;
  /**
   * A product configuration in JSON (`cdk synth -c config=FILE`, a tool's `--config FILE`).
   * @default the shipped configuration (lib/config/environments.ts)
   */
  readonly configFile?: unknown;
  /** Where a relative `configFile` is found. @default the process's working directory */
  readonly cwd?: string;
  /** The SOURCE_REVISION environment variable, used when no context value is given. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A construct scope's CDK context, the one thing of the app the configuration reads. */
export interface ContextSource {
  readonly node: { tryGetContext(key: string): unknown };
}

/**
 * Where `cdk synth` says the configuration is: `-c config=FILE` and `-c sourceRevision=…` (or the
 * same keys in cdk.json's context), then the process environment.
 */
export function configSourcesOf(app: ContextSource): ConfigSources {
  return {
    configFile: app.node.tryGetContext('config'),
    sourceRevision: app.node.tryGetContext('sourceRevision'),
    env: process.env,
  };
}

/**
 * Validate one environment's configuration. A failure lists every broken rule as
 * `<env>.<field> <rule>, got <value>` so the fix is obvious from the message alone.
 */
export function validateEnvironment(raw: unknown, label?: string): EnvironmentConfig {
  const parsed = environmentConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const env = label ?? (isRecord(raw) && typeof raw.name === 'string' ? raw.name : 'environment');
  throw new ConfigError(parsed.error.issues.map((i) => describeIssue(env, raw, i)).join('\n'));
}

/** Validate the image factory's configuration; failures read `imageFactory.<field> <rule>, got <value>`. */
export function validateImageFactory(raw: unknown): ImageFactoryConfig {
  const parsed = imageFactoryConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => describeIssue('imageFactory', raw, i)).join('\n'));
}

/**
 * Validate the whole product: the factory, each environment, and the rules between them: names
 * are unique, the promotion graph takes its images from the factory without a cycle, and either
 * every stack is pinned to an account and region or none is (distribution and event forwarding
 * are derived from where each one runs). The environments come back in promotion order.
 */
export function validateProduct(raw: RawProduct): ProductConfig {
  const problems: string[] = [];
  const attempt = <T>(validate: () => T): T | undefined => {
    try {
      return validate();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(e.message);
      return undefined;
    }
  };
  const imageFactory = attempt(() => validateImageFactory(raw.imageFactory));
  const environments = raw.environments.map((e, i) =>
    attempt(() =>
      validateEnvironment(e, isRecord(e) && typeof e.name === 'string' ? e.name : `environments.${i}`),
    ),
  );
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  const product = {
    imageFactory: imageFactory as ImageFactoryConfig,
    environments: environments as EnvironmentConfig[],
  };
  const crossProblems = productProblems(product);
  if (crossProblems.length > 0) throw new ConfigError(crossProblems.join('\n'));
  return { ...product, environments: promotionOrder(product.environments) };
}

function productProblems({ imageFactory, environments }: ProductConfig): string[] {
  const duplicates = duplicateNameProblems(environments);
  // With two environments of one name, which one another takes from is anybody's guess.
  if (duplicates.length > 0) return duplicates;
  const problems = promotionProblems(environments);
  if (environments.length > MAX_PROTECTED_ENVIRONMENTS) {
    problems.push(
      `environments must list at most ${MAX_PROTECTED_ENVIRONMENTS}, got ${environments.length}: the image ` +
        "factory's lifecycle policy keeps each one's rollback candidates by a tag, and takes at most " +
        `${MAX_PROTECTED_ENVIRONMENTS} tags`,
    );
  }
  const pinned = [imageFactory, ...environments].map((c) => c.account !== undefined);
  if (pinned.some(Boolean) && !pinned.every(Boolean)) {
    const unpinned = [
      ...(imageFactory.account === undefined ? ['imageFactory'] : []),
      ...environments.filter((e) => e.account === undefined).map((e) => e.name),
    ];
    problems.push(
      `${unpinned.join(', ')}: account and region must be set on the image factory and every environment, or on none ` +
        '(distribution and event forwarding follow where each one runs)',
    );
  }
  return problems;
}

/**
 * Validate and return the product: the configuration file's when `configFile` is given, else the
 * shipped one (lib/config/environments.ts). The image factory's source revision comes from the
 * sources, never from the file.
 */
export function loadConfig(sources: ConfigSources = {}): ProductConfig {
  const revision = sources.sourceRevision ?? sources.env?.SOURCE_REVISION ?? 'unversioned';
  if (sources.configFile === undefined) {
    return validateProduct({
      imageFactory: { ...IMAGE_FACTORY, sourceRevision: revision },
      environments: ENVIRONMENTS,
    });
  }
  const { file, product } = readProductFile(sources.configFile, sources.cwd ?? process.cwd());
  try {
    return validateProduct({
      imageFactory: isRecord(product.imageFactory)
        ? { ...product.imageFactory, sourceRevision: revision }
        : product.imageFactory,
      environments: product.environments,
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(`config file ${file} is not a valid product configuration:\n${e.message}`);
  }
}

/** The configured environments, in promotion order (see `loadConfig`). */
export function loadEnvironments(sources: ConfigSources = {}): readonly EnvironmentConfig[] {
  return loadConfig(sources).environments;
}

function describeIssue(scope: string, raw: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => `${[scope, ...path, k].join('.')} is not a known field (remove it or fix its spelling)`)
      .join('\n');
  }
  // A rule about part of a value (one field of a cron expression) echoes that part.
  const part: unknown = issue.code === 'custom' ? issue.params?.got : undefined;
  const value = part ?? valueAt(raw, issue.path);
  return `${[scope, ...path].join('.')} ${issue.message}, got ${echo(value)}`;
}

/** Enough of the value to recognise it: a pasted blob must not bury the rule that broke. */
const ECHO_LIMIT = 120;

function echo(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length <= ECHO_LIMIT ? text : `${text.slice(0, ECHO_LIMIT)}… (${text.length} characters)`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
