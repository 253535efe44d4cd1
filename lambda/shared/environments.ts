/** The environments the product deploys, in promotion order (the first takes new images first). */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export const isEnvironmentName = (value: unknown): value is EnvironmentName =>
  typeof value === 'string' && (ENVIRONMENT_NAMES as readonly string[]).includes(value);
