/**
 * Read a required environment variable once, at cold start. A missing one is a deployment
 * defect: fail loudly with its name rather than run with a blank.
 */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value)
    throw new Error(`environment variable ${name} is not set; the function was deployed without it`);
  return value;
}

/**
 * Read a required environment variable that must be one of `accepted`, once, at cold start. A
 * value outside them is a deployment defect too: casting it instead would let the function run
 * on a meaning nobody chose (an unknown scan severity would count no findings at all).
 */
export function requiredEnvOneOf<T extends string>(
  name: string,
  accepted: readonly T[],
  env: NodeJS.ProcessEnv = process.env,
): T {
  const value = requiredEnv(name, env);
  if (!(accepted as readonly string[]).includes(value))
    throw new Error(
      `environment variable ${name} is ${JSON.stringify(value)}, not one of ${accepted.join(', ')}; ` +
        'the function was deployed with a value it cannot use',
    );
  return value as T;
}
