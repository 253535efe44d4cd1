/**
 * Handlers are composition roots: a handler module builds its step from what it is given —
 * its configuration, its AWS SDK clients and a clock — and nothing else. Deployed, that is the
 * function's own environment variables (parsed once, at cold start), clients of its own account
 * and region, and the system clock; the rehearsal builds the very same handler with its own
 * clients and clock, so nothing is patched process-wide and nothing in lambda/ exists for its sake.
 */

/** The current time, as the handler sees it. */
export type Clock = () => Date;

/** What a handler is built from. */
export interface Composition<Config, Clients> {
  readonly config: Config;
  readonly clients: Clients;
  readonly clock: Clock;
}

/** A function's environment variables, as Lambda hands them to the process. */
export type Variables = Readonly<Record<string, string | undefined>>;

/** What every handler module exports besides `handler`: how to read its configuration and how to build it. */
export interface HandlerModule<Config, Clients, Event, Result> {
  /**
   * The handler's configuration, from the function's environment variables; throws
   * {@link ConfigurationError} naming the variable when one is missing or malformed.
   */
  readonly configure: (variables: Variables) => Config;
  readonly create: (parts: Composition<Config, Clients>) => (event: Event) => Promise<Result>;
}

/** A deployed function's variables do not say what its handler needs: a deployment defect. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** The system clock: what a deployed handler runs on. */
export const systemClock: Clock = () => new Date();

/**
 * The deployed handler of `module`: built from the process's environment variables, the clients
 * `clients` builds (in the function's own account and region) and the system clock. Inside Lambda
 * it is built as the module loads, so a misconfigured function fails its cold start loudly,
 * before any event; elsewhere (a test importing the module) on its first invocation.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export function deployedHandler<Config, Clients, Event, Result>(
  module: HandlerModule<Config, Clients, Event, Result>,
  clients: () => Clients,
  env: NodeJS.ProcessEnv = process.env,
): (event: Event) => Promise<Result> {
  let built: ((event: Event) => Promise<Result>) | undefined;
  const build = () =>
    (built ??= module.create({ config: module.configure(env), clients: clients(), clock: systemClock }));
  if (env.AWS_LAMBDA_FUNCTION_NAME) build();
  return (event: Event) => build()(event);
}

/** A required variable's value; a missing or empty one throws, naming it. */
export function required(variables: Variables, name: string): string {
  const value = variables[name];
  if (!value)
    throw new ConfigurationError(
      `environment variable ${name} is not set; the function was deployed without it`,
    );
  return value;
}

/** A required variable holding JSON, parsed; not JSON throws, naming it. */
export function requiredJson(variables: Variables, name: string): unknown {
  const text = required(variables, name);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConfigurationError(`environment variable ${name} is not JSON; redeploy the stack`);
  }
}
