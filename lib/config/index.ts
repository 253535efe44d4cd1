import type { z } from 'zod';
import { ENVIRONMENTS } from './environments';
import { ENVIRONMENT_NAMES } from '../../lambda/shared/environments';
import { environmentConfigSchema } from './schema';
import type { EnvironmentConfig } from './schema';
import type { EnvironmentName } from '../../lambda/shared/environments';

export * from './schema';

/** Raised at synth when an environment's configuration breaks a rule. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** What the app reads from its surroundings: CDK context first, then the process environment. */
export interface ConfigSources {
  /** `cdk deploy -c sourceRevision=$(git rev-parse --short HEAD)`; tags every baked AMI. */
  readonly sourceRevision?: unknown;
  /** The SOURCE_REVISION environment variable, used when no context value is given. */
  readonly env?: NodeJS.ProcessEnv;
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

/** Validate and return every configured environment, in dev → staging → prod order. */
export function loadEnvironments(sources: ConfigSources = {}): EnvironmentConfig[] {
  const revision = sources.sourceRevision ?? sources.env?.SOURCE_REVISION ?? 'unversioned';
  return ENVIRONMENT_NAMES.map((name: EnvironmentName) =>
    validateEnvironment({ ...ENVIRONMENTS[name], sourceRevision: revision }, name),
  );
}

function describeIssue(env: string, raw: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => `${[env, ...path, k].join('.')} is not a known field (remove it or fix its spelling)`)
      .join('\n');
  }
  const value = valueAt(raw, issue.path);
  return `${[env, ...path].join('.')} ${issue.message}, got ${echo(value)}`;
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
