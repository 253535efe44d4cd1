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
 * A handler's configuration, built from its environment variables: read and checked on the
 * first invocation (at cold start, when `eager` runs it at module load in Lambda), then kept for
 * as long as the variables stay the same. A deployed function's never change; the rehearsal
 * runs several environments' functions in one process and sets each one's variables before it
 * invokes it, so a change builds a fresh configuration instead of reusing another function's.
 */
export function fromEnvironment<T>(
  names: readonly string[],
  build: (env: Readonly<Record<string, string>>) => T,
  env?: NodeJS.ProcessEnv,
): () => T {
  let cached: { key: string; value: T } | undefined;
  return () => {
    // The process's environment as it is now, not as it was when the module loaded.
    const values = Object.fromEntries(names.map((n) => [n, requiredEnv(n, env ?? process.env)]));
    const key = JSON.stringify(values);
    if (cached?.key !== key) cached = { key, value: build(values) };
    return cached.value;
  };
}

/**
 * Run `check` now when the module loads inside Lambda (a misconfigured function fails its cold
 * start, loudly, before any event), and leave it to the first invocation elsewhere.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export function checkAtColdStart(check: () => unknown, env: NodeJS.ProcessEnv = process.env): void {
  if (env.AWS_LAMBDA_FUNCTION_NAME) check();
}
